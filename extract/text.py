"""Plain-text and markdown conversions of reports (pdftotext, pandoc, the seeds).

Table rows come as markdown pipe rows (``| a | b |``) or tab-separated lines;
everything else is prose. A form feed starts a new page.
"""

from __future__ import annotations

import re

from extract.document import (
    assemble_report,
    layout_to_heading,
    rows_to_layout,
    rows_to_readings,
    rows_to_report,
)
from extract.errors import EmptyDocument, NotAReport
from extract.layout import is_layout_text, layout_readings, text_to_words
from extract.records import Fragment, Report, Row

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def decode_text(data: bytes) -> str:
    """Given text bytes in UTF-8 (with or without BOM), GB18030 or another charset, return str."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")  # an odd byte at the end is no crash
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best else data.decode("utf-8", errors="replace")


def line_to_row(line: str, page: int) -> Row | None:
    """Given one line of text, return a prose or table Row (None for a blank line or a rule;
    a line of tabs alone is a table row of empty cells)."""
    stripped = line.strip()
    if not stripped and line.count("\t") >= 2:
        # A row of a table left blank: its cells are empty but still cells.
        return Row(tuple(Fragment("", page) for _ in line.rstrip("\r\n").split("\t")), True)
    if not stripped or _SEPARATOR.match(stripped):
        return None
    if stripped.startswith("|") and stripped.count("|") >= 2:
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        cells = tuple(Fragment(c.strip(), page) for c in inner.split("|"))
        return Row(cells, is_table=True)
    if "\t" in line:
        cells = tuple(Fragment(c.strip(), page) for c in line.rstrip("\r\n").split("\t"))
        return Row(cells, is_table=True)
    return Row((Fragment(stripped, page),))


def text_to_rows(text: str) -> list[Row]:
    """Given the whole text of a report, return its rows in reading order."""
    rows = []
    for page, chunk in enumerate(text.split("\f"), start=1):
        for line in chunk.splitlines():
            row = line_to_row(line, page)
            if row is not None:
                rows.append(row)
    return rows


def text_to_report(data: bytes) -> Report:
    """Given the bytes of a text or markdown report, return its Report."""
    text = decode_text(data)
    if not text.strip():
        raise EmptyDocument("the file holds no text")
    rows = text_to_rows(text)
    if not rows:
        raise NotAReport("no lines of text")
    report = layout_to_report(text, rows) if is_layout_text(text) else rows_to_report(rows)
    markdown = re.search(r"^(#|\|)", text, flags=re.M)
    report.media_type = "text/markdown" if markdown else "text/plain"
    report.pages = text.count("\f") + 1
    return report


def layout_to_report(text: str, rows: list[Row]) -> Report:
    """Given layout text (``pdftotext -layout``) and its lines as rows, return its Report:
    the heading and sections from the lines, the tables read from the words' character
    columns first (:mod:`extract.layout`), then as the rows read any text."""
    layout = rows_to_layout(rows)
    heading = layout_to_heading(layout, rows)
    readings = [*layout_readings(text_to_words(text)), *rows_to_readings(rows, layout)]
    report = assemble_report(heading, layout.sections(), readings)
    if not report.tables_found and not (heading.title and "公开" in heading.title):
        raise NotAReport(
            "no title naming a 政府信息公开 annual report and none of tables 二, 三, 四"
        )
    return report
