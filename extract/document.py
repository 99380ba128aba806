"""Turn a document's rows (prose lines and table rows, any format) into a Report.

Every format reader ends here. It yields :class:`Row` objects in reading order;
:func:`rows_to_layout` splits them at the six section headings, the heading
(title, agency, year) is found in the first lines (:mod:`extract.heading`), and
each table is read in more than one way and the reading the template vouches for
is kept (:mod:`extract.selfcheck`): the ``grid`` reading maps cells through the
header (:mod:`extract.tables`), the ``lines`` reading takes each row's trailing
values in template order (:mod:`extract.lines`), and a reader may add its own
(a PDF's word positions and text layer).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.errors import NotAReport
from extract.heading import lines_to_heading, signature_lines
from extract.labels import clean, squash
from extract.lines import rows_to_line_reads
from extract.records import (
    Heading,
    Problem,
    Report,
    Row,
    Section,
    TableRead,
    read_each_table,
)
from extract.selfcheck import Reading, choose, for_unread, lazily, missing_cells
from extract.tables import rows_to_active_cells, rows_to_appeal_cells, rows_to_request_cells
from extract.template.headers import HEADER_WORDS, SECTION_WORDS, holds_header_word
from spec.kinds import TABLE_NAMES, TableName

_SECTION_NUMERALS = "一二三四五六"
_HEADING = re.compile(r"^#*\s*([一二三四五六])\s*[、.．,，]\s*(.{2,40})$")


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
    if any(w in body for w in SECTION_WORDS[number]):
        return number, re.sub(r"^#+\s*", "", text)
    return None


@dataclass
class Layout:
    """A document's rows split at its section headings (0 is what precedes section 一)."""

    rows: dict[int, list[Row]] = field(default_factory=lambda: {n: [] for n in range(7)})
    headings: dict[int, str] = field(default_factory=dict)

    def prose(self, number: int) -> list[str]:
        """Given a section number, return its prose lines."""
        return [t for r in self.rows[number] if not r.is_table and (t := clean(r.cells[0].text))]

    def sections(self) -> list[Section]:
        return [Section(n, h, "\n".join(self.prose(n))) for n, h in sorted(self.headings.items())]


def rows_to_layout(rows: Sequence[Row]) -> Layout:
    """Given a document's rows in reading order, return them split at the section headings."""
    layout = Layout()
    current = 0
    for row in rows:
        head = heading_of(row)
        if head and head[0] > current:
            current = head[0]
            layout.headings[current] = head[1]
            continue
        layout.rows[current].append(row)
    return layout


def layout_to_table_rows(layout: Layout, rows: Sequence[Row]) -> dict[str, list[Row]]:
    """Given a layout and all rows, return the table rows of tables 二, 三 and 四: by
    section, or by their labels when the document has no section headings."""
    tables = {
        "active": [r for r in layout.rows[2] if r.is_table],
        "requests": [r for r in layout.rows[3] if r.is_table],
        "appeals": [r for r in layout.rows[4] if r.is_table],
    }
    if any(tables.values()):
        return tables
    return rows_by_content([r for r in rows if r.is_table])


def rows_by_content(rows: Sequence[Row]) -> dict[str, list[Row]]:
    """Given table rows with no section headings, assign them to tables by their labels."""
    out: dict[str, list[Row]] = {"active": [], "requests": [], "appeals": []}
    current = None
    for row in rows:
        joined = squash("".join(row.texts))
        if holds_header_word(joined, ("active",)):
            current = "active"
        elif holds_header_word(joined, ("requests",)) or "本年新收" in joined:
            current = "requests"
        elif all(w in joined for w in HEADER_WORDS["appeals"]) or (
            holds_header_word(joined, ("appeals",))
            and current == "requests"
            and "本年" not in joined
        ):
            current = "appeals"
        if current:
            out[current].append(row)
    return out


def rows_to_tables(rows: Sequence[Row]) -> dict[str, list[Row]]:
    """Given a document's rows in reading order, return the table rows of tables 二, 三 and 四."""
    return layout_to_table_rows(rows_to_layout(rows), rows)


def grid_reading(tables: dict[str, list[Row]], method: str = "grid") -> dict[TableName, TableRead]:
    """Given each table's rows, return the reading that maps cells through the header."""
    return read_each_table(
        tables, method, rows_to_active_cells, rows_to_request_cells, rows_to_appeal_cells
    )


def rows_to_readings(rows: Sequence[Row], layout: Layout | None = None) -> list[Reading]:
    """Given a document's rows, return its grid and lines readings (run lazily)."""
    tables = layout_to_table_rows(layout or rows_to_layout(rows), rows)
    return [
        ("grid", lambda: grid_reading(tables)),
        ("lines", lambda: rows_to_line_reads(tables)),
    ]


def layout_to_heading(
    layout: Layout, rows: Sequence[Row], fallbacks: Sequence[tuple[str, str]] = ()
) -> Heading:
    """Given a layout, all rows and named fallback texts, return the report's heading."""
    head = layout.prose(0) if layout.headings else []
    if not head:
        head = [clean(r.cells[0].text) for r in rows[:30] if not r.is_table]
    tail = layout.prose(max(layout.headings)) if layout.headings else []
    return lines_to_heading(head, [*signature_lines(tail[-6:]), *fallbacks])


def assemble_report(heading: Heading, sections: list[Section], readings: list[Reading]) -> Report:
    """Given the heading, the sections and the readings of a document, return its Report
    with, for each table, the reading the self-check kept and every attempt."""
    reads = lazily(readings)
    report = Report(
        title=heading.title, agency_name=heading.agency, year=heading.year, template=None
    )
    report.heading_source = heading.source
    report.period_year = heading.period_year
    report.sections = sections
    for table in TABLE_NAMES:
        choice = choose(table, reads(table))
        report.attempts.extend(choice.attempts)
        read = choice.read
        if read is None or not read.found:
            report.problems.append(Problem(table, "not_found"))
            continue
        report.tables_found.add(table)
        report.cells.extend(read.cells)
        report.problems.extend(read.problems)
        if table == "active":
            report.template = read.template
        if choice.confirmed:
            report.confirmed.add(table)
        missing = missing_cells(choice)
        if missing:
            report.problems.append(Problem(table, "not_read", f"not read: {missing}"))
    return report


def rows_to_report(
    rows: Sequence[Row],
    fallbacks: Sequence[tuple[str, str]] = (),
    extra: Sequence[Reading] = (),
) -> Report:
    """Given a document's rows in reading order, return its Report (cells still raw).

    ``fallbacks`` are named texts (a page <title>, a metadata title) that may tell the
    agency or year when the heading does not; ``extra`` are readings a format adds after
    the grid and lines readings (an HTML page's pictured tables read by OCR). Raises
    NotAReport for a document with no report title and none of the three tables.
    """
    layout = rows_to_layout(rows)
    heading = layout_to_heading(layout, rows, fallbacks)
    readings = for_unread(rows_to_readings(rows, layout), extra)
    report = assemble_report(heading, layout.sections(), readings)
    if not report.tables_found and not (heading.title and "公开" in heading.title):
        raise NotAReport(
            "no title naming a 政府信息公开 annual report and none of tables 二, 三, 四"
        )
    return report
