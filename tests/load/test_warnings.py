"""Cross-report warnings (sql/checks.sql): computed after each load whatever the order,
never duplicated by a reload, never changing reports.status."""

import random

import duckdb

from extract.dispatch import extract_document
from load.warehouse import Warehouse
from tests.docgen.series import set_carried_over, truth_series
from tests.docgen.text import render_text
from tests.helpers import q
from transform.frames import SourceMeta, report_to_rows


def frames_of(truth, region_code):
    data = render_text(truth)
    report = extract_document(data, f"{truth.agency}{truth.year}.txt")
    sha = f"{truth.agency}{truth.year}"
    return report_to_rows(report, SourceMeta(f"file:///{sha}.txt", sha, region_code=region_code))


def test_carry_over_warning_whatever_the_load_order(warehouse):
    db = str(warehouse.path)
    t21, t22 = truth_series(random.Random(3), "保定市科学技术局", [2021, 2022])
    before = t21.requests[("carried_forward", "commercial")]
    set_carried_over(t22, "commercial", before + 2)
    warehouse.replace_reports([frames_of(t22, "130600")])
    assert q(db, "SELECT count(*) FROM checks WHERE severity = 'warning'") == [(0,)]
    warehouse.replace_reports([frames_of(t21, "130600")])
    sql = (
        "SELECT year, subject, expected, actual FROM checks "
        "WHERE check_code = 'carry_over_continuity' AND NOT passed ORDER BY subject"
    )
    total = t21.requests[("carried_forward", "total")]
    want = [(2022, "commercial", before, before + 2), (2022, "total", total, total + 2)]
    assert q(db, sql) == want
    rows = q(db, "SELECT count(*) FROM checks WHERE severity = 'warning'")
    warehouse.replace_reports([frames_of(t21, "130600")])  # reload: same rows, no duplicates
    assert q(db, "SELECT count(*) FROM checks WHERE severity = 'warning'") == rows == [(7 + 2,)]
    assert q(db, sql) == want
    assert q(db, "SELECT year, status FROM reports ORDER BY year") == [
        (2021, "valid"),
        (2022, "valid"),
    ]
    assert q(db, "SELECT DISTINCT severity FROM checks WHERE check_code LIKE 'requests%'") == [
        ("error",)
    ]


def test_government_checked_when_a_department_arrives_later(warehouse):
    db = str(warehouse.path)
    rng = random.Random(4)
    (gov,) = truth_series(rng, "郑州市金水区人民政府", [2023])
    (dept,) = truth_series(rng, "郑州市金水区教育局", [2023])
    warehouse.replace_reports([frames_of(gov, None)])  # region resolved from the name
    assert q(db, "SELECT count(*) FROM checks WHERE severity = 'warning'") == [(0,)]
    warehouse.replace_reports([frames_of(dept, None)])
    got = q(
        db,
        "SELECT agency_id, subject, expected, actual FROM checks "
        "WHERE check_code = 'government_vs_departments' ORDER BY subject",
    )
    assert got == [
        (
            "410105:人民政府",
            row,
            dept.requests[(row, "total")],
            gov.requests[(row, "total")],
        )
        for row in ("new_received", "total_processed")
    ]


def test_townships_and_zones_are_not_departments_of_their_government(warehouse):
    """A township (镇人民政府, 街道办事处) shares its county's code and a zone its parent's:
    they are neither governments to check nor departments to sum (they were, by name)."""
    db = str(warehouse.path)
    rng = random.Random(5)
    names = [
        "郑州市金水区人民政府",
        "郑州市金水区教育局",
        "郑州市金水区祭城镇人民政府",
        "郑州市金水区文化路街道办事处",
        "郑州市人民政府",
        "郑州市教育局",
        "郑州高新区管委会",
    ]
    truths = {n: truth_series(rng, n, [2023])[0] for n in names}
    warehouse.replace_reports([frames_of(t, None) for t in truths.values()])
    assert q(db, "SELECT agency_id, level FROM agencies ORDER BY agency_id") == [
        ("410100:人民政府", "prefecture"),
        ("410100:教育局", "prefecture"),
        ("410100:高新技术产业开发区管理委员会", "zone"),
        ("410105:人民政府", "county"),
        ("410105:教育局", "county"),
        ("410105:文化路街道办事处", "township"),
        ("410105:祭城镇人民政府", "township"),
    ]
    got = q(
        db,
        "SELECT agency_id, subject, expected, actual FROM checks "
        "WHERE check_code = 'government_vs_departments' ORDER BY ALL",
    )
    want = [
        (gov_id, row, truths[dept].requests[(row, "total")], truths[gov].requests[(row, "total")])
        for gov_id, gov, dept in (
            ("410100:人民政府", "郑州市人民政府", "郑州市教育局"),
            ("410105:人民政府", "郑州市金水区人民政府", "郑州市金水区教育局"),
        )
        for row in ("new_received", "total_processed")
    ]
    assert got == want


def test_old_warehouse_gains_new_columns(tmp_path):
    db = str(tmp_path / "old.duckdb")
    with duckdb.connect(db) as con:
        con.execute(
            "CREATE TABLE agencies (agency_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL,"
            " region_code VARCHAR, level VARCHAR, updated_at TIMESTAMP)"
        )
        con.execute(
            "CREATE TABLE checks (agency_id VARCHAR NOT NULL, year INTEGER NOT NULL,"
            " check_code VARCHAR NOT NULL, subject VARCHAR NOT NULL, expected DOUBLE,"
            " actual DOUBLE, passed BOOLEAN NOT NULL)"
        )
        con.execute("INSERT INTO checks VALUES ('a', 2020, 'appeals_total', 'review', 1, 1, true)")
    Warehouse(db).ensure_schema()
    assert q(db, "SELECT severity FROM checks") == [("error",)]
    cols = q(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'agencies'")
    assert [c for (c,) in cols][-6:] == [
        "parent_region_code",
        "aliases",
        "body",
        "id_source",
        "named_by",
        "registry_version",
    ]
