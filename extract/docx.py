"""Word reports (.docx), read with python-docx.

The body is walked in order: a paragraph is a prose line, a table gives one row
per ``w:tr`` of its grid. Merged cells are read from the markup (``gridSpan``
and ``vMerge``, ``gridBefore`` for rows that start late) so the text sits in the
merged cell's top-left position and the positions it covers are empty, as in
the HTML reader. A table broken in two by a page break is two tables in a row,
which :mod:`extract.tables` reads as one. A table that holds other tables, or
has a single column, lays the page out and is walked like the body.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from extract.document import rows_to_report
from extract.errors import Corrupt, EmptyDocument, NotAReport
from extract.labels import clean
from extract.records import Fragment, Report, Row

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _int_attr(el: etree._Element | None, default: int) -> int:
    """Given an element with a w:val attribute (or None), return the value as an int."""
    if el is None:
        return default
    try:
        return max(0, int(el.get(_q("val"), default)))
    except ValueError:
        return default


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"), None)
_RUNS = etree.XPath(
    ".//w:r[not(ancestor::mc:Fallback)]",
    namespaces={"w": W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"},
)


def paragraph_text(p: etree._Element) -> str:
    """Given a w:p, return its runs' text, tabs and breaks as spaces.

    Deleted text (w:delText), field codes (w:instrText), tab stops in the
    paragraph properties and the duplicate Fallback copy of a text box are left out.
    """
    parts = []
    for run in _RUNS(p):
        for el in run:
            if el.tag == _q("t"):
                parts.append(el.text or "")
            elif el.tag in (_q("tab"), _q("br"), _q("cr")):
                parts.append(" ")
            elif el.tag == _q("noBreakHyphen"):
                parts.append("-")
    return "".join(parts).translate(_INVISIBLE)


def _blocks(container: etree._Element) -> list[etree._Element]:
    """Given a body, cell or content control, return its paragraphs and tables in order."""
    out = []
    for child in container:
        if child.tag in (_q("p"), _q("tbl")):
            out.append(child)
        elif child.tag in (_q("sdt"), _q("customXml")):
            content = child.find(_q("sdtContent"))
            out.extend(_blocks(content if content is not None else child))
    return out


def cell_text(tc: etree._Element) -> str:
    """Given a w:tc, return the text of its own paragraphs, one space between them."""
    return clean(" ".join(paragraph_text(b) for b in _blocks(tc) if b.tag == _q("p")))


def _row_cells(tr: etree._Element) -> list[etree._Element]:
    cells = []
    for child in tr:
        if child.tag == _q("tc"):
            cells.append(child)
        elif child.tag in (_q("sdt"), _q("customXml")):
            content = child.find(_q("sdtContent"))
            cells.extend(
                c for c in (content if content is not None else child) if c.tag == _q("tc")
            )
    return cells


def _rows(tbl: etree._Element) -> list[etree._Element]:
    return [tr for tr in tbl if tr.tag == _q("tr")]


def table_to_grid(tbl: etree._Element) -> list[list[str]]:
    """Given a w:tbl, return its rectangular grid of cell texts.

    A horizontally merged cell (gridSpan) and a vertically merged one (vMerge
    continue) keep their text in the top-left position only.
    """
    grid: list[list[str]] = []
    for tr in _rows(tbl):
        trpr = tr.find(_q("trPr"))
        col = _int_attr(trpr.find(_q("gridBefore")) if trpr is not None else None, 0)
        row = [""] * col
        for tc in _row_cells(tr):
            tcpr = tc.find(_q("tcPr"))
            span = max(1, _int_attr(tcpr.find(_q("gridSpan")) if tcpr is not None else None, 1))
            vmerge = tcpr.find(_q("vMerge")) if tcpr is not None else None
            continued = vmerge is not None and vmerge.get(_q("val"), "continue") == "continue"
            row.append("" if continued else cell_text(tc))
            row.extend([""] * (span - 1))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]


def is_layout_table(tbl: etree._Element) -> bool:
    """Given a w:tbl, tell whether it lays the page out (holds tables, or has one column)."""
    if tbl.find(f".//{_q('tbl')}") is not None:
        return True
    grid = table_to_grid(tbl)
    return not grid or len(grid[0]) <= 1


def body_to_rows(container: etree._Element) -> list[Row]:
    """Given the document body (or a layout cell), return its rows in reading order."""
    rows: list[Row] = []
    for block in _blocks(container):
        if block.tag == _q("p"):
            text = clean(paragraph_text(block))
            if text:
                rows.append(Row((Fragment(text),)))
        elif is_layout_table(block):
            for tr in _rows(block):
                for tc in _row_cells(tr):
                    rows.extend(body_to_rows(tc))
        else:
            for cells in table_to_grid(block):
                if any(cells):
                    rows.append(Row(tuple(Fragment(t) for t in cells), is_table=True))
    return rows


def docx_to_body(data: bytes) -> etree._Element:
    """Given .docx bytes, return the w:body element of its main document part."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise Corrupt(f"not a readable .docx: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise Corrupt(f"the .docx holds broken XML: {exc}") from exc
    return document.element.body


def docx_to_report(data: bytes) -> Report:
    """Given the bytes of a .docx report, return its Report.

    Raises Corrupt for a file that is no readable .docx, EmptyDocument when it
    holds no text, NotAReport when it has no section headings and no tables.
    """
    rows = body_to_rows(docx_to_body(data))
    if not rows:
        raise EmptyDocument("the document holds no text")
    report = rows_to_report(rows)
    if not report.tables_found and not report.sections:
        raise NotAReport("no section headings and none of tables 二, 三, 四")
    report.media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    report.pages = None
    return report
