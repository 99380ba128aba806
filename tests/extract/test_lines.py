"""extract/lines.py: the lines reading (each row's trailing values in template order) of
tables 二, 三 and 四 from hand-built rows; where it must read as the grid reading does,
the tests are in test_tables.py."""

import pytest

from extract.lines import (
    active_lines,
    appeal_lines,
    fit,
    request_lines,
    rows_to_line_reads,
    split_row,
)
from extract.template.headers import is_header_line
from spec import codes
from tests.docgen.rows import (
    ACTIVE_2019,
    ACTIVE_2021,
    APPEAL_HEADER,
    APPEAL_KEYS,
    REQUEST_HEADER,
    cell_values,
    fragments,
    request_table,
    request_values,
    row,
)


def texts(frags) -> list[str] | None:
    return None if frags is None else [f.text for f in frags]


# ---------------------------------------------------------------- split_row, fit


@pytest.mark.parametrize(
    ("cells", "labels", "values"),
    [
        (["（一）予以公开", "1", "2", "3"], ["（一）予以公开"], ["1", "2", "3"]),
        (
            ["", "（三）不予公开", "1.属于国家秘密", "0", ""],
            ["（三）不予公开", "1.属于国家秘密"],
            ["0", ""],
        ),
        (["1", "2"], [], ["1", "2"]),
        (["总计"], ["总计"], []),
        ([], [], []),
        # a text layer put a wrapped label's next line beside the values
        (
            ["3. 危及“三安", "9", "0", "0", "0", "0", "0", "9", "全一稳定”"],
            ["3. 危及“三安", "全一稳定”"],
            ["9", "0", "0", "0", "0", "0", "9"],
        ),
        # one number between a wrapped label's lines (pdfium's text of a lone value
        # beside them) is the row's value, not label text
        (["（6）属于四", "0", "类过程性信息"], ["（6）属于四", "类过程性信息"], ["0"]),
        (["a", "/", "b"], ["a", "/", "b"], []),  # a blank mark between labels: no number
        # a number in a line that starts no row (a running header, a note) stays text
        (["某某区", "2023", "年度报告"], ["某某区", "2023", "年度报告"], []),
        (["（6）属于四", "0", "类过程", "3"], ["（6）属于四", "0", "类过程"], ["3"]),
    ],
)
def test_split_row(cells, labels, values):
    got_labels, got_values = split_row(fragments(*cells))
    assert (got_labels, texts(got_values)) == (labels, values)


@pytest.mark.parametrize(
    ("cells", "width", "fitted"),
    [
        (["1", "2", "3"], 3, ["1", "2", "3"]),
        (["1", "2", "3", "", ""], 3, ["1", "2", "3"]),  # empty cells trimmed from the end
        (["", "1", "2", "3"], 3, ["1", "2", "3"]),  # then from the start
        (["", "1", "2", "3", ""], 3, ["1", "2", "3"]),
        (["", "", ""], 3, ["", "", ""]),
        (["1", "2"], 3, None),  # too few
        (["1", "2", "3", "4"], 3, None),  # too many values
    ],
)
def test_fit(cells, width, fitted):
    assert texts(fit(fragments(*cells), width)) == fitted


@pytest.mark.parametrize(
    ("labels", "header"),
    [
        (["申请人情况"], True),
        (["自然人", "法人或其他组织"], True),
        (["商业", "科研", "社会公益", "总计"], True),  # column names however wrapped
        (["信息内容", "本年制发件数"], True),
        (["（七）总计"], False),
        (["商业", "总计"], False),
        ([], False),
    ],
)
def test_is_header_line(labels, header):
    assert is_header_line(labels) is header


# ---------------------------------------------------------------- table 三


def test_a_row_without_its_group_cell():
    """The label took the group's place: its values still follow it, in order."""
    rows = [
        row("（一）予以公开", *r.texts[2:]) if "（一）予以公开" in r.texts else r
        for r in request_table()
    ]
    assert cell_values(request_lines(rows)) == request_values()


def test_a_wrapped_label_with_its_values_on_its_last_line():
    rows = [*REQUEST_HEADER]
    rows += [
        row("一、本年新收政府信息公开申请数量", "", *"1111111"),
        row("二、上年结转政府信息公开申请数量", "", *"2222222"),
        row("三、本年度办理结果", "（一）予以公开", *"3333333"),
        row("", "（二）部分公开（区分处理的，只计这"),
        row("", "一情形，不计其他情形）", *"4444444"),
    ]
    read = request_lines(rows)
    got = cell_values(read)
    assert [got[(code, "total")] for code in ("new_received", "carried_over")] == ["1", "2"]
    assert [got[(code, "total")] for code in ("granted", "partially_granted")] == ["3", "4"]
    assert read.problems == ()


def test_a_row_with_no_values_is_blank():
    rows = [*REQUEST_HEADER]
    rows += [
        row("一、本年新收政府信息公开申请数量", "", *"1111111"),
        row("二、上年结转政府信息公开申请数量"),  # nothing after its label
        row("三、本年度办理结果", "（一）予以公开", *"3333333"),
    ]
    got = cell_values(request_lines(rows))
    assert [got[("carried_over", a)] for a in codes.applicants()] == [""] * 7
    assert got[("granted", "total")] == "3"


def test_values_that_fit_no_row_are_unplaced():
    rows = [
        *REQUEST_HEADER,
        row("一、本年新收政府信息公开申请数量", *"1111111"),
        row("1", "2", "3"),  # three values: not seven, and no boxes to place them by
        row(*"9999999"),  # seven values, and no row open for them
    ]
    read = request_lines(rows)
    assert cell_values(read) == {("new_received", a): "1" for a in codes.applicants()}
    assert read.unplaced == 10
    assert tuple(map(str, read.problems)) == (
        "table 三: 3 values, not 7, at no row",
        "table 三: values with no row: ['9', '9', '9', '9', '9', '9', '9']",
    )


def test_no_request_lines():
    read = request_lines([])
    assert (read.found, read.cells) == (False, ())


# ---------------------------------------------------------------- table 四

APPEAL_VALUES = [str(n) for n in range(1, 16)]


@pytest.mark.parametrize(
    "data",
    [
        [row(*APPEAL_VALUES)],
        [row(*APPEAL_VALUES[:10]), row(*APPEAL_VALUES[10:])],  # broken over two lines
        [row(*APPEAL_VALUES[:5]), row(*APPEAL_VALUES[5:10]), row(*APPEAL_VALUES[10:], "", "")],
    ],
)
def test_appeal_values_in_template_order_however_many_lines(data):
    read = appeal_lines([*APPEAL_HEADER, *data])
    assert read.found
    assert [(c.row, c.col, c.raw) for c in read.cells] == [
        (p, o, v) for (p, o), v in zip(APPEAL_KEYS, APPEAL_VALUES, strict=True)
    ]
    assert read.problems == ()


def test_too_few_appeal_values_are_not_placed_without_boxes():
    read = appeal_lines([*APPEAL_HEADER, row(*APPEAL_VALUES[:7])])
    assert (read.found, read.cells) == (True, ())
    assert tuple(map(str, read.problems)) == ("table 四: 7 values in its data rows, not 15",)


def test_no_appeal_values():
    read = appeal_lines(APPEAL_HEADER)
    assert (read.found, read.cells, read.problems) == (False, (), ())


# ---------------------------------------------------------------- table 二


def test_active_template_told_by_its_items_without_headers():
    """No metric header at all: 其他对外管理服务事项 is only in the 2019 template."""
    rows = [r for r in ACTIVE_2019 if r.texts[0] != "信息内容"]
    read = active_lines(rows)
    assert read.template == "2019"
    assert len(read.cells) == 22


def test_an_item_with_too_many_values_is_unplaced():
    rows = [row("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), row("规章", *"1234")]
    read = active_lines(rows)
    assert read.cells == ()
    assert read.unplaced == 4
    assert tuple(map(str, read.problems)) == ("table 二: item regulations has 4 values, not 3",)


def test_no_active_template():
    read = active_lines([row("规章", "1", "0", "5")])
    assert (read.template, read.cells, read.found) == (None, (), True)


def test_rows_to_line_reads_names_every_table():
    reads = rows_to_line_reads(
        {
            "active": ACTIVE_2021,
            "requests": request_table(),
            "appeals": [*APPEAL_HEADER, row(*APPEAL_VALUES)],
        },
        method="text",
    )
    assert {t: (r.table, r.method, len(r.cells)) for t, r in reads.items()} == {
        "active": ("active", "text", 10),
        "requests": ("requests", "text", 175),
        "appeals": ("appeals", "text", 15),
    }


def test_request_rows_placed_by_position_under_left_aligned_headers_are_a_guess():
    # Headers at the left of their cells, numbers at the right, 其他 blank in every row:
    # the values stand nearer the next header than their own, and with one column never
    # filled nothing shows which; every identity holds either way. The text layer's
    # reading placed them one column right and said nothing (found in review).
    from extract.records import Fragment, Row
    from extract.template.rows import LEAF_KEYS
    from spec import codes

    heads = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    numbers = {"new_received": "一、", "carried_over": "二、", "granted": "（一）"}
    numbers |= {"partially_granted": "（二）", "other": "（六）", "total_processed": "（七）"}
    numbers |= {"carried_forward": "四、"}

    def frag(text, x0, x1, y):
        return Fragment(text, 1, (x0, y, x1, y + 8))

    rows = [
        Row(
            tuple(
                frag(h, 202 + 60 * j, 202 + 60 * j + 8 * len(h), 100) for j, h in enumerate(heads)
            ),
            True,
        )
    ]
    for k, code in enumerate(codes.request_row_codes(1)):
        y = 130 + 20 * k
        label = numbers.get(code, "1.") + LEAF_KEYS[code][0]
        values = [str((k + j) % 3) for j in range(5)]
        cells = [frag(label, 20, 20 + 4 * len(label), y)]
        for j, v in [*enumerate(values), (6, str(sum(map(int, values))))]:
            right = 200 + 60 * j + 58
            cells.append(frag(v, right - 4 * len(v), right, y))
        rows.append(Row(tuple(cells), True))
    read = request_lines(rows, "text")
    assert read.guessed
