"""What a report's prose says of its own figures: the statistics period (the report year)
and table 三's totals stated in words.

Reports say, in section 一 or before it, 「本报告中所列数据的统计期限自2024年1月1日起至
2024年12月31日止」, and 「2024年，我局共收到政府信息公开申请14件，上年结转1件，办结15件，
结转下年度继续办理0件」. These are a second witness to the year in the title and to table
三's totals. Only clearly worded statements count: a clause that names a subset (其中,
按时, 通过信函…), a change (同比, 较上年), another kind of count (咨询, 主动公开, 复议,
条) or another year is no statement of a total, nor a count of applications that holds
last year's too (含上年结转…); a figure stated twice with two values is not stated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from spec.numerals import YEAR_PATTERN, chinese_number_to_int, chinese_year_to_int

_PAGE_MARK = re.compile(r"[-—－–]\s*\d{1,3}\s*[-—－–]")  # 「—1—」 a converter left in a line
_PAGE_LINE = re.compile(
    r"^\s*[-—－–]{0,2}\s*(?:第\s*)?\d{1,4}\s*页?\s*(?:/\s*共?\s*\d{1,4}\s*页?)?\s*[-—－–]{0,2}\s*$"
)
_CN_NUM = "零〇一二两三四五六七八九十百千万"
_N = rf"(?P<n>\d+|[{_CN_NUM}]+)件"
_APPLICATION = r"(?:政府信息公开申请|信息公开申请|依申请公开(?:政府信息)?申请|依申请公开)"
# One pattern per statement: a whole clause (no comma or full stop inside) that states it.
_STATEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "new_received",
        re.compile(rf"(?:收到|受理|接收|接到)(?:各类|的)?{_APPLICATION}(?:共|合计)?{_N}"),
    ),
    ("new_received", re.compile(rf"新收(?:到)?(?:政府信息公开)?申请(?:共|合计)?{_N}")),
    (
        "new_received",
        re.compile(rf"(?P<none>(?:未|没有)(?:收到|接到|受理))[^,]{{0,30}}?{_APPLICATION}"),
    ),
    ("carried_over", re.compile(rf"上一?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:共)?{_N}")),
    ("total_processed", re.compile(rf"办结(?:政府信息公开)?(?:申请)?(?:共|合计)?{_N}")),
    (
        "carried_forward",
        re.compile(rf"结转(?:至|到)?下一?年度?(?:继续)?(?:办理)?(?:的)?(?:申请)?{_N}"),
    ),
    ("carried_forward", re.compile(rf"{_N}(?:申请)?结转(?:至|到)?下一?年度?")),
)
# A clause with these words states a part, a change or another count: no total of table 三
_NOT_A_TOTAL = re.compile(
    r"其中|按时|逾期|延期|超期|同比|较上年|较去年|比上年|增加|减少|增长|下降|上升|平均|"
    r"咨询|主动公开|复议|诉讼|收费|建议|提案|信函|网络|网上|网站|平台|当面|传真|邮件|邮寄|现场|"
    r"来电|电话|约|近\d|余件|以上"
)
# A sentence whose count of applications holds last year's too (「共受理申请N件（含上年结转M件）」,
# 「…N件，其中新收M件」): its 收到/受理 figure is no count of new applications
_BOTH_YEARS = re.compile(r"[含括]上一?年|其中[^,]{0,6}(?:本年度?)?新收|其中[^,]{0,6}上一?年度?结转")
_CLAUSE_END = re.compile(r"[,;。:!?()\n]")
_YEAR_IN = re.compile(rf"(?P<year>{YEAR_PATTERN})年")
_PERIOD = re.compile(
    rf"统计(?:期限|时限|期间|区间|时段|时间|范围)(?:为|是|自|从|:)*(?P<from>{YEAR_PATTERN})年"
    rf"0?1月0?1日(?:起)?(?:至|到|-|—|~)(?:(?P<to>{YEAR_PATTERN})年)?12月31日"
)


class Statement(NamedTuple):
    """One figure of table 三 the prose states: its row, the value and the words."""

    row: str
    value: int
    text: str


def flatten(text: str) -> str:
    """Given prose lines, return them as one NFKC line without white space, page numbers
    standing on a line of their own, or page marks a converter left inside a line."""
    lines = [ln for ln in (text or "").splitlines() if not _PAGE_LINE.match(ln)]
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "\n".join(lines)))
    flat = _PAGE_MARK.sub("", flat)
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", flat)  # 1,048 件: a thousands separator


def _year(text: str) -> int:
    return int(text) if text.isdigit() else chinese_year_to_int(text)


def period_year(text: str) -> int | None:
    """Given prose, return the year of the statistics period it states (统计期限为2025年1月1日
    至12月31日), or None when it states none or periods of two years."""
    years = set()
    for m in _PERIOD.finditer(flatten(text)):
        start = _year(m.group("from"))
        if m.group("to") and _year(m.group("to")) != start:
            return None  # a period over two years names no one report year
        years.add(start)
    return years.pop() if len(years) == 1 else None


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return chinese_number_to_int(text)


def _clauses(flat: str) -> Iterable[tuple[str, str]]:
    """Given flattened prose, yield each clause with the sentence it belongs to."""
    for sentence in re.split(r"[。;!?\n]", flat):
        for clause in _CLAUSE_END.split(sentence):
            if clause:
                yield clause, sentence


def clause_statements(clause: str) -> list[Statement]:
    """Given one clause, return the statements of table 三's totals it makes."""
    if _NOT_A_TOTAL.search(clause):
        return []
    out: list[Statement] = []
    for row, pattern in _STATEMENTS:
        m = pattern.search(clause)
        if m is None:
            continue
        value = 0 if m.groupdict().get("none") else _count(m.group("n"))
        if value is not None and not any(s.row == row for s in out):
            out.append(Statement(row, value, clause))
    return out


def stated_totals(texts: Iterable[str], year: int | None = None) -> dict[str, Statement]:
    """Given prose texts (sections' bodies) and the report year, return each total of table
    三 they state clearly, by row code: one that is stated with two values, or in a sentence
    that names another year, is left out."""
    found: dict[str, list[Statement]] = {}
    for text in texts:
        for clause, sentence in _clauses(flatten(text)):
            statements = clause_statements(clause)
            if not statements:
                continue
            years = {_year(m.group("year")) for m in _YEAR_IN.finditer(sentence)}
            if year is not None and years - {year}:
                continue  # another year's figures (a comparison, last year's report)
            for s in statements:
                if s.row == "new_received" and _BOTH_YEARS.search(sentence):
                    continue
                found.setdefault(s.row, []).append(s)
    return {row: stated[0] for row, stated in found.items() if len({s.value for s in stated}) == 1}
