"""extract/document.py: a document's rows split at its section headings, its tables found
and read, and a Report assembled, from hand-built rows."""

import pytest

from extract.document import heading_of, rows_by_content, rows_to_layout, rows_to_report
from extract.errors import NotAReport
from extract.pdf import join_page_breaks
from extract.records import Fragment, Row
from tests.docgen.layout import SECTION_HEADINGS
from tests.docgen.rows import ACTIVE_2021, APPEAL_HEADER, request_table, row

TITLE = "洛阳市生态环境局2023年政府信息公开工作年度报告"
HEADINGS = [SECTION_HEADINGS[n] for n in range(1, 7)]


def prose(text: str) -> Row:
    return Row((Fragment(text, 1),))


def document(requests: list[Row]) -> list[Row]:
    """A whole report: title, the six sections with tables 二, 三 (as given) and 四, and a
    signature."""
    return [
        prose(TITLE),
        prose(HEADINGS[0]),
        prose("本机关认真贯彻落实条例。"),
        prose(HEADINGS[1]),
        *ACTIVE_2021,
        prose(HEADINGS[2]),
        *requests,
        prose(HEADINGS[3]),
        *APPEAL_HEADER,
        row(*["0"] * 15),
        prose(HEADINGS[4]),
        prose("无。"),
        prose(HEADINGS[5]),
        prose("无。"),
        prose("洛阳市生态环境局"),
        prose("2024年1月18日"),
    ]


@pytest.mark.parametrize("number", range(1, 7))
def test_section_headings(number):
    text = HEADINGS[number - 1]
    assert heading_of(prose(text)) == (number, text)
    assert heading_of(prose("## " + text)) == (number, text)


@pytest.mark.parametrize(
    "line",
    [
        "一、本年新收政府信息公开申请数量",  # a table 三 label, not section 一's words
        "三、加强组织领导",
        "七、其他",
        "总体情况",
    ],
)
def test_not_section_headings(line):
    assert heading_of(prose(line)) is None


def test_a_table_row_is_no_section_heading():
    assert heading_of(row(HEADINGS[0])) is None
    assert heading_of(Row((Fragment(HEADINGS[0]), Fragment("")))) is None


def test_rows_to_layout_splits_at_the_headings():
    layout = rows_to_layout(document(request_table()))
    assert layout.headings == dict(enumerate(HEADINGS, start=1))
    assert layout.prose(0) == [TITLE]
    assert layout.prose(1) == ["本机关认真贯彻落实条例。"]
    assert layout.rows[2] == ACTIVE_2021
    assert [s.body for s in layout.sections()][4:] == [
        "无。",
        "无。\n洛阳市生态环境局\n2024年1月18日",
    ]


def test_a_heading_out_of_order_is_body_text():
    """「二、主动公开」 after section 三 has begun is a line of section 三 (a table label, a
    quote), never a step back."""
    layout = rows_to_layout([prose(HEADINGS[0]), prose(HEADINGS[2]), prose("二、主动公开")])
    assert layout.headings == {1: HEADINGS[0], 3: HEADINGS[2]}
    assert layout.prose(3) == ["二、主动公开"]


def test_tables_by_their_labels_without_section_headings():
    tables = [*ACTIVE_2021, *request_table(), *APPEAL_HEADER, row(*["0"] * 15)]
    by_content = rows_by_content(tables)
    assert by_content["active"] == ACTIVE_2021
    assert by_content["requests"] == request_table()
    assert by_content["appeals"] == [*APPEAL_HEADER, row(*["0"] * 15)]


def test_a_whole_report_whose_identities_hold():
    report = rows_to_report(document(request_table(value=lambda row, col: "0")))
    assert (report.title, report.agency_name, report.year, report.template) == (
        TITLE,
        "洛阳市生态环境局",
        2023,
        "2021",
    )
    assert report.heading_source == "line 1"
    assert report.tables_found == {"active", "requests", "appeals"}
    assert len(report.cells) == 10 + 175 + 15
    assert (report.problems, report.confirmed) == ([], set())
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    # the grid reading passed every table: no other reading was needed
    assert [(a.table, a.method, a.verdict, a.chosen) for a in report.attempts] == [
        ("active", "grid", "passes", True),
        ("requests", "grid", "passes", True),
        ("appeals", "grid", "passes", True),
    ]


def test_failing_identities_two_readings_agree_on_are_confirmed():
    # request_value gives every cell a distinct value: no total adds up
    report = rows_to_report(document(request_table()))
    assert report.confirmed == {"requests"}
    assert [(a.table, a.method, a.verdict, a.chosen) for a in report.attempts] == [
        ("active", "grid", "passes", True),
        ("requests", "grid", "fails_checks", True),
        ("requests", "lines", "fails_checks", False),
        ("appeals", "grid", "passes", True),
    ]


def test_a_report_without_its_tables_says_which():
    report = rows_to_report([prose(TITLE), prose("正文")])
    assert report.tables_found == set()
    assert list(map(str, report.problems)) == [
        "table 二 not found",
        "table 三 not found",
        "table 四 not found",
    ]


def test_not_a_report():
    with pytest.raises(NotAReport):
        rows_to_report([prose("会议通知"), prose("兹定于下周一召开全体会议。")])


def test_a_row_a_page_break_cut_joins_its_rest_below_the_repeated_header():
    # Class: table 三's row 「（三）不予公开 1.属于国家秘密」 cut by a page break, its values
    # with the first part (「(三 | 1.属于国 | 25 …」); the next page repeats the header
    # before the rest of the label (「）不予公开 | 家秘密」). Only a first row after the
    # break was joined: here the row stayed cut and denied_state_secret was not found.
    def table_row(page: int, *texts: str) -> Row:
        return Row(tuple(Fragment(t, page) for t in texts), is_table=True)

    values = ("25", "0", "0", "无", "0", "0", "25")
    rows = [
        table_row(2, "", "(三", "1.属于国", *values),
        Row((Fragment("— 2 —", 2),)),
        table_row(
            3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"
        ),
        table_row(3, "", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"),
        table_row(
            3, "", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""
        ),
        table_row(3, "", "）不予公开", "家秘密", "", "", "", "", "", "", ""),
        table_row(3, "", "", "2.其他法律行政法规禁止公开", "8", "5", "0", "0", "0", "0", "13"),
    ]
    joined = join_page_breaks(rows)
    assert [r.texts[:4] for r in joined if r.is_table] == [
        ["", "(三）不予公开", "1.属于国家秘密", "25"],
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["", "", "", "自然人"],
        ["", "", "", ""],
        ["", "", "2.其他法律行政法规禁止公开", "8"],
    ]
