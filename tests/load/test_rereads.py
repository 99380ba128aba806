"""Re-reads never lose a good report: a worse reading of the same bytes keeps the loaded rows
and is recorded in report_attempts; --force and a newer file still replace."""

import random
from datetime import datetime

import pytest

from extract.dispatch import extract_document
from load.warehouse import KeptReading
from tests.docgen.degrade import lose_table
from tests.docgen.series import truth_series
from tests.docgen.text import render_text
from tests.helpers import dump, q
from transform.frames import SourceMeta, report_to_rows

AT = datetime(2025, 1, 2, 3, 4, 5)
ATTEMPT = (
    "SELECT agency_id, year, sha256, source_uri, status, cells, problems IS NOT NULL, kept, "
    "reason, loaded_status, loaded_cells FROM report_attempts ORDER BY attempted_at, reason"
)


def without(report, table: str, keep_cells: int | None = None):
    """The report as a degraded reader reads it: one table lost (tests/docgen/degrade.py)."""
    return lose_table(report, table, keep_cells)


@pytest.fixture
def truth():
    return truth_series(random.Random(11), "淮安市洪泽区人民政府", [2023])[0]


@pytest.fixture
def report(truth):
    return extract_document(render_text(truth), "hongze2023.txt")


def frames(report, sha="a" * 64, uri="file:///hongze2023.txt"):
    return report_to_rows(report, SourceMeta(uri, sha), loaded_at=AT)


def test_a_worse_reread_keeps_the_loaded_rows_and_is_recorded(warehouse, report):
    db = str(warehouse.path)
    good = frames(report)
    assert good.report.status == "valid"
    warehouse.replace_reports([good])
    before = dump(db)
    worse = frames(without(report, "appeals"))
    assert worse.report.status == "partial"
    result = warehouse.replace_reports([worse])
    assert result.rows_written == 0
    assert result.kept == (
        KeptReading(
            "320813:人民政府",
            2023,
            "file:///hongze2023.txt",
            "a" * 64,
            "partial",
            good.report.cells - 15,
            "valid",
            good.report.cells,
            "worse_status",
        ),
    )
    assert dump(db) == before
    assert q(db, ATTEMPT) == [
        (
            "320813:人民政府",
            2023,
            "a" * 64,
            "file:///hongze2023.txt",
            "partial",
            good.report.cells - 15,
            True,
            False,
            "worse_status",
            "valid",
            good.report.cells,
        )
    ]


def test_same_status_fewer_cells_is_worse(warehouse, report):
    db = str(warehouse.path)
    warehouse.replace_reports([frames(without(report, "appeals"))])
    before = dump(db)
    fewer = frames(without(report, "appeals", keep_cells=100))
    result = warehouse.replace_reports([fewer])
    loaded = q(db, "SELECT cells FROM reports")[0][0]
    assert fewer.report.status == "partial" and fewer.report.cells == loaded - 75
    assert [(k.status, k.cells, k.loaded_cells, k.reason) for k in result.kept] == [
        ("partial", loaded - 75, loaded, "fewer_cells")
    ]
    assert dump(db) == before


def test_force_replaces_and_records_it(warehouse, report):
    db = str(warehouse.path)
    good = frames(report)
    warehouse.replace_reports([good])
    result = warehouse.replace_reports([frames(without(report, "appeals"))], force=True)
    assert result.kept == () and result.rows_written > 0
    assert q(db, "SELECT status FROM reports") == [("partial",)]
    assert q(db, "SELECT count(*) FROM appeals") == [(0,)]
    assert [r[7:9] for r in q(db, ATTEMPT)] == [(True, "forced")]


def test_a_newer_file_always_replaces(warehouse, report):
    db = str(warehouse.path)
    warehouse.replace_reports([frames(report)])
    result = warehouse.replace_reports([frames(without(report, "appeals"), sha="b" * 64)])
    assert result.kept == ()
    assert q(db, "SELECT sha256, status FROM reports") == [("b" * 64, "partial")]
    assert q(db, "SELECT count(*) FROM report_attempts") == [(0,)]


def test_a_better_reread_replaces_and_is_recorded(warehouse, report):
    db = str(warehouse.path)
    partial = frames(without(report, "appeals"))
    warehouse.replace_reports([partial])
    warehouse.replace_reports([frames(report)])
    assert q(db, "SELECT status FROM reports") == [("valid",)]
    cells = frames(report).report.cells
    assert [r[4:] for r in q(db, ATTEMPT)] == [
        ("valid", cells, False, True, "better", "partial", cells - 15)
    ]


def test_kept_rows_in_a_batch_with_others(warehouse, report, truth):
    """One batch: a worse re-read is kept out while a new agency-year loads."""
    db = str(warehouse.path)
    warehouse.replace_reports([frames(report)])
    truth.year = 2024
    other = extract_document(render_text(truth), "hongze2024.txt")
    result = warehouse.replace_reports(
        [frames(without(report, "requests")), frames(other, sha="c" * 64, uri="file:///b.txt")]
    )
    assert [k.reason for k in result.kept] == ["worse_status"]
    assert q(db, "SELECT year, status FROM reports ORDER BY year") == [
        (2023, "valid"),
        (2024, "valid"),
    ]
