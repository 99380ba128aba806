"""Hand-built table rows in the template's layout, for unit tests of the table readers.

A format reader hands the table readers :class:`Row` objects; these build small ones
directly (no rendering, no parsing): a row of cell texts, and tables 二, 三 and 四 laid
out as the national template prints them, with values chosen by the test.
"""

from __future__ import annotations

from collections.abc import Callable

from extract.records import Fragment, Row, TableRead
from spec import codes


def row(*texts: str, page: int | None = 1) -> Row:
    """Given cell texts, return a table row of them (on page 1 unless told)."""
    return Row(tuple(Fragment(t, page) for t in texts), is_table=True)


def fragments(*texts: str) -> list[Fragment]:
    """Given cell texts, return them as fragments with no page or box."""
    return [Fragment(t) for t in texts]


# ---------------------------------------------------------------- table 三

# Two header rows over a group column, a label column and the seven applicant columns.
REQUEST_HEADER = [
    row("申请人情况", "", "自然人", "法人或其他组织", "", "", "", "其他", "总计"),
    row("", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "", ""),
]


def request_labels(three_other_rows: bool = True) -> list[tuple[str, str, str]]:
    """Given whether （六） has three sub-rows, return table 三's rows in template order as
    (row code, group label, row label) the way the template prints them."""
    out = []
    for r in codes.request_rows():
        if r.row_code not in codes.request_row_codes(3 if three_other_rows else 1):
            continue
        parts = r.label.split(" (")[0].split(" ")
        group, label = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        out.append((r.row_code, group, label))
    return out


def request_value(code: str, applicant: str) -> str:
    """A distinct value for each cell of table 三: where it came from shows in its text."""
    rows = codes.request_row_codes(3) + ("other",)
    return str(rows.index(code) * 10 + codes.applicants().index(applicant))


def request_table(
    three_other_rows: bool = True, value: Callable[[str, str], str] = request_value
) -> list[Row]:
    """Given whether （六） has three sub-rows and a cell's value by (row, applicant), return
    table 三 as rows: the header, then one row a template row (group, label, 7 values)."""
    body = [
        row(group, label, *(value(code, a) for a in codes.applicants()))
        for code, group, label in request_labels(three_other_rows)
    ]
    return [*REQUEST_HEADER, *body]


def request_values(three_other_rows: bool = True) -> dict[tuple[str, str], str]:
    """Given whether （六） has three sub-rows, return the cells of :func:`request_table`
    (row, applicant) -> text, in template order."""
    return {
        (code, a): request_value(code, a)
        for code in codes.request_row_codes(3 if three_other_rows else 1)
        for a in codes.applicants()
    }


def cell_values(read: TableRead) -> dict[tuple[str, str], str]:
    """Given a reading of a table, return its cells' texts by (row, column)."""
    return {(c.row, c.col): c.raw for c in read.cells}


# ---------------------------------------------------------------- table 四

# Three header rows over the fifteen value columns (merged cells as blanks beside them).
OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
APPEAL_HEADER = [
    row("行政复议", *[""] * 4, "行政诉讼", *[""] * 9),
    row(*OUTCOMES, "未经复议直接起诉", *[""] * 4, "复议后起诉", *[""] * 4),
    row(*[""] * 5, *OUTCOMES, *OUTCOMES),
]
APPEAL_KEYS = [(p, o) for p in codes.proceedings() for o in codes.outcomes()]


# ---------------------------------------------------------------- table 二

ACTIVE_2021 = [
    row("第二十条第（一）项"),
    row("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
    row("规章", "1", "0", "5"),
    row("行政规范性文件", "2", "1", "7"),
    row("第二十条第（五）项"),
    row("信息内容", "本年处理决定数量"),
    row("行政许可", "30"),
    row("第二十条第（六）项"),
    row("信息内容", "本年处理决定数量"),
    row("行政处罚", "4"),
    row("行政强制", "0"),
    row("第二十条第（八）项"),
    row("信息内容", "本年收费金额（单位：万元）"),
    row("行政事业性收费", "1.5"),
]
ACTIVE_2021_CELLS = [
    ("regulations", "issued", "1"),
    ("regulations", "repealed", "0"),
    ("regulations", "in_force", "5"),
    ("normative_documents", "issued", "2"),
    ("normative_documents", "repealed", "1"),
    ("normative_documents", "in_force", "7"),
    ("licensing", "decisions", "30"),
    ("punishment", "decisions", "4"),
    ("coercion", "decisions", "0"),
    ("fees", "amount", "1.5"),
]

ACTIVE_2019 = [
    row("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
    row("规章", "1", "2", "3"),
    row("规范性文件", "4", "5", "6"),
    row("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
    row("行政许可", "7", "1", "70"),
    row("其他对外管理服务事项", "8", "0", "80"),
    row("行政处罚", "9", "-1", "90"),
    row("行政强制", "2", "0", "20"),
    row("信息内容", "上一年项目数量", "本年增/减"),
    row("行政事业性收费", "3", "-1"),
    row("信息内容", "采购项目数量", "采购总金额（元）"),
    row("政府集中采购", "2", "50000"),
]
