"""Word reports (.docx), read with python-docx.

The body is walked in order: a paragraph is a prose line, a table gives one row
per ``w:tr`` of its grid. Merged cells are read from the markup (``gridSpan``
and ``vMerge``, ``gridBefore`` for rows that start late) so the text sits in the
merged cell's top-left position and the positions it covers are empty, as in
the HTML reader. A table broken in two by a page break is two tables in a row,
which :mod:`extract.tables` reads as one. A table that holds other tables, or
has a single column, lays the page out and is walked like the body.

Tables pasted as pictures (screenshots in the body, ``a:blip`` or VML
``v:imagedata``) are read by OCR, each after the section heading above it, for
the tables the text does not hold (:func:`docx_pictures`).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from PIL.Image import Image

    from extract.ocr import OcrPage

from extract.document import heading_of, rows_to_report
from extract.errors import Corrupt, EmptyDocument, NotAReport
from extract.labels import clean
from extract.records import Fragment, Report, Row
from extract.selfcheck import Reading
from spec.numerals import chinese_count

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


def format_number(n: int, fmt: str) -> str:
    """Given a list counter and a w:numFmt value, return the number as Word shows it."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
    ):
        return chinese_count(n) if 0 < n < 100 else str(n)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(n)


@dataclass
class Numbering:
    """Word's automatic list numbering: the "一、" of a heading that is not in its text."""

    levels: dict[tuple[str, int], tuple[str, str, int]] = field(default_factory=dict)
    abstract_of: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> numId, ilvl
    counters: dict[str, list[int]] = field(default_factory=dict)

    def label(self, p: etree._Element) -> str:
        """Given a w:p, count it and return its list label ('一、'), or '' when it has none."""
        ppr = p.find(_q("pPr"))
        numpr = ppr.find(_q("numPr")) if ppr is not None else None
        if numpr is not None:
            num = numpr.find(_q("numId"))
            num_id = num.get(_q("val"), "0") if num is not None else "0"
            level = _int_attr(numpr.find(_q("ilvl")), 0)
        else:
            style = ppr.find(_q("pStyle")) if ppr is not None else None
            num_id, level = self.style_num.get(
                style.get(_q("val")) if style is not None else "", ("0", 0)
            )
        abstract = self.abstract_of.get(num_id)
        if abstract is None or (abstract, level) not in self.levels:
            return ""
        counts = self.counters.setdefault(abstract, [0] * 9)
        fmt, text, start = self.levels[(abstract, level)]
        counts[level] = max(counts[level], start - 1) + 1
        for deeper in range(level + 1, len(counts)):
            counts[deeper] = 0
        if fmt in ("bullet", "none"):
            return ""
        for k in range(level + 1):
            k_fmt, _, k_start = self.levels.get((abstract, k), ("decimal", "", 1))
            text = text.replace(f"%{k + 1}", format_number(counts[k] or k_start, k_fmt))
        return text


def numbering_of(document: DocxDocument) -> Numbering:
    """Given a python-docx Document, return its list numbering definitions."""
    numbering = Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return numbering
    for abstract in root.iterchildren(_q("abstractNum")):
        aid = abstract.get(_q("abstractNumId"))
        for lvl in abstract.iterchildren(_q("lvl")):
            fmt = lvl.find(_q("numFmt"))
            text = lvl.find(_q("lvlText"))
            numbering.levels[(aid, int(lvl.get(_q("ilvl"), 0)))] = (
                fmt.get(_q("val"), "decimal") if fmt is not None else "decimal",
                text.get(_q("val"), "") if text is not None else "",
                _int_attr(lvl.find(_q("start")), 1),
            )
    for num in root.iterchildren(_q("num")):
        ref = num.find(_q("abstractNumId"))
        if ref is not None:
            numbering.abstract_of[num.get(_q("numId"))] = ref.get(_q("val"))
    for style in document.styles.element.iterchildren(_q("style")):
        numpr = style.find(f"{_q('pPr')}/{_q('numPr')}")
        num_id = numpr.find(_q("numId")) if numpr is not None else None
        if num_id is not None:
            level = _int_attr(numpr.find(_q("ilvl")), 0)
            numbering.style_num[style.get(_q("styleId"))] = (num_id.get(_q("val")), level)
    return numbering


def paragraph_text(p: etree._Element, numbering: Numbering | None = None) -> str:
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
    label = numbering.label(p) if numbering is not None else ""
    return label + "".join(parts).translate(_INVISIBLE)


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


def cell_text(tc: etree._Element, numbering: Numbering | None = None) -> str:
    """Given a w:tc, return the text of its own paragraphs, one space between them."""
    return clean(" ".join(paragraph_text(b, numbering) for b in _blocks(tc) if b.tag == _q("p")))


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


def table_to_grid(
    tbl: etree._Element, numbering: Numbering | None = None, covered: str | None = ""
) -> list[list[str | None]]:
    """Given a w:tbl, return its rectangular grid of cell texts.

    A horizontally merged cell (gridSpan) and a vertically merged one (vMerge
    continue) keep their text in the top-left position only; the positions they
    cover (and those a row skips with gridBefore) hold ``covered``.
    """
    grid: list[list[str | None]] = []
    for tr in _rows(tbl):
        trpr = tr.find(_q("trPr"))
        col = _int_attr(trpr.find(_q("gridBefore")) if trpr is not None else None, 0)
        row: list[str | None] = [covered] * col
        for tc in _row_cells(tr):
            tcpr = tc.find(_q("tcPr"))
            span = max(1, _int_attr(tcpr.find(_q("gridSpan")) if tcpr is not None else None, 1))
            vmerge = tcpr.find(_q("vMerge")) if tcpr is not None else None
            continued = vmerge is not None and vmerge.get(_q("val"), "continue") == "continue"
            row.append(covered if continued else cell_text(tc, numbering))
            row.extend([covered] * (span - 1))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [covered] * (width - len(r)) for r in grid]


def is_layout_table(tbl: etree._Element) -> bool:
    """Given a w:tbl, tell whether it lays the page out (holds tables, or has one column)."""
    if tbl.find(f".//{_q('tbl')}") is not None:
        return True
    grid = table_to_grid(tbl)
    return not grid or len(grid[0]) <= 1


def body_to_rows(container: etree._Element, numbering: Numbering | None = None) -> list[Row]:
    """Given the document body (or a layout cell), return its rows in reading order."""
    rows: list[Row] = []
    for block in _blocks(container):
        if block.tag == _q("p"):
            text = clean(paragraph_text(block, numbering))
            if text:
                rows.append(Row((Fragment(text),)))
        elif is_layout_table(block):
            for tr in _rows(block):
                for tc in _row_cells(tr):
                    rows.extend(body_to_rows(tc, numbering))
        else:
            for cells in table_to_grid(block, numbering, covered=None):
                if any(t is not None for t in cells):
                    frags = (Fragment(t or "", spanned=t is None) for t in cells)
                    rows.append(Row(tuple(frags), is_table=True))
    return rows


def docx_to_document(data: bytes) -> DocxDocument:
    """Given .docx bytes, return the python-docx Document."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise Corrupt(f"not a readable .docx: {exc}") from exc
    except (zlib.error, EOFError, NotImplementedError) as exc:  # a damaged or odd zip member
        raise Corrupt(f"a .docx part does not inflate: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise Corrupt(f"the .docx holds broken XML: {exc}") from exc


def metadata_title(document: DocxDocument) -> str:
    """Given a python-docx Document, return the title its core properties give ('' if none
    or if the part is damaged: the title is only a fallback)."""
    try:
        return document.core_properties.title or ""
    except (AttributeError, KeyError, ValueError, etree.XMLSyntaxError):
        return ""


_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def docx_pictures(body: etree._Element, document: DocxDocument) -> list[tuple[str | None, Image]]:
    """Given the body and its document, return each picture in the body large enough to
    hold a table, in order, with the section heading standing before it when that heading
    differs from the previous picture's (None otherwise)."""
    from extract.scanned import open_picture

    related = document.part.related_parts
    out: list[tuple[str | None, Image]] = []
    heading = last = None
    for p in body.iter(_q("p")):
        text = clean(paragraph_text(p))
        if text and heading_of(Row((Fragment(text),))):
            heading = text
        for el in p.iter(_BLIP, _VML_IMAGE):
            part = related.get(el.get(f"{_R}embed") or el.get(f"{_R}id") or "")
            picture = open_picture(part.blob) if part is not None else None
            if picture is not None:
                out.append((heading if heading != last else None, picture))
                last = heading
    return out


def pictured_readings(
    body: etree._Element, document: DocxDocument, read: list[OcrPage]
) -> list[Reading]:
    """Given the body and its document, return the OCR readings of its pictures, run only
    when asked (the pictures read are added to ``read``); none for a body without."""
    if next(body.iter(_BLIP, _VML_IMAGE), None) is None:
        return []
    from extract.scanned import picture_readings

    return picture_readings(lambda: docx_pictures(body, document), read)


def docx_to_pictures(data: bytes) -> list[Image]:
    """Given the bytes of a .docx report, return the pictures OCR reads as tables, in the
    order (and so with the page numbers, from 1) their readings give."""
    document = docx_to_document(data)
    body = document.element.find(_q("body"))
    return [] if body is None else [picture for _, picture in docx_pictures(body, document)]


def docx_to_report(data: bytes) -> Report:
    """Given the bytes of a .docx report, return its Report.

    Raises Corrupt for a file that is no readable .docx, EmptyDocument when it
    holds no text, NotAReport when it has no section headings and no tables.
    """
    document = docx_to_document(data)
    body = document.element.find(_q("body"))
    if body is None:
        raise Corrupt("the .docx main part has no w:body")
    rows = body_to_rows(body, numbering_of(document))
    if not rows:
        raise EmptyDocument("the document holds no text")
    pictured: list[OcrPage] = []
    extra = pictured_readings(body, document, pictured)
    report = rows_to_report(rows, [("metadata", metadata_title(document))], extra)
    report.page_scales = {p.page: p.scale for p in pictured}  # the pictures OCR read, if any
    report.page_turns = {p.page: p.skew for p in pictured if p.skew}
    if not report.tables_found and not report.sections:
        raise NotAReport("no section headings and none of tables 二, 三, 四")
    report.media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    report.pages = None
    return report
