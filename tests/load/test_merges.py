"""When two stored agency ids turn out to be one body, the load merges them in one
transaction: rows move to the surviving id, aliases are united, a year both hold keeps the
newer load (the other goes to report_attempts), and the merge is recorded."""

import random
from dataclasses import replace
from datetime import datetime

import duckdb

from extract.dispatch import extract_document
from load.warehouse import Merge, Warehouse
from tests.docgen.series import truth_series
from tests.docgen.text import render_text
from tests.helpers import FACT_TABLES, q
from transform.frames import SourceMeta, report_id_of, report_to_rows
from transform.registry import REGISTRY_VERSION


def frames_of(truth, title_name, sha, loaded_at):
    data = render_text(replace(truth, agency=title_name))
    report = extract_document(data, f"{sha}.txt")
    return report_to_rows(report, SourceMeta(f"file:///{sha}.txt", sha), loaded_at=loaded_at)


def make_legacy(db: str, rows: list[tuple[str, str | None, int]]) -> None:
    """Rewrite a warehouse's agencies as the registry before identity by place and body
    stored them: id = the name as read, no body, id_source or registry version.

    rows: (legacy id = name, region code stored with it, year whose rows it owns)."""
    with duckdb.connect(db) as con:
        con.execute("DELETE FROM agencies")
        con.execute("DELETE FROM checks WHERE severity = 'warning'")
        for name, region, year in rows:
            con.execute(
                "INSERT INTO agencies (agency_id, name, region_code, level, updated_at) "
                "VALUES (?, ?, ?, ?, now()) ON CONFLICT DO NOTHING",
                [name, name, region, "county" if region else None],
            )
            for table in (*FACT_TABLES, "request_outcome_totals"):
                con.execute(f"UPDATE {table} SET agency_id = ? WHERE year = ?", [name, year])
        con.execute(
            "UPDATE reports SET report_id = left(sha256(agency_id || '|' || year || '|' || sha256), 16)"
        )


def test_old_spelling_ids_merge_into_one_agency_with_all_years(warehouse):
    db = str(warehouse.path)
    rng = random.Random(21)
    t22, t23, t24 = truth_series(rng, "洪泽区人民政府", [2022, 2023, 2024])
    t24.requests[("carried_over", "natural_person")] = None  # blank: continuity fails for 2024
    batch = [
        frames_of(t22, "-1-洪泽区人民政府", "s22", datetime(2025, 1, 1)),
        frames_of(t23, "洪泽区人民政府", "s23", datetime(2025, 1, 1)),
        frames_of(t24, "淮安市洪泽区人民政府", "s24", datetime(2025, 1, 1)),
    ]
    warehouse.replace_reports(batch)
    make_legacy(
        db,
        [
            ("-1-洪泽区人民政府", None, 2022),  # the page number made it a region-less agency
            ("洪泽区人民政府", "320813", 2023),
            ("淮安市洪泽区人民政府", "320813", 2024),
        ],
    )
    before = {t: q(db, f"SELECT count(*) FROM {t}") for t in FACT_TABLES[:-1]}

    merges = Warehouse(db).ensure_schema()

    assert sorted(merges, key=lambda m: m.from_id) == [
        Merge("-1-洪泽区人民政府", "320813:人民政府", 1, 0),
        Merge("洪泽区人民政府", "320813:人民政府", 1, 0),
        Merge("淮安市洪泽区人民政府", "320813:人民政府", 1, 0),
    ]
    assert q(
        db,
        "SELECT agency_id, name, region_code, level, aliases, body, id_source, registry_version "
        "FROM agencies",
    ) == [
        (
            "320813:人民政府",
            "淮安市洪泽区人民政府",
            "320813",
            "county",
            ["-1-洪泽区人民政府", "洪泽区人民政府"],
            "人民政府",
            "registry",
            REGISTRY_VERSION,
        )
    ]
    assert q(db, "SELECT agency_id, year, report_id FROM reports ORDER BY year") == [
        ("320813:人民政府", y, report_id_of("320813:人民政府", y, f"s{y % 100}"))
        for y in (2022, 2023, 2024)
    ]
    assert {t: q(db, f"SELECT count(*) FROM {t}") for t in FACT_TABLES[:-1]} == before
    assert q(db, "SELECT DISTINCT agency_id FROM requests") == [("320813:人民政府",)]
    # the years line up now: continuity is computed across the old spellings
    continuity = q(
        db,
        "SELECT year, subject, expected, actual, passed FROM checks "
        "WHERE check_code = 'carry_over_continuity' ORDER BY year, subject",
    )
    assert len(continuity) == 2 * 7
    natural = [r for r in continuity if r[0] == 2024 and r[1] == "natural_person"]
    carried = t23.requests[("carried_forward", "natural_person")]
    assert natural == [(2024, "natural_person", carried, 0, carried == 0)]
    assert q(
        db, "SELECT from_id, to_id, reports_moved, conflicts FROM agency_merges ORDER BY 1"
    ) == [
        ("-1-洪泽区人民政府", "320813:人民政府", 1, 0),
        ("洪泽区人民政府", "320813:人民政府", 1, 0),
        ("淮安市洪泽区人民政府", "320813:人民政府", 1, 0),
    ]
    # a second open finds nothing left to merge
    assert Warehouse(db).ensure_schema() == []


def test_a_year_both_ids_hold_keeps_the_newer_load(warehouse):
    db = str(warehouse.path)
    rng = random.Random(22)
    (older,) = truth_series(rng, "洪泽区人民政府", [2023])
    (newer,) = truth_series(rng, "洪泽区人民政府", [2023])
    warehouse.replace_reports([frames_of(older, "洪泽区人民政府", "old", datetime(2024, 3, 1))])
    make_legacy(db, [("洪泽区人民政府", "320813", 2023)])
    warehouse.replace_reports(
        [frames_of(newer, "淮安市洪泽区人民政府", "new", datetime(2024, 6, 1))]
    )
    with duckdb.connect(db) as con:  # the second id as an old warehouse had it too
        con.execute("UPDATE agencies SET registry_version = NULL, id_source = NULL")
    merges = Warehouse(db).ensure_schema()
    assert merges == [Merge("洪泽区人民政府", "320813:人民政府", 0, 1)]
    assert q(db, "SELECT agency_id, year, sha256 FROM reports") == [
        ("320813:人民政府", 2023, "new")
    ]
    got = q(
        db,
        "SELECT t.agency_id, t.year, t.row_code, t.applicant, t.value FROM requests t "
        "WHERE row_code = 'new_received' AND applicant = 'total'",
    )
    assert got == [
        (
            "320813:人民政府",
            2023,
            "new_received",
            "total",
            newer.requests[("new_received", "total")],
        )
    ]
    assert q(
        db,
        "SELECT agency_id, year, sha256, kept, reason, loaded_status FROM report_attempts",
    ) == [("320813:人民政府", 2023, "old", False, "merge_conflict", "valid")]
    assert q(db, "SELECT count(*) FROM requests") == [(175,)]


def test_a_manifest_id_is_never_merged_away(warehouse):
    db = str(warehouse.path)
    (t,) = truth_series(random.Random(23), "偃师区科学技术局", [2024])
    report = extract_document(render_text(t), "ys.txt")
    warehouse.replace_reports(
        [report_to_rows(report, SourceMeta("file:///ys.txt", "ys", agency_id="410381-kjj"))]
    )
    with duckdb.connect(db) as con:
        con.execute("UPDATE agencies SET registry_version = NULL, id_source = NULL, body = NULL")
    assert Warehouse(db).ensure_schema() == []
    assert q(db, "SELECT agency_id, body, id_source FROM agencies") == [
        ("410381-kjj", "科学技术局", "manifest")
    ]
