"""Every class of reading problem found so far, pinned by a fixture named after it.

Each file in tests/fixtures has a ``.json`` beside it: the agency, year, template and
status the document must give, the value of every cell and, where a blank and a 0 are
what the class confuses, the text (``raw``) of those cells. A blank cell (null) and a
nothing mark (-, 无 ...) both count as 0 when the truth says 0 or null; a number must be
exact. Each of these documents was read wrong before the fix its name describes.
"""

import json
from pathlib import Path

import pytest

from extract.dispatch import extract_document
from transform.frames import SourceMeta, report_to_rows

FIXTURES = Path(__file__).parent.parent / "fixtures"
CASES = sorted(
    p for p in FIXTURES.iterdir() if p.suffix in {".pdf", ".html", ".docx", ".txt", ".md"}
)


def read(path: Path):
    report = extract_document(path.read_bytes(), path.name)
    return report, report_to_rows(report, SourceMeta(str(path), "0" * 64))


def loaded_cells(frames) -> dict[str, float | None]:
    out = {}
    for table in ("requests", "appeals", "active"):
        for r in frames.records[table]:
            out[f"{table}|{r[2]}|{r[3]}"] = r[4]
    return out


def same(truth, got) -> bool:
    if truth in (None, 0):
        return got in (None, 0)
    return got is not None and abs(float(truth) - float(got)) < 1e-6


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_fixture_reads_right(path):
    expected = json.loads(path.with_name(path.name + ".json").read_text())
    report, frames = read(path)
    got = loaded_cells(frames)
    wrong = {
        k: (v, got.get(k, "<absent>"))
        for k, v in expected["cells"].items()
        if k not in got or not same(v, got[k])  # a cell not read is wrong, blank or not
    }
    assert wrong == {}
    # where blank and 0 differ in the source, the fixture names the text each cell holds
    raws = {f"{c.table}|{c.row}|{c.col}": c.raw for c in report.cells}
    assert {k: raws.get(k) for k in expected.get("raw", {})} == expected.get("raw", {})
    assert (report.agency_name, report.year, report.template) == (
        expected["agency"],
        expected["year"],
        expected["template"],
    )
    assert frames.report.status == expected["status"]


def test_a_source_error_is_believed_only_when_two_readings_agree():
    report, frames = read(FIXTURES / "source_error_unruled_blank_totals.pdf")
    assert frames.report.status == "inconsistent"
    kept = [a for a in report.attempts if a.chosen and a.table == "requests"]
    assert kept[0].verdict == "fails_checks"
    assert "agrees on every value" in kept[0].note
    assert report.confirmed == {"requests"}


def test_rows_shifted_after_a_page_break_are_read_by_the_grid_too():
    # After the page break each label stands one column left (in the group column). The
    # grid reading took the header's columns and dropped a value of every such row, failing
    # 14 identities (kept out by the self-check, tests/extract/test_selfcheck.py); it now
    # takes the cells after the label, so the first reading passes and no other is run.
    report, frames = read(FIXTURES / "markdown_rows_shifted_after_page_break.md")
    attempts = {a.method: a for a in report.attempts if a.table == "requests"}
    assert attempts["grid"].verdict == "passes" and attempts["grid"].chosen
    assert "lines" not in attempts
    assert frames.report.status == "valid"


@pytest.mark.parametrize(
    "name",
    [
        # A page break parts （六）其他处理's first row from the group label, printed beside
        # the rows after the break (as a scan's ruled cells give them). The grid took the
        # numbered row 「1.申请人无正当理由…」 for 「1.」 of the group above (不予处理),
        # already read, and lost other_no_correction; a label that names a row exactly
        # now names that row.
        "group_first_row_before_page_break_label_after.md",
        # A scan's ruled cells part 「（一）予以公开」 where a line of the next rows runs on
        # (「（一）予」 | 「公开」, the 以 under the line): the template's own number names it.
        "row_label_cut_short_across_two_cells.md",
    ],
)
def test_a_row_label_the_grid_gets_broken_still_names_its_row(name):
    report, _ = read(FIXTURES / name)
    attempts = {a.method: a for a in report.attempts if a.table == "requests"}
    assert attempts["grid"].verdict == "passes" and attempts["grid"].chosen


def test_a_lone_value_between_a_wrapped_labels_lines_is_a_value_not_label_text():
    # The fixture comparison counts blank and 0 alike; this class is exactly that swap.
    # pdfium's text gave 「（6）属于四 0 类过程性信息」: the 0 was taken into the label and the
    # cell stored blank in a valid report, which no identity can notice.
    report, frames = read(FIXTURES / "lone_value_between_wrapped_label_lines.pdf")
    cell = next(
        c
        for c in report.cells
        if (c.table, c.row, c.col) == ("requests", "denied_process_info", "commercial")
    )
    assert cell.raw == "0"
    assert frames.report.status == "valid"


def test_two_guesses_by_one_header_do_not_confirm_a_source_error():
    report, frames = read(FIXTURES / "table_four_header_aligned_unlike_its_values_source_error.pdf")
    assert frames.report.status == "partial"
    assert "appeals" not in report.confirmed
    kept = next(a for a in report.attempts if a.chosen and a.table == "appeals")
    assert (kept.method, kept.verdict) == ("words", "fails_checks")
    assert kept.note == "identities fail and no independent reading agrees: not believed"


def test_values_on_the_other_groups_line_go_to_its_first_sub_row():
    # A broken row number (「（1」 then 「）申…」) left the sub-row unopened on the line that
    # holds its values; they went to the （六） group's own row, dropped later: 0 became blank.
    report, _ = read(FIXTURES / "values_on_the_other_group_line_row_number_broken.pdf")
    row = [c.raw for c in report.cells if (c.table, c.row) == ("requests", "other_no_correction")]
    assert row == ["0"] * 7
