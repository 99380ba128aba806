"""report_to_rows: a Report's cells become named long rows, checks and a status, with typed
problems for what could not be parsed."""

import random
from dataclasses import replace

from extract.dispatch import extract_document
from extract.records import Problem
from tests.docgen.series import truth_series
from tests.docgen.text import render_text
from transform.frames import COLUMNS, RequestRow, SourceMeta, report_to_rows

SHA = "b" * 64


def a_report():
    truth = truth_series(random.Random(11), "淮安市洪泽区人民政府", [2023])[0]
    return extract_document(render_text(truth), "hongze2023.txt")


def test_rows_are_named_tuples_in_contract_column_order():
    rows = report_to_rows(a_report(), SourceMeta("file:///h.txt", SHA))
    first = rows.records["requests"][0]
    assert isinstance(first, RequestRow)
    assert list(first._fields) == COLUMNS["requests"]
    assert (first.year, first.sha256) == (2023, SHA)
    assert rows.report["status"] == "valid" and rows.problems == []
    assert list(rows.requests.columns) == COLUMNS["requests"]


def test_a_cell_that_is_no_number_keeps_its_text_and_says_so():
    report = a_report()
    i = next(
        i
        for i, c in enumerate(report.cells)
        if (c.table, c.row, c.col) == ("requests", "granted", "natural_person")
    )
    report.cells[i] = replace(report.cells[i], raw="若干")
    rows = report_to_rows(report, SourceMeta("file:///h.txt", SHA))
    cell = next(
        r
        for r in rows.records["requests"]
        if isinstance(r, RequestRow) and (r.row_code, r.applicant) == ("granted", "natural_person")
    )
    assert (cell.value, cell.raw) == (None, "若干")
    assert [p.code for p in rows.problems if p.table == "requests"][0] == "unparseable"
    assert rows.problems[0] == Problem("requests", "unparseable", rows.problems[0].detail)
    assert rows.problems[0].detail.startswith("granted/natural_person: ")
    assert str(rows.problems[0]).startswith("table 三: granted/natural_person: ")
    assert rows.report["problems"].splitlines()[0] == str(rows.problems[0])


def test_a_table_another_reading_out_saw_is_partial_and_says_which_cells():
    report = a_report()
    note = "the grid reading saw digits this one read blank or shorter (granted/total): not vouched for"
    report.attempts = [
        replace(a, verdict="unconfirmed", note=note) if a.table == "requests" and a.chosen else a
        for a in report.attempts
    ]
    rows = report_to_rows(report, SourceMeta("file:///h.txt", SHA))
    assert rows.report["status"] == "partial"
    assert Problem("requests", "unconfirmed", note) in rows.problems
