"""extract/tables.py: the grid reading of tables 二, 三 and 四 from hand-built rows (and,
where both must agree, the lines reading of extract/lines.py beside it)."""

import pytest

from extract.lines import active_lines, appeal_lines, request_lines
from extract.records import Problem
from extract.tables import rows_to_active_cells, rows_to_appeal_cells, rows_to_request_cells
from spec import codes
from tests.docgen.rows import (
    ACTIVE_2019,
    ACTIVE_2021,
    ACTIVE_2021_CELLS,
    APPEAL_HEADER,
    APPEAL_KEYS,
    REQUEST_HEADER,
    cell_values,
    request_table,
    request_values,
    row,
)


def replace_row(rows, label: str, new):
    """Given table rows, return them with the row whose label cell is `label` replaced by
    the rows `new`."""
    at = next(i for i, r in enumerate(rows) if label in r.texts)
    return [*rows[:at], *new, *rows[at + 1 :]]


def cells_of(rows, label: str) -> list[str]:
    """Given table rows and a row label, return that row's seven value texts."""
    return next(r.texts[-7:] for r in rows if label in r.texts)


# The grid and the lines readings of each table, where they must read the same.
REQUEST_READERS = pytest.mark.parametrize(
    ("read_requests", "method"), [(rows_to_request_cells, "grid"), (request_lines, "lines")]
)
APPEAL_READERS = pytest.mark.parametrize(
    "read_appeals", [rows_to_appeal_cells, appeal_lines], ids=["grid", "lines"]
)
ACTIVE_READERS = pytest.mark.parametrize(
    "read_active", [rows_to_active_cells, active_lines], ids=["grid", "lines"]
)


# ---------------------------------------------------------------- table 三


@REQUEST_READERS
@pytest.mark.parametrize(("three_other_rows", "n_rows"), [(True, 25), (False, 23)])
def test_request_table(read_requests, method, three_other_rows, n_rows):
    read = read_requests(request_table(three_other_rows))
    assert (read.table, read.method, read.found) == ("requests", method, True)
    assert cell_values(read) == request_values(three_other_rows)
    assert len(read.cells) == n_rows * 7
    assert [(c.row, c.col) for c in read.cells] == list(request_values(three_other_rows))
    assert (read.problems, read.unplaced) == ((), 0)
    assert {c.page for c in read.cells} == {1}


def test_request_reading_keeps_its_method_name():
    assert rows_to_request_cells(request_table(), method="html").method == "html"


def test_request_columns_by_header_not_position():
    """An empty column between the labels and the values, and a notes column after
    总计: the header says where the seven applicants stand."""
    rows = [
        row(*r.texts[:2], "", *r.texts[2:], "备注" if i == 0 else "")
        for i, r in enumerate(request_table())
    ]
    read = rows_to_request_cells(rows)
    assert cell_values(read) == request_values()
    assert read.problems == ()


def test_a_label_spread_over_three_cells_shifts_its_values_right():
    rows = request_table()
    rows = replace_row(
        rows,
        "1.属于国家秘密",
        [row("（三）不予公开", "1.属于", "国家秘密", *cells_of(rows, "1.属于国家秘密"))],
    )
    read = rows_to_request_cells(rows)
    assert cell_values(read) == request_values()
    assert read.problems == ()


def test_an_empty_cell_crept_in_before_the_values():
    rows = request_table()
    rows = replace_row(
        rows, "（一）予以公开", [row("", "（一）予以公开", "", *cells_of(rows, "（一）予以公开"))]
    )
    assert cell_values(rows_to_request_cells(rows)) == request_values()


@REQUEST_READERS
def test_a_label_cell_in_the_group_column_keeps_all_seven_values(read_requests, method):
    """Row-shift class: 「（一）予以公开」 written in the group column, its seven values right
    after it (one column left of the header's): all seven are read, none dropped."""
    rows = request_table()
    rows = replace_row(
        rows, "（一）予以公开", [row("（一）予以公开", *cells_of(rows, "（一）予以公开"))]
    )
    read = read_requests(rows)
    assert cell_values(read) == request_values()
    assert (read.problems, read.unplaced) == ((), 0)


def test_a_row_with_an_eighth_value_says_one_is_unplaced():
    rows = request_table()
    rows = replace_row(
        rows, "（一）予以公开", [row("（一）予以公开", "9", *cells_of(rows, "（一）予以公开"))]
    )
    read = rows_to_request_cells(rows)
    assert read.unplaced == 1
    assert Problem("requests", "value_count", "row granted has 8 values, not 7") in read.problems
    assert "table 三: row granted has 8 values, not 7" in map(str, read.problems)


def test_a_label_broken_over_lines_is_joined():
    rows = request_table()
    label = "5.属于三类内部事务信息"
    rows = replace_row(
        rows, label, [row("", "5.属于三类内部"), row("", "事务信息", *cells_of(rows, label))]
    )
    read = rows_to_request_cells(rows)
    assert cell_values(read) == request_values()
    assert read.problems == ()


def split_by_a_page_break(label: str, start: str, rest: str, group: str = ""):
    """Given a row of table 三 and where a page break parts its label, return the table with
    that row's label start and blank cells at the foot of page 1, the rest of its label and
    its values at the top of page 2 (beside `group`, a merged cell's label printed again)."""
    rows = request_table()
    values = cells_of(rows, label)
    parts = [row("", start, *[""] * 7, page=1), row(group, rest, *values, page=2)]
    return replace_row(rows, label, parts)


@pytest.mark.parametrize(
    ("label", "start", "rest", "group"),
    [
        # the merged cell of its group prints its label again beside the rest
        ("6.属于四类过程性信息", "6.属于四类", "过程性信息", "三、本年度办理结果"),
        # the rest names the row by itself: still the rest, not the row a second time
        ("3.危及“三安全一稳定”", "3.危及“三", "安全一稳定", ""),
    ],
    ids=["group-label-repeated", "rest-names-the-row"],
)
def test_a_row_split_by_a_page_break_is_joined(label, start, rest, group):
    read = rows_to_request_cells(split_by_a_page_break(label, start, rest, group))
    assert cell_values(read) == request_values()
    assert (read.problems, read.unplaced) == ((), 0)


def test_a_row_numbered_again_after_its_blank_row_is_a_duplicate():
    rows = request_table()
    label = "3.危及“三安全一稳定”"
    values = cells_of(rows, label)
    rows = replace_row(rows, label, [row("", label, *[""] * 7), row("", label, *values)])
    read = rows_to_request_cells(rows)
    assert tuple(map(str, read.problems)) == (
        "table 三: row denied_security_stability appears twice with different values",
    )


@REQUEST_READERS
def test_a_header_repeated_after_a_page_break_is_skipped(read_requests, method):
    rows = request_table()
    at = next(i for i, r in enumerate(rows) if "（七）总计" in r.texts)
    read = read_requests([*rows[:at], *REQUEST_HEADER, *rows[at:]])
    assert cell_values(read) == request_values()
    assert read.problems == ()


def test_a_missing_row_is_named():
    rows = [r for r in request_table() if "2.重复申请" not in r.texts]
    read = rows_to_request_cells(rows)
    assert read.found
    assert ("rejected_duplicate", "total") not in cell_values(read)
    assert len(read.cells) == 24 * 7
    assert read.problems == (
        Problem("requests", "row_not_found", "row rejected_duplicate not found"),
    )
    assert tuple(map(str, read.problems)) == ("table 三: row rejected_duplicate not found",)


def test_values_without_a_label_are_unplaced():
    rows = request_table()
    at = next(i for i, r in enumerate(rows) if "（七）总计" in r.texts)
    rows.insert(at, row("", "", "1", "2", "3"))
    read = rows_to_request_cells(rows)
    assert cell_values(read) == request_values()
    assert read.unplaced == 1
    assert tuple(map(str, read.problems)) == (
        "table 三: a row of values without a label: ['', '', '1', '2', '3']",
    )


def test_values_under_an_unknown_label_are_unplaced():
    rows = request_table()
    at = next(i for i, r in enumerate(rows) if "（七）总计" in r.texts)
    rows.insert(at, row("", "本表由办公室填报", *"1234567"))
    read = rows_to_request_cells(rows)
    assert cell_values(read) == request_values()
    assert read.unplaced == 1
    assert tuple(map(str, read.problems)) == ("table 三: unknown row label '本表由办公室填报'",)


def test_a_row_twice_with_other_values_is_unplaced():
    rows = request_table()
    rows.append(row("", "（七）总计", *"1234567"))
    read = rows_to_request_cells(rows)
    assert cell_values(read) == request_values()  # the first is kept
    assert read.unplaced == 1
    assert tuple(map(str, read.problems)) == (
        "table 三: row total_processed appears twice with different values",
    )


def test_a_request_header_not_understood_falls_back_to_the_template_order():
    rows = [row("申请人情况", "", "甲", "乙", "丙", "丁", "戊", "己", "庚"), *request_table()[2:]]
    read = rows_to_request_cells(rows)
    assert cell_values(read) == request_values()
    assert tuple(map(str, read.problems)) == (
        "table 三: header columns not recognised; using template column order",
    )


def test_no_request_table():
    read = rows_to_request_cells([])
    assert (read.found, read.cells, read.problems) == (False, (), ())
    assert not rows_to_request_cells(REQUEST_HEADER).found


# ---------------------------------------------------------------- table 四

APPEAL_VALUES = [str(n) for n in range(1, 16)]


def test_appeal_table_read_through_its_header():
    read = rows_to_appeal_cells([*APPEAL_HEADER, row(*APPEAL_VALUES)])
    assert (read.table, read.found, read.problems, read.unplaced) == ("appeals", True, (), 0)
    assert [(c.row, c.col, c.raw) for c in read.cells] == [
        (p, o, v) for (p, o), v in zip(APPEAL_KEYS, APPEAL_VALUES, strict=True)
    ]


def test_appeal_columns_by_header_not_position():
    """A leading label column the data row leaves empty: the header places every value."""
    rows = [row("", *r.texts) for r in [*APPEAL_HEADER, row(*APPEAL_VALUES)]]
    read = rows_to_appeal_cells(rows)
    assert [c.raw for c in read.cells] == APPEAL_VALUES
    assert read.problems == ()


@APPEAL_READERS
def test_a_blank_table_four_is_read_as_fifteen_blank_cells(read_appeals):
    read = read_appeals([*APPEAL_HEADER, row(*[""] * 15)])
    assert read.found
    assert [(c.row, c.col) for c in read.cells] == APPEAL_KEYS
    assert {c.raw for c in read.cells} == {""}
    assert (read.problems, read.unplaced) == ((), 0)


def test_a_value_outside_the_data_row_is_unplaced():
    read = rows_to_appeal_cells([*APPEAL_HEADER, row(*[""] * 15), row("合计", "3")])
    assert len(read.cells) == 15
    assert read.unplaced == 1
    assert tuple(map(str, read.problems)) == ("table 四: 1 values outside its data row",)


def test_a_data_row_broken_over_lines_is_not_read_by_the_grid():
    rows = [*APPEAL_HEADER, row(*APPEAL_VALUES[:10]), row(*APPEAL_VALUES[10:])]
    read = rows_to_appeal_cells(rows)
    assert (read.found, read.cells, read.unplaced) == (True, (), 5)
    assert tuple(map(str, read.problems)) == (
        "table 四: 5 values outside its data row",
        "table 四: header not recognised and the data row has 10 cells, not 15",
    )


def test_an_appeal_header_not_understood_falls_back_to_the_template_order():
    read = rows_to_appeal_cells([row("复议诉讼情况"), row("", *APPEAL_VALUES, "", "")])
    assert [c.raw for c in read.cells] == APPEAL_VALUES
    assert tuple(map(str, read.problems)) == (
        "table 四: header not recognised; using template column order",
    )


@pytest.mark.parametrize("rows", [[], APPEAL_HEADER, [row(*APPEAL_VALUES)]])
def test_no_appeal_data_row(rows):
    """No row of values under a header (a data row needs one above it)."""
    read = rows_to_appeal_cells(rows)
    assert (read.found, read.cells) == (False, ())


# ---------------------------------------------------------------- table 二


@ACTIVE_READERS
def test_active_table_2021(read_active):
    read = read_active(ACTIVE_2021)
    assert (read.table, read.template, read.found) == ("active", "2021", True)
    assert [(c.row, c.col, c.raw) for c in read.cells] == ACTIVE_2021_CELLS
    assert {(c.row, c.unit_hint) for c in read.cells if c.unit_hint} == {("fees", "万元")}
    assert (read.problems, read.unplaced) == ((), 0)


@ACTIVE_READERS
def test_active_table_2019_with_money_in_yuan(read_active):
    read = read_active(ACTIVE_2019)
    assert read.template == "2019"
    assert len(read.cells) == len(codes.active_cells("2019")) == 22
    assert cell_values(read)[("procurement", "amount")] == "50000"
    assert {(c.row, c.col, c.unit_hint) for c in read.cells if c.unit_hint} == {
        ("procurement", "amount", "元")
    }
    assert cell_values(read)[("licensing", "change")] == "1"
    assert cell_values(read)[("fees", "change")] == "-1"
    assert read.problems == ()


def test_a_header_shifted_by_a_leading_empty_cell_still_lines_up():
    rows = [row("", *r.texts) if r.texts[0] in ("信息内容", "规章") else r for r in ACTIVE_2021]
    read = rows_to_active_cells(rows)
    assert [(c.row, c.col, c.raw) for c in read.cells] == ACTIVE_2021_CELLS


def test_a_header_without_its_first_cell_still_tells_the_metrics():
    read = rows_to_active_cells(
        [row("本年制发件数", "本年废止件数", "现行有效件数"), row("规章", "1", "0", "5")]
    )
    assert read.template == "2021"
    assert [(c.row, c.col, c.raw) for c in read.cells] == ACTIVE_2021_CELLS[:3]


def test_values_outside_the_item_rows_are_unplaced():
    rows = [*ACTIVE_2021[:3], row("规章", "1", "0", "5", "8"), row("", "", "9"), *ACTIVE_2021[3:]]
    read = rows_to_active_cells(rows)
    assert [(c.row, c.col, c.raw) for c in read.cells] == ACTIVE_2021_CELLS
    assert read.unplaced == 2  # the fourth value of a row with three columns, a stray 9


def test_an_item_before_any_header():
    read = rows_to_active_cells([row("规章", "1", "0", "5")])
    assert (read.template, read.found, read.cells) == (None, False, ())
    assert tuple(map(str, read.problems)) == ("table 二: row regulations before any header",)


def test_a_missing_active_cell_is_named():
    read = rows_to_active_cells([r for r in ACTIVE_2021 if r.texts[0] != "行政强制"])
    assert len(read.cells) == 9
    assert tuple(map(str, read.problems)) == ("table 二: cell coercion/decisions not found",)
