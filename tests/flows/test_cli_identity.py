"""Through `xxgk`: one county under two spellings is one agency, and a re-read that would
downgrade a report keeps the loaded rows (report_attempts records the attempt)."""

import random
from dataclasses import replace

from extract.dispatch import extract_document
from tests.docgen.degrade import lose_table
from tests.docgen.series import set_carried_over, truth_series
from tests.docgen.text import render_text
from tests.helpers import dump, q


def write_report(path, truth, title_name: str) -> None:
    """Write a generated text report whose title names the agency as `title_name`."""
    path.write_bytes(render_text(replace(truth, agency=title_name)))


def test_one_county_under_two_spellings_is_one_agency(cli, db, tmp_path):
    t23, t24 = truth_series(random.Random(32), "洪泽区人民政府", [2023, 2024])
    carried = t23.requests[("carried_forward", "natural_person")]
    set_carried_over(t24, "natural_person", carried + 3)  # the 2024 report does not carry on
    write_report(tmp_path / "hongze2023.txt", t23, "洪泽区人民政府")
    write_report(tmp_path / "hongze2024.txt", t24, "淮安市洪泽区人民政府")

    cli("ingest", str(tmp_path), "--db", db)

    assert q(db, "SELECT agency_id, name, region_code, level, aliases FROM agencies") == [
        ("320813:人民政府", "淮安市洪泽区人民政府", "320813", "county", ["洪泽区人民政府"])
    ]
    assert q(db, "SELECT agency_id, year, status FROM reports ORDER BY year") == [
        ("320813:人民政府", 2023, "valid"),
        ("320813:人民政府", 2024, "valid"),
    ]
    total = t23.requests[("carried_forward", "total")]
    assert q(
        db,
        "SELECT agency_id, year, subject, expected, actual FROM checks "
        "WHERE check_code = 'carry_over_continuity' AND NOT passed ORDER BY subject",
    ) == [
        ("320813:人民政府", 2024, "natural_person", carried, carried + 3),
        ("320813:人民政府", 2024, "total", total, total + 3),
    ]
    assert q(db, "SELECT count(*) FROM checks WHERE check_code = 'carry_over_continuity'") == [(7,)]


def lose_table_4(real):
    """A deliberately degraded reader: the real one, but table 四 is never found."""

    def read(data, filename=None):
        return lose_table(real(data, filename), "appeals")

    return read


def test_a_rerun_that_reads_worse_keeps_the_loaded_report(cli, db, tmp_path, monkeypatch):
    (truth,) = truth_series(random.Random(33), "淮安市洪泽区人民政府", [2023])
    path = tmp_path / "hongze2023.txt"
    path.write_bytes(render_text(truth))
    cli("ingest", str(path), "--db", db)
    before = dump(db)
    assert q(db, "SELECT status, cells FROM reports") == [("valid", 200)]
    sha = q(db, "SELECT sha256 FROM reports")[0][0]

    monkeypatch.setattr("extract.dispatch.extract_document", lose_table_4(extract_document))
    result = cli("rerun", "--agency", "320813:人民政府", "--db", db)

    assert "kept the earlier reading: 1" in result.output
    assert "worse_status" in result.output
    assert dump(db) == before
    attempts = (
        "SELECT agency_id, year, sha256, source_uri, status, cells, problems, kept, reason, "
        "loaded_status, loaded_cells FROM report_attempts ORDER BY attempted_at"
    )
    assert q(db, attempts) == [
        (
            "320813:人民政府",
            2023,
            sha,
            str(path),
            "partial",
            185,
            "table 四 not found",
            False,
            "worse_status",
            "valid",
            200,
        )
    ]
    # the same bytes ingested again are unchanged: not read, nothing recorded
    again = cli("ingest", str(path), "--db", db)
    assert "Nothing changed" in again.output and dump(db) == before
    assert len(q(db, attempts)) == 1

    # --force replaces whatever the reading
    cli("rerun", "--agency", "320813:人民政府", "--db", db, "--force")
    assert q(db, "SELECT status, cells FROM reports") == [("partial", 185)]
    assert q(db, "SELECT count(*) FROM appeals") == [(0,)]
    assert [r[7:9] for r in q(db, attempts)] == [(False, "worse_status"), (True, "forced")]

    # the real reader again: the better reading replaces the partial one
    monkeypatch.undo()
    cli("ingest", str(path), "--db", db, "--force")
    assert q(db, "SELECT status, cells FROM reports") == [("valid", 200)]
    assert [r[7:9] for r in q(db, attempts)][-1] == (True, "better")
