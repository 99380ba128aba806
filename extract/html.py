"""HTML reports: government CMS article pages and Word-pasted HTML, in GBK or UTF-8.

The page is decoded (`common/charset.py`: BOM, then whichever of UTF-8, GB18030 and
the declared charset reads as Chinese best, so a wrong declaration cannot produce
mojibake), parsed with lxml, and walked in document order into rows: block elements
give prose lines, each leaf ``<table>`` gives its grid (rowspan/colspan expanded, the
text kept in the spanned cell's top-left position and the extra positions left
empty, as the text conversions lay them out). A table holding other tables, or
of a single column, is page layout and is walked like any other container. The
article is the smallest element holding the section headings and tables, which
drops the site navigation around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree

from common.charset import decode_html
from extract.document import heading_of, rows_to_report
from extract.errors import EmptyDocument, NotAReport, TooComplex
from extract.heading import find_title
from extract.labels import clean
from extract.records import Fragment, Report, Row
from extract.selfcheck import Reading

if TYPE_CHECKING:
    from PIL.Image import Image

    from extract.ocr import OcrPage

_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul", "caption",
}  # fmt: skip
# Zero-width and soft-hyphen characters that rich-text editors (UEditor, Word) leave in cells.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"), None)
# "XX县人民政府门户网站" -> the site owner "XX县人民政府"
_SITE_SUFFIX = re.compile(r"(门户网站|网站|官网|门户网|网)$")
_HEADINGS = re.compile(r"^h[1-6]$", re.I)
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "select", "button"}
_NOT_FOUND = re.compile(r"(?<!\d)404(?!\d)|页面不存在|页面未找到|找不到|您访问的页面|not found")


# ---------------------------------------------------------------- parsing


def html_to_tree(text: str) -> etree._Element:
    """Given a decoded HTML page, return its lxml root element."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str with an XML declaration
    if not text.strip():
        raise EmptyDocument("the page holds no markup")
    parser = lxml.html.HTMLParser()
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise NotAReport(f"the page does not parse as HTML: {exc}") from exc
    for error in parser.error_log:
        # libxml2 stops at 256 nested elements and would hand back a truncated tree
        if error.type_name == "ERR_RESOURCE_LIMIT":
            raise TooComplex(f"the page is nested too deep: {error.message}")
    return tree


# ---------------------------------------------------------------- tables


def _span(value: str | None, limit: int) -> int:
    """Given a rowspan/colspan attribute, return it as an int in 1..limit (0 means to the end)."""
    try:
        n = int(re.sub(r"[^\d]", "", value or "") or 1)
    except ValueError:
        n = 1
    return limit if n == 0 else max(1, min(n, limit))


def cell_text(cell: etree._Element) -> str:
    """Given a <td>, return its text: spans joined, <br> and paragraphs as spaces, &nbsp; trimmed."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP or tag == "table":
            return
        if tag in ("br", "p", "div", "li") and parts:
            parts.append(" ")
        if tag and el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    return clean("".join(parts).translate(_INVISIBLE))


def table_rows(table: etree._Element) -> list[etree._Element]:
    """Given a <table>, return its own <tr> elements (not those of nested tables), in order."""
    out = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            out.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            out.extend(c for c in child if c.tag == "tr")
    return out


@dataclass(frozen=True)
class SpanCell:
    """A cell as written in the markup: text and how many rows and columns it spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


def table_to_cells(table: etree._Element) -> list[list[SpanCell]]:
    """Given a <table>, return its rows of cells as written, spans read from the markup."""
    trs = table_rows(table)
    rows = []
    for i, tr in enumerate(trs):
        cells = []
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            cells.append(
                SpanCell(
                    cell_text(td),
                    _span(td.get("rowspan"), len(trs) - i),
                    _span(td.get("colspan"), 1000),
                )
            )
        rows.append(cells)
    return rows


def cells_to_grid(rows: list[list[SpanCell]], covered: str | None = "") -> list[list[str | None]]:
    """Given rows of cells with spans, return the rectangular grid.

    A spanned cell's text sits in its top-left position; the other positions it
    covers (and those no cell reaches) hold ``covered``, so every written cell
    appears exactly once.
    """
    taken: dict[tuple[int, int], str | None] = {}
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, c + dc)] = cell.text if (dr, dc) == (0, 0) else covered
            c += cell.colspan
    height = len(rows)
    width = max((c + 1 for (r, c) in taken if r < height), default=0)
    return [[taken.get((r, c), covered) for c in range(width)] for r in range(height)]


def is_layout_table(table: etree._Element) -> bool:
    """Given a <table>, tell whether it lays out the page rather than holding data."""
    if table.xpath(".//table"):
        return True
    rows = [r for r in table_to_cells(table) if r]
    if not rows:
        return True
    widths = {sum(c.colspan for c in r) for r in rows}
    if widths == {1}:
        return True
    return any(len(c.text) > 400 for r in rows for c in r)


# ---------------------------------------------------------------- rows


def element_to_rows(root: etree._Element) -> list[tuple[Row, etree._Element]]:
    """Given an element, return its rows in reading order, each with the element it came from."""
    out: list[tuple[Row, etree._Element]] = []
    line: list[str] = []

    def flush(block: etree._Element) -> None:
        text = clean("".join(line).translate(_INVISIBLE))
        line.clear()
        if text:
            out.append((Row((Fragment(text),)), block))

    def walk(el: etree._Element, block: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _DROP or tag == "head":
            return  # comments (Word's <!--[if gte mso 9]>), scripts, the <head>
        if tag == "table" and not is_layout_table(el):
            flush(block)
            for caption in el.iterchildren("caption"):
                text = cell_text(caption)
                if text:
                    out.append((Row((Fragment(text),)), el))
            for cells in cells_to_grid(table_to_cells(el), covered=None):
                if any(t is not None for t in cells):
                    frags = tuple(Fragment(t or "", spanned=t is None) for t in cells)
                    out.append((Row(frags, is_table=True), el))
            return
        inner = el if tag in _BLOCK else block
        # A <br> inside a heading only wraps its text (<h1>青山湖<br>区自然资源局…</h1>).
        if tag in _BLOCK or (tag == "br" and not _HEADINGS.match(str(block.tag))):
            flush(block)
        if el.text:
            line.append(el.text)
        for child in el:
            walk(child, inner)
            if child.tail:
                line.append(child.tail)
        if tag in _BLOCK:
            flush(el)

    walk(root, root)
    flush(root)
    return out


def _ancestors(el: etree._Element) -> list[etree._Element]:
    chain = []
    while el is not None:
        chain.append(el)
        el = el.getparent()
    return chain[::-1]


def common_ancestor(elements: list[etree._Element]) -> etree._Element | None:
    """Given elements of one tree, return their deepest common ancestor."""
    if not elements:
        return None
    chains = [_ancestors(e) for e in elements]
    found = None
    for level in zip(*chains, strict=False):
        if all(x is level[0] for x in level):
            found = level[0]
        else:
            break
    return found


def article_rows(rows: list[tuple[Row, etree._Element]]) -> list[Row]:
    """Given a page's rows with their elements, return the rows of the article only.

    The article is the smallest element holding every section heading and every
    table between them; the title is the nearest line before it that names a 年度报告.
    """
    marks = [i for i, (row, _) in enumerate(rows) if heading_of(row)]
    if not marks:
        return [row for row, _ in rows]
    first, last = marks[0], marks[-1]
    anchors = [rows[i][1] for i in marks]
    # Tables between the headings only: a data table in the page footer is no anchor.
    anchors += [el for row, el in rows[first:last] if row.is_table]
    container = common_ancestor(anchors)
    inside = {id(e) for e in container.iter()} if container is not None else set()
    body = [row for row, el in rows if id(el) in inside]
    head_index = next((i for i, (_, el) in enumerate(rows) if id(el) in inside), first)
    if not any(_names_report(r) for r in body[:12]):
        title = next(
            (row for row, _ in reversed(rows[:head_index]) if _names_report(row)),
            None,
        )
        if title is not None:
            body.insert(0, title)
    return body


def _names_report(row: Row) -> bool:
    return not row.is_table and find_title([row.cells[0].text]) is not None


def title_parts(tree: etree._Element) -> list[str]:
    """Given the page tree, return the parts of its <title> (split at _ | - —)."""
    title = clean("".join(tree.xpath("//title//text()")))
    return [p for p in re.split(r"\s*[_|｜\-—–]+\s*", title) if p]


def title_fallbacks(tree: etree._Element) -> list[tuple[str, str]]:
    """Given the page tree, return its <title> parts as heading fallbacks: a report title,
    or the site's owner (「XX县人民政府门户网站」 -> XX县人民政府)."""
    parts = title_parts(tree)
    return [("<title>", p) for p in parts] + [
        ("site name", _SITE_SUFFIX.sub("", p.replace(" ", ""))) for p in parts
    ]


def is_not_found_page(tree: etree._Element, rows: list[Row]) -> bool:
    """Given a page and its rows, tell whether it is an error page served as a page."""
    title = clean("".join(tree.xpath("//title//text()"))).lower()
    text = " ".join(r.cells[0].text for r in rows[:30] if not r.is_table).lower()
    return bool(_NOT_FOUND.search(title) or _NOT_FOUND.search(text[:300])) and len(text) < 2000


_DATA_IMAGE = re.compile(r"^\s*data:image/[a-z+.-]+;base64,", re.I)


def data_pictures(tree: etree._Element) -> list[tuple[etree._Element, bytes]]:
    """Given a page's tree, return its pictures carried in the page itself
    (``<img src="data:image/...;base64,...">``, as an editor keeps a pasted screenshot)
    with their bytes, in document order. A picture linked by URL is not read: the
    extract stage fetches nothing."""
    import base64
    import binascii

    out = []
    for img in tree.iter("img"):
        src = img.get("src") or ""
        match = _DATA_IMAGE.match(src)
        if not match:
            continue
        try:
            out.append((img, base64.b64decode(src[match.end() :], validate=False)))
        except (binascii.Error, ValueError):
            continue
    return out


def pictures_with_headings(
    tree: etree._Element, rows: list[tuple[Row, etree._Element]]
) -> list[tuple[str | None, Image]]:
    """Given a page's tree and its rows with their elements, return each picture large
    enough to hold a table, opened, with the section heading that stands before it when
    that heading differs from the previous picture's (None otherwise)."""
    from extract.scanned import open_picture

    elements = list(tree.iter())  # kept alive: lxml's element proxies keep their ids
    order = {id(el): i for i, el in enumerate(elements)}
    headings = [(order[id(el)], row.cells[0].text) for row, el in rows if heading_of(row)]
    out: list[tuple[str | None, Image]] = []
    last = None
    for img, data in data_pictures(tree):
        picture = open_picture(data)
        if picture is None:
            continue
        before = [text for at, text in headings if at < order[id(img)]]
        heading = before[-1] if before else None
        out.append((heading if heading != last else None, picture))
        last = heading
    return out


def pictured_readings(
    tree: etree._Element, rows: list[tuple[Row, etree._Element]], read: list[OcrPage]
) -> list[Reading]:
    """Given a page's tree and its rows, return the OCR readings of its pictures (tables
    pasted as screenshots), computed only if the page's own tables fall short (the pages
    read are added to ``read``); none for a page without pictures."""
    if not any(True for _ in data_pictures(tree)):
        return []
    from extract.scanned import picture_readings

    return picture_readings(lambda: pictures_with_headings(tree, rows), read)


def html_to_pictures(data: bytes) -> list[Image]:
    """Given the bytes of an HTML page, return the pictures OCR reads as tables, in the
    order (and so with the page numbers, from 1) their readings give."""
    tree = html_to_tree(decode_html(data))
    return [picture for _, picture in pictures_with_headings(tree, element_to_rows(tree))]


def html_to_report(data: bytes) -> Report:
    """Given the bytes of an HTML page, return its Report.

    Raises NotAReport for a page with no section headings and none of the three
    tables (a listing page, a 404 page served with status 200).
    """
    text = decode_html(data)
    tree = html_to_tree(text)
    all_rows = element_to_rows(tree)
    plain = [row for row, _ in all_rows]
    if not plain:
        raise EmptyDocument("the page holds no text")
    if is_not_found_page(tree, plain) and not any(r.is_table for r in plain):
        raise NotAReport("an error page (page not found), not a report")
    # A heading that says only "2023年政府信息公开工作年度报告": the site is the agency's.
    pictured: list[OcrPage] = []
    extra = pictured_readings(tree, all_rows, pictured)
    report = rows_to_report(article_rows(all_rows), title_fallbacks(tree), extra)
    report.page_scales = {p.page: p.scale for p in pictured}  # the pictures OCR read, if any
    report.page_turns = {p.page: p.skew for p in pictured if p.skew}
    if not report.tables_found and not report.sections:
        raise NotAReport("no section headings and none of tables 二, 三, 四: not a report page")
    report.media_type = "text/html"
    report.pages = None
    return report
