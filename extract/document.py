"""Turn a document's rows (prose lines and table rows, any format) into a Report.

Every format reader ends here: it yields :class:`Row` objects in reading order
and :func:`rows_to_report` finds the title, agency, year, the six sections and
the three tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.errors import NotAReport
from extract.labels import clean, squash
from extract.records import Report, Row, Section
from extract.tables import rows_to_active_cells, rows_to_appeal_cells, rows_to_request_cells

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([二][〇○零Ｏ][一二三四五六七八九〇○零Ｏ]{2})\s*年")
_SECTION_NUMERALS = "一二三四五六"
_SECTION_WORDS = {
    1: ("总体情况", "概述", "总体"),
    2: ("主动公开",),
    3: ("收到和处理", "依申请", "申请情况"),
    4: ("复议", "诉讼"),
    5: ("存在的主要问题", "主要问题", "改进情况", "问题"),
    6: ("其他需要报告", "其他事项", "其他"),
}
_HEADING = re.compile(r"^#*\s*([一二三四五六])\s*[、.．,，]\s*(.{2,40})$")
_TITLE_WORDS = ("年度报告", "年报")
_AGENCY_SUFFIX = re.compile(
    r"(局|委|办|院|府|厅|部|会|所|中心|政府|镇|街道|乡|室|处|队|站|馆|社|行|署)$"
)


def year_of(text: str) -> int | None:
    """Given a title-like text, return the report year in arabic or Chinese numerals."""
    t = clean(text).replace(" ", "")
    m = _YEAR.search(t)
    if m:
        return int(m.group(1))
    m = _CN_YEAR.search(t)
    if m:
        return int("".join(str(_CN_DIGITS[ch]) for ch in m.group(1)))
    return None


def agency_of(title: str) -> str | None:
    """Given a report title, return the agency name that precedes its year, else None."""
    t = re.sub(r"^#+", "", clean(title)).replace(" ", "")
    m = _YEAR.search(t) or _CN_YEAR.search(t)
    if not m:
        return None
    name = re.sub(r"(关于|的)$", "", t[: m.start()]).strip('《》<>“”"：:,，')
    return name or None


def heading_of(row: Row) -> tuple[int, str] | None:
    """Given a prose row, return (section number, heading) if it is a section heading."""
    if row.is_table or len(row.cells) != 1:
        return None
    text = clean(row.cells[0].text)
    m = _HEADING.match(text)
    if not m:
        return None
    number = _SECTION_NUMERALS.index(m.group(1)) + 1
    body = squash(m.group(2))
    if any(w in body for w in _SECTION_WORDS[number]):
        return number, re.sub(r"^#+\s*", "", text)
    return None


def _title_of(rows: Sequence[Row]) -> tuple[str | None, str | None, int | None]:
    """Given the rows before section 一, return (title, agency, year) from the heading."""
    prose = [clean(r.cells[0].text) for r in rows if not r.is_table and r.cells]
    prose = [re.sub(r"^#+\s*", "", p) for p in prose if p]
    for i, line in enumerate(prose[:12]):
        flat = line.replace(" ", "")
        if not any(w in flat for w in _TITLE_WORDS) or len(flat) > 80:
            continue
        title, agency = flat, agency_of(flat)
        if agency is None and i > 0:
            previous = prose[i - 1].replace(" ", "")
            if len(previous) <= 40 and _AGENCY_SUFFIX.search(previous):
                agency, title = previous, previous + flat
        return title, agency, year_of(flat)
    return None, None, None


def rows_to_report(rows: Sequence[Row]) -> Report:
    """Given a document's rows in reading order, return its Report (cells still raw)."""
    section_rows: dict[int, list[Row]] = {n: [] for n in range(0, 7)}
    headings: dict[int, str] = {}
    current = 0
    for row in rows:
        head = heading_of(row)
        if head and head[0] > current:
            current = head[0]
            headings[current] = head[1]
            continue
        section_rows[current].append(row)

    title, agency, year = _title_of(section_rows[0] or list(rows[:12]))
    report = Report(title=title, agency_name=agency, year=year, template=None)

    tables = {
        "active": [r for r in section_rows[2] if r.is_table],
        "requests": [r for r in section_rows[3] if r.is_table],
        "appeals": [r for r in section_rows[4] if r.is_table],
    }
    if not any(tables.values()):
        tables = _tables_by_content([r for r in rows if r.is_table])

    template, active = rows_to_active_cells(tables["active"])
    requests = rows_to_request_cells(tables["requests"])
    appeals = rows_to_appeal_cells(tables["appeals"])
    report.template = template
    for name, res in (("active", active), ("requests", requests), ("appeals", appeals)):
        report.cells.extend(res.cells)
        report.problems.extend(res.problems)
        if res.found:
            report.tables_found.add(name)
        else:
            report.problems.append(
                f"table {'二三四'[['active', 'requests', 'appeals'].index(name)]} not found"
            )

    for n in range(1, 7):
        if n in headings:
            body = "\n".join(
                clean(r.cells[0].text)
                for r in section_rows[n]
                if not r.is_table and clean(r.cells[0].text)
            )
            report.sections.append(Section(n, headings[n], body))

    if not report.tables_found and not (title and "公开" in title):
        raise NotAReport(
            "no title naming a 政府信息公开 annual report and none of tables 二, 三, 四"
        )
    return report


def _tables_by_content(rows: Sequence[Row]) -> dict[str, list[Row]]:
    """Given table rows with no section headings, assign them to tables by their labels."""
    out: dict[str, list[Row]] = {"active": [], "requests": [], "appeals": []}
    current = None
    for row in rows:
        joined = squash("".join(row.texts))
        if "第二十条" in joined or "信息内容" in joined:
            current = "active"
        elif (
            "申请人情况" in joined
            or "本年新收" in joined
            or "自然人" in joined
            and current != "requests"
        ):
            current = "requests"
        elif ("行政复议" in joined and "行政诉讼" in joined) or (
            "行政复议" in joined and current == "requests" and "本年" not in joined
        ):
            current = "appeals"
        if current:
            out[current].append(row)
    return out
