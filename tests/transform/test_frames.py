"""report_to_rows: a Report's cells become named long rows, checks and a status, with typed
problems for what could not be parsed."""

import random
from dataclasses import replace
from pathlib import Path

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
    assert rows.report.status == "valid" and rows.problems == []
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
    assert rows.report.problems.splitlines()[0] == str(rows.problems[0])


def test_a_table_another_reading_out_saw_is_partial_and_says_which_cells():
    report = a_report()
    note = "the grid reading saw digits this one read blank or shorter (granted/total): not vouched for"
    report.attempts = [
        replace(a, verdict="unconfirmed", note=note) if a.table == "requests" and a.chosen else a
        for a in report.attempts
    ]
    rows = report_to_rows(report, SourceMeta("file:///h.txt", SHA))
    assert rows.report.status == "partial"
    assert Problem("requests", "unconfirmed", note) in rows.problems


FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_a_total_the_prose_states_otherwise_is_a_failed_check_and_partial():
    path = FIXTURES / "prose_total_disagrees_with_table.txt"
    report = extract_document(path.read_bytes(), path.name)
    rows = report_to_rows(report, SourceMeta(str(path), SHA))
    stated = {
        c.subject: (c.expected, c.actual, c.passed, c.severity)
        for c in rows.records["checks"]
        if c.check_code == "requests_stated_total"
    }
    done = next(
        r.value
        for r in rows.records["requests"]
        if isinstance(r, RequestRow) and (r.row_code, r.applicant) == ("total_processed", "total")
    )
    assert stated["total_processed"] == (done + 1, done, False, "error")  # the value stays
    assert all(passed for _, _, passed, _ in [stated[k] for k in stated if k != "total_processed"])
    assert set(stated) == {"new_received", "carried_over", "total_processed", "carried_forward"}
    assert rows.report.status == "partial"
    assert (
        Problem(
            "requests",
            "text_disagrees",
            f"the prose states total_processed/total {done + 1}, the table reads {done}",
        )
        in rows.problems
    )


def test_a_report_whose_prose_states_nothing_has_no_stated_check():
    rows = report_to_rows(a_report(), SourceMeta("file:///h.txt", SHA))
    assert not [c for c in rows.records["checks"] if c.check_code == "requests_stated_total"]
    assert rows.report.status == "valid"


def test_a_statistics_period_of_another_year_is_a_problem_and_the_title_year_stays():
    report = a_report()
    report.period_year = report.year - 1
    rows = report_to_rows(report, SourceMeta("file:///h.txt", SHA))
    assert rows.report.year == report.year
    assert str(rows.problems[-1]) == (
        f"report year {report.year}, but the text states a statistics period in {report.year - 1}"
    )


def test_no_year_in_the_title_takes_the_statistics_period_of_the_sections():
    report = a_report()
    report.year = None
    report.sections[0] = replace(
        report.sections[0], body="报告中所列数据统计期限为2023年1月1日至12月31日。"
    )
    assert report_to_rows(report, SourceMeta("file:///h.txt", SHA)).report.year == 2023


def test_a_prose_disagreement_is_said_when_the_report_is_partial_for_another_reason():
    path = FIXTURES / "prose_total_disagrees_with_table.txt"
    report = extract_document(path.read_bytes(), path.name)
    report.attempts = [
        replace(a, verdict="unconfirmed", note="values placed by position alone")
        if a.table == "appeals" and a.chosen
        else a
        for a in report.attempts
    ]
    rows = report_to_rows(report, SourceMeta(str(path), SHA))
    assert rows.report.status == "partial"
    assert [p.code for p in rows.problems][-2:] == ["unconfirmed", "text_disagrees"]
