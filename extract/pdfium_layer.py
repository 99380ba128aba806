"""A pdfplumber page made from pdfium's text layer: chars and ruling edges, no pdfminer.

pdfminer interprets every page in Python; pdfium does it in C, several times
faster. :class:`PdfiumPage` gives pdfplumber's own algorithms (``TableFinder``
for ruled tables, ``extract_words``, ``Table.extract``) the chars and edges
they expect, so tables are still found and read by pdfplumber.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from pdfplumber.table import Table, TableFinder, TableSettings
from pdfplumber.utils.text import extract_words

if TYPE_CHECKING:
    import pypdfium2 as pdfium

PlumberObj = dict[str, Any]  # a char, word or edge as pdfplumber gives it
_THIN = 2.0  # points: a path thinner than this is a ruling line, not a box


def textpage_to_chars(textpage: pdfium.PdfTextPage, height: float) -> list[PlumberObj]:
    """Given a pdfium text page and the page height, return pdfplumber-style char dicts.

    Chars on one baseline in one font size share the union of their boxes: pdfium's
    boxes hug each glyph, so full-width punctuation (、．：) would otherwise sit lower
    than the rest of its line and fall out of it.
    """
    n = textpage.count_chars()
    if n <= 0:
        return []
    import ctypes

    import pypdfium2.raw as pdfium_c

    text = textpage.get_text_range(0, n)
    raw = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    rect = pdfium_c.FS_RECTF()
    chars = []
    spans: dict[tuple[float, float], list[float]] = {}  # (baseline, size) -> [top, bottom]
    for i, ch in enumerate(text[:n]):
        if ch in "\r\n\ufffe":
            continue  # pdfium's generated line breaks
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
        if right <= left:
            continue
        size = round(pdfium_c.FPDFText_GetFontSize(raw, i), 1)
        pdfium_c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(x), ctypes.byref(y))
        key = (round(y.value * 2) / 2, size)
        span = spans.setdefault(key, [top, bottom])
        span[0], span[1] = max(span[0], top), min(span[1], bottom)
        chars.append(
            {
                "text": ch,
                "x0": left,
                "x1": right,
                "width": right - left,
                "size": size,
                "upright": True,
                "object_type": "char",
                "_key": key,
            }
        )
    for c in chars:
        top, bottom = spans[c.pop("_key")]
        c.update(top=height - top, bottom=height - bottom, doctop=height - top, height=top - bottom)
    return chars


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> PlumberObj:
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "rect_edge" if orientation else "line",
    }


def page_to_edges(page: pdfium.PdfPage, height: float) -> list[PlumberObj]:
    """Given a pdfium page, return the ruling edges of its path objects as pdfplumber edges."""
    import pypdfium2.raw as pdfium_c

    edges = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = (getattr(obj, "get_bounds", None) or obj.get_pos)()
        x0, x1, y0, y1 = left, right, height - top, height - bottom
        if x1 - x0 < _THIN and y1 - y0 < _THIN:
            continue
        if x1 - x0 < _THIN:
            x = (x0 + x1) / 2
            edges.append(_edge(x, y0, x, y1, "v"))
        elif y1 - y0 < _THIN:
            y = (y0 + y1) / 2
            edges.append(_edge(x0, y, x1, y, "h"))
        else:  # a box: its four sides
            edges += [
                _edge(x0, y0, x1, y0, "h"),
                _edge(x0, y1, x1, y1, "h"),
                _edge(x0, y0, x0, y1, "v"),
                _edge(x1, y0, x1, y1, "v"),
            ]
    return edges


def missing_text_objects(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> tuple[int, int]:
    """Given a pdfium page and its text page, return (text objects in a font the PDF does
    not embed whose text the text page lacks, text objects). pdfium silently leaves out the
    glyphs of a font it cannot find on the system (a non-embedded CJK font where no CJK
    font is installed)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    missing = total = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=1):
        total += 1
        size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
        if size > 2:  # bytes of UTF-16 with its terminator: some text came through
            buffer = (ctypes.c_ushort * size)()
            pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
            if bytes(buffer).decode("utf-16-le", "replace").strip("\x00 "):
                continue
        font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
        missing += bool(font) and not pdfium_c.FPDFFont_GetIsEmbedded(font)
    return missing, total


class PdfiumPage:
    """The parts of a pdfplumber page that table finding and word extraction use.

    Chars are read when the page is made; ruling edges only when a table finder asks.
    """

    def __init__(self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> None:
        width, height = page.get_size()
        self.width, self.height = width, height
        self.bbox = (0, 0, width, height)
        self.chars = textpage_to_chars(textpage, height)
        self._page = page
        self.lines: list[PlumberObj] = []
        self.curves: list[PlumberObj] = []

    @cached_property
    def edges(self) -> list[PlumberObj]:
        return page_to_edges(self._page, self.height)

    @property
    def rects(self) -> list[PlumberObj]:
        return self.edges

    def extract_words(self, **kwargs: Any) -> list[PlumberObj]:
        return extract_words(self.chars, **kwargs)

    def find_tables(self, table_settings: dict[str, Any] | None = None) -> list[Table]:
        # TableFinder reads only chars, edges and bbox of the page it is given.
        return TableFinder(self, TableSettings.resolve(table_settings)).tables  # type: ignore[arg-type]
