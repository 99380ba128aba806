"""A pdfplumber page made from pdfium's text layer: chars and ruling edges, no pdfminer.

pdfminer interprets every page in Python; pdfium does it in C, several times
faster. :class:`PdfiumPage` gives pdfplumber's own algorithms (``TableFinder``
for ruled tables, ``extract_words``, ``Table.extract``) the chars and edges
they expect, so tables are still found and read by pdfplumber.

Importing it puts :mod:`extract.pdfium_fonts` over pdfium's system font lookup, before
any PDF is opened: the faces pdfium draws non-embedded fonts with stay loaded from one
document to the next (:func:`missing_text_objects` keeps them, once the document's pages
are loaded), and :mod:`extract.pdfium_glyphs` over FreeType's glyph loads: a glyph's box is
computed once per face, not once per char.
"""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table, TableFinder, TableSettings
from pdfplumber.utils.text import extract_words

from extract import pdfium_fonts, pdfium_glyphs
from extract.labels import is_value

pdfium_fonts.install()
pdfium_glyphs.install()

PlumberObj = dict[str, Any]  # a char, word or edge as pdfplumber gives it
_THIN = 2.0  # points: a path thinner than this is a ruling line, not a box
BBox = tuple[float, float, float, float]


class _PerChar(NamedTuple):
    """pdfium's per-char text calls, as plain C calls (see :func:`_per_char`)."""

    loose_box: Any  # FPDFText_GetLooseCharBox(textpage, index, FS_RECTF*) -> FPDF_BOOL
    matrix: Any  # FPDFText_GetMatrix(textpage, index, FS_MATRIX*) -> FPDF_BOOL
    font_size: Any  # FPDFText_GetFontSize(textpage, index) -> double
    origin: Any  # FPDFText_GetCharOrigin(textpage, index, double*, double*) -> FPDF_BOOL
    glyph_box: Any  # FPDFText_GetCharBox(textpage, index, double* x4: l, r, b, t) -> FPDF_BOOL


@cache
def _per_char() -> _PerChar:
    """The C functions read once per char of a page, called without pypdfium2's argument
    checks (its ``argtypes`` make every call convert and check each argument: 0.65 µs a
    call against 0.26 µs). The same functions of the same library; callers pass what C
    expects: the text page's raw handle as a ``c_void_p``, an ``int`` index and
    ``ctypes.byref`` pointers."""

    def plain(function: Any, restype: Any) -> Any:
        return ctypes.CFUNCTYPE(restype)(ctypes.cast(function, ctypes.c_void_p).value or 0)

    return _PerChar(
        plain(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int),
        plain(pdfium_c.FPDFText_GetMatrix, ctypes.c_int),
        plain(pdfium_c.FPDFText_GetFontSize, ctypes.c_double),
        plain(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int),
        plain(pdfium_c.FPDFText_GetCharBox, ctypes.c_int),
    )


def _char_slots() -> tuple[tuple[Any, Any, Any, Any], tuple[Any, ...]]:
    """Return what _per_char's functions write a char's values into (its loose box, its
    matrix, its origin's x and y) and the pointers to pass them by, made once per page."""
    slots = (pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX(), ctypes.c_double(), ctypes.c_double())
    return slots, tuple(ctypes.byref(slot) for slot in slots)


def _boxed(
    text: str, raw: Any, loose_box: Any, rect: Any, at_rect: Any
) -> Iterator[tuple[int, str, tuple[float, float, float, float]]]:
    """Given a text page's text, raw handle, its loose-box function and the box slot with
    its pointer (_char_slots), yield each char's index, text and loose box (left, bottom,
    right, top in PDF space); pdfium's generated line breaks and empty boxes left out."""
    for i, ch in enumerate(text):
        if ch in "\r\n\ufffe":
            continue  # pdfium's generated line breaks
        loose_box(raw, i, at_rect)
        left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
        if right > left and top > bottom:
            yield i, ch, (left, bottom, right, top)


def char_boxes(textpage: pdfium.PdfTextPage) -> Callable[[int], tuple[BBox, BBox]]:
    """Given a pdfium text page, return a function giving a char's glyph box and loose box
    (each left, bottom, right, top in PDF space) by its index: what ``get_charbox(index)``
    and ``get_charbox(index, loose=True)`` give, by _per_char's plain calls."""
    raw, per_char = _handle(textpage), _per_char()
    glyph_box, loose_box = per_char.glyph_box, per_char.loose_box
    (rect, _, _, _), (at_rect, _, _, _) = _char_slots()
    sides = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top: pdfium's order
    at_sides = [ctypes.byref(side) for side in sides]
    left, right, bottom, top = sides

    def boxes(index: int) -> tuple[BBox, BBox]:
        if not glyph_box(raw, index, *at_sides) or not loose_box(raw, index, at_rect):
            raise pdfium.PdfiumError("Failed to get charbox.")
        return (
            (left.value, bottom.value, right.value, top.value),
            (rect.left, rect.bottom, rect.right, rect.top),
        )

    return boxes


def _handle(textpage: pdfium.PdfTextPage) -> Any:
    """Given a pdfium text page, return its raw handle as a ``c_void_p`` (for _per_char)."""
    return ctypes.cast(textpage.raw, ctypes.c_void_p)


@dataclass(frozen=True)
class Frame:
    """Where a page is read from: its user space turned so that its text stands upright.

    A page's text may run sideways in its user space: a landscape table on a page shown
    turned by ``/Rotate 90`` or ``270``, or a table drawn sideways on a portrait page.
    ``turns`` is the number of quarter turns (anticlockwise) of the baselines of most of
    the page's text; the frame turns them back, so that every reading (chars, ruling
    lines, the text layer's boxes) sees upright lines, left to right, top to bottom.
    Coordinates in the frame are PDF points from its top-left corner.
    """

    turns: int  # 0..3
    width: float  # of the user space (unturned)
    height: float

    @property
    def size(self) -> tuple[float, float]:
        """The frame's (width, height)."""
        return (self.height, self.width) if self.turns % 2 else (self.width, self.height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """Given a point in user space (y up), return it in the frame (from the top-left)."""
        w, h = self.width, self.height
        u, v = ((x, y), (y, w - x), (w - x, h - y), (h - y, x))[self.turns]
        return u, self.size[1] - v

    def box(self, left: float, bottom: float, right: float, top: float) -> BBox:
        """Given a box in user space, return it in the frame: (x0, top, x1, bottom)."""
        if not self.turns:  # upright: the same arithmetic as point(), without its tuples
            ay, by = self.height - bottom, self.height - top
            return min(left, right), min(ay, by), max(left, right), max(ay, by)
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def quarter_turns(matrix: Any) -> int:
    """Given a char's matrix (``FS_MATRIX``), return the quarter turns (anticlockwise,
    0..3) of its baseline."""
    return round(math.degrees(math.atan2(matrix.b, matrix.a)) / 90) % 4


def text_turns(textpage: pdfium.PdfTextPage) -> int:
    """Given a pdfium text page, return the quarter turns (anticlockwise, 0..3) of the
    baselines of most of its printed chars in user space (0 for a page with none)."""
    n = textpage.count_chars()
    text = textpage.get_text_range(0, n) if n > 0 else ""
    raw, get_matrix = _handle(textpage), _per_char().matrix
    (_, matrix, _, _), (_, at, _, _) = _char_slots()
    votes: Counter[int] = Counter()
    for i, ch in enumerate(text[:n]):
        if ch.isspace() or ch == "\ufffe":
            continue  # pdfium's generated spaces and line breaks have no direction
        if get_matrix(raw, i, at):
            votes[quarter_turns(matrix)] += 1
    return votes.most_common(1)[0][0] if votes else 0


def page_frame(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> Frame:
    """Given a pdfium page and its text page, return the frame to read it in: its user
    space (the page before ``/Rotate``) turned so that most of its text stands upright."""
    width, height = page.get_size()  # as shown: turned by /Rotate
    if page.get_rotation() in (90, 270):
        width, height = height, width
    return Frame(text_turns(textpage), width, height)


def textpage_to_chars(textpage: pdfium.PdfTextPage, frame: Frame) -> list[PlumberObj]:
    """Given a pdfium text page and its page's frame, return pdfplumber-style char dicts
    (boxes in the frame).

    Chars on one baseline in one font size share the union of their boxes: pdfium's
    boxes hug each glyph, so full-width punctuation (、．：) would otherwise sit lower
    than the rest of its line and fall out of it. On a page read turned (a sideways
    table), a char standing otherwise is read in its own frame: above the page's content
    when it stands in the upper half of its own page (an upright heading over a sideways
    table), below it when in the lower half (the portrait page's upright page number);
    one inside the turned content (a label written in another direction) is left out:
    across the frame's lines it would stand beside a row's values.
    """
    n = textpage.count_chars()
    if n <= 0:
        return []
    if not frame.turns:
        return _upright_chars(textpage, n, frame.height)
    found = _textpage_glyphs(textpage, frame.turns, n)
    content = _extent(
        [box for ch, box, turns, _, _ in found if turns == frame.turns and not ch.isspace()]
    )
    chars = []
    keys = []
    spans: dict[tuple[float, float], list[float]] = {}  # (baseline, size) -> [top, bottom]
    for ch, box, turns, size, origin in found:
        own, shift = frame, 0.0
        if turns != frame.turns:
            if _inside(box, content):
                continue
            own = Frame(turns, frame.width, frame.height)
            upper = own.box(*box)[1] < own.size[1] / 2
            shift = -own.size[1] if upper else frame.size[1]
        left, top, right, bottom = own.box(*box)
        top, bottom = top + shift, bottom + shift
        key = (round((own.point(*origin)[1] + shift) * 2) / 2, size)
        span = spans.setdefault(key, [top, bottom])
        span[0], span[1] = min(span[0], top), max(span[1], bottom)
        chars.append(_char(ch, left, right, size))
        keys.append(key)
    return _spanned(chars, keys, spans)


Glyph = tuple[str, BBox, int, float, tuple[float, float]]  # char, box, turns, size, origin


def _textpage_glyphs(textpage: pdfium.PdfTextPage, turns_: int, n: int) -> list[Glyph]:
    """Given a text page, its frame's quarter turns and its char count, return each printed
    char with its loose box in user space (left, bottom, right, top), the quarter turns of
    its baseline (the frame's for a space or a char pdfium has no matrix for), its font size
    as drawn and its origin; pdfium's generated line breaks and empty boxes left out."""
    text = textpage.get_text_range(0, n)
    raw = _handle(textpage)
    loose_box, get_matrix, font_size, char_origin, _ = _per_char()
    hypot = math.hypot
    (rect, matrix, x, y), (at_rect, at_matrix, at_x, at_y) = _char_slots()
    found: list[Glyph] = []
    for i, ch, (left, bottom, right, top) in _boxed(text[:n], raw, loose_box, rect, at_rect):
        if get_matrix(raw, i, at_matrix):  # the baseline's turns; the matrix's scale of the size
            turns = quarter_turns(matrix)
            scale = hypot(matrix.c, matrix.d)
            size = round(font_size(raw, i) * (scale if scale > 0 else 1.0), 1)
            if ch.isspace():
                turns = turns_
        else:
            turns, size = turns_, round(font_size(raw, i), 1)
        char_origin(raw, i, at_x, at_y)
        found.append((ch, (left, bottom, right, top), turns, size, (x.value, y.value)))
    return found


def _upright_chars(textpage: pdfium.PdfTextPage, n: int, height: float) -> list[PlumberObj]:
    """Given a text page, its char count and the height of its upright frame (turns 0),
    return its chars: what textpage_to_chars does with _textpage_glyphs for a page read as
    it stands (every char in place: no char's own turns needed), in one pass, with
    Frame.box and Frame.point's arithmetic written out."""
    text = textpage.get_text_range(0, n)
    raw = _handle(textpage)
    loose_box, get_matrix, font_size, char_origin, _ = _per_char()
    hypot = math.hypot
    (rect, matrix, x, y), (at_rect, at_matrix, at_x, at_y) = _char_slots()
    chars = []
    keys = []
    spans: dict[tuple[float, float], list[float]] = {}  # (baseline, size) -> [top, bottom]
    for i, ch, (left, bottom, right, top) in _boxed(text[:n], raw, loose_box, rect, at_rect):
        scale = hypot(matrix.c, matrix.d) if get_matrix(raw, i, at_matrix) else 1.0
        size = round(font_size(raw, i) * (scale if scale > 0 else 1.0), 1)
        char_origin(raw, i, at_x, at_y)
        top, bottom = height - top, height - bottom  # right > left, top > bottom: sorted
        key = (round((height - y.value) * 2) / 2, size)
        span = spans.get(key)
        if span is None:
            spans[key] = [top, bottom]
        else:
            if top < span[0]:
                span[0] = top
            if bottom > span[1]:
                span[1] = bottom
        chars.append(_char(ch, left, right, size))
        keys.append(key)
    return _spanned(chars, keys, spans)


def _char(text: str, left: float, right: float, size: float) -> PlumberObj:
    return {
        "text": text,
        "x0": left,
        "x1": right,
        "width": right - left,
        "size": size,
        "upright": True,
        "object_type": "char",
    }


def _spanned(
    chars: list[PlumberObj],
    keys: list[tuple[float, float]],
    spans: dict[tuple[float, float], list[float]],
) -> list[PlumberObj]:
    """Given chars, the (baseline, size) of each and the extent of each, return the chars
    with the top and bottom of their baseline's extent."""
    for c, key in zip(chars, keys, strict=True):
        top, bottom = spans[key]
        c["top"], c["bottom"], c["doctop"], c["height"] = top, bottom, top, bottom - top
    return chars


def _extent(boxes: list[BBox]) -> BBox | None:
    """Given boxes (left, bottom, right, top), return the box around them all, or None."""
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _inside(box: BBox, extent: BBox | None) -> bool:
    """Tell whether a box's centre lies inside an extent (both left, bottom, right, top)."""
    if extent is None:
        return False
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return extent[0] <= cx <= extent[2] and extent[1] <= cy <= extent[3]


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


def _page_objects(page: pdfium.PdfPage, kind: int, max_depth: int = 15) -> Iterator[Any]:
    """Given a pdfium page, a page object type and how deep to look into form XObjects,
    yield the raw handles of the page's objects of that type: those pypdfium2's
    ``page.get_objects(filter=[kind], max_depth=max_depth)`` gives, in its order, without
    a Python object made for each of the page's objects."""
    get_type, form = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDF_PAGEOBJ_FORM
    count_in_form, get_in_form = pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject

    def walk(count: Any, get: Any, parent: Any, level: int) -> Iterator[Any]:
        n = count(parent)
        if n < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        for i in range(n):
            obj = get(parent, i)
            if not obj:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            type_ = get_type(obj)
            if type_ == kind:
                yield obj
            if type_ == form and level < max_depth - 1:
                yield from walk(count_in_form, get_in_form, obj, level + 1)

    yield from walk(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page.raw, 0)


def _bounds(obj: Any) -> BBox:
    """Given a raw page object, return its bounds (left, bottom, right, top) in user space."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        raise pdfium.PdfiumError("Failed to locate pageobject.")
    return left.value, bottom.value, right.value, top.value


def picture_shares(page: pdfium.PdfPage) -> list[tuple[float, float]]:
    """Given a pdfium page, return each of its pictures' width and height as shares of
    the page's."""
    width, height = page.get_width(), page.get_height()
    return [
        ((right - left) / width, (top - bottom) / height)
        for left, bottom, right, top in map(
            _bounds, _page_objects(page, pdfium_c.FPDF_PAGEOBJ_IMAGE)
        )
    ]


def page_to_edges(page: pdfium.PdfPage, frame: Frame) -> list[PlumberObj]:
    """Given a pdfium page and its frame, return the ruling edges of its path objects as
    pdfplumber edges (in the frame)."""
    edges = []
    for obj in _page_objects(page, pdfium_c.FPDF_PAGEOBJ_PATH):
        x0, y0, x1, y1 = frame.box(*_bounds(obj))
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
    font is installed).

    The faces pdfium found for the page's non-embedded fonts are kept loaded for the
    documents that follow (:func:`extract.pdfium_fonts.keep_substitutes`): this is called
    once a document's pages are all loaded, before its tables are read."""
    pdfium_fonts.keep_substitutes()
    missing = total = 0
    for obj in _page_objects(page, pdfium_c.FPDF_PAGEOBJ_TEXT, max_depth=1):
        left, bottom, right, top = _bounds(obj)
        if right <= left and top <= bottom:
            continue  # an empty string drawn: nothing printed, nothing missed
        total += 1
        size = pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, None, 0)
        if size > 2:  # bytes of UTF-16 with its terminator: some text came through
            buffer = (ctypes.c_ushort * size)()
            pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, buffer, size)
            if bytes(buffer).decode("utf-16-le", "replace").strip("\x00 "):
                continue
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        missing += bool(font) and not pdfium_c.FPDFFont_GetIsEmbedded(font)
    return missing, total


def _joined(words: list[PlumberObj], ruled: bool) -> list[PlumberObj]:
    """Given the words of one column of ruled cells (``ruled``: some ruling line stands left
    of them), return them with the words of each line of a cell joined into one, label
    text with label text, a number with a number (a label run over into a value's cell
    stays apart from the value)."""
    if not ruled:
        return words
    out: list[PlumberObj] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        last = out[-1] if out else None
        if (
            last is not None
            and abs(last["top"] - w["top"]) < 0.3 * (w["bottom"] - w["top"])
            and is_value(last["text"]) == is_value(w["text"])
        ):
            out[-1] = {
                **last,
                "text": last["text"] + w["text"],
                "x1": w["x1"],
                "top": min(last["top"], w["top"]),
                "bottom": max(last["bottom"], w["bottom"]),
                "doctop": min(last["doctop"], w["doctop"]),
            }
        else:
            out.append(w)
    return out


class PdfiumPage:
    """The parts of a pdfplumber page that table finding and word extraction use.

    Chars are read when the page is made; ruling edges only when a table finder asks.
    """

    def __init__(
        self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, frame: Frame | None = None
    ) -> None:
        self.frame = frame or page_frame(page, textpage)
        width, height = self.frame.size
        self.width, self.height = width, height
        self.bbox = (0, 0, width, height)
        self.chars = textpage_to_chars(textpage, self.frame)
        self._page = page
        self.lines: list[PlumberObj] = []
        self.curves: list[PlumberObj] = []

    @cached_property
    def edges(self) -> list[PlumberObj]:
        return page_to_edges(self._page, self.frame)

    @property
    def rects(self) -> list[PlumberObj]:
        return self.edges

    def extract_words(self, **kwargs: Any) -> list[PlumberObj]:
        """pdfplumber's words, one per line of a ruled cell: none across a vertical ruling
        line (the texts of two cells side by side touch in a narrow table: 「商业企业」|
        「科研机构」), and a cell's letter-spaced text (「自 然 人」) is one word."""
        groups: dict[int, list[PlumberObj]] = {}
        for c, cell in zip(self.chars, self._cells_of(self.chars), strict=True):
            groups.setdefault(cell, []).append(c)
        return [
            w
            for cell, chars in groups.items()
            for w in _joined(extract_words(chars, **kwargs), cell > 0)
        ]

    @cached_property
    def _rules(self) -> list[tuple[float, float, float]]:
        """The page's vertical ruling lines: (x, top, bottom), one per distinct x and extent."""
        return sorted(
            {
                (round(e["x0"], 1), round(e["top"], 1), round(e["bottom"], 1))
                for e in self.edges
                if e["orientation"] == "v"
            }
        )

    def _cells_of(self, chars: list[PlumberObj]) -> list[int]:
        """Given chars, return for each how many vertical ruling lines (distinct x) stand
        left of it on its line (chars of one cell share it)."""
        import numpy as np

        if not chars or not self._rules:
            return [0] * len(chars)
        rules = np.array(self._rules)  # sorted by x: the segments of one x stand together
        cx = np.array([(c["x0"] + c["x1"]) / 2 for c in chars])[:, None]
        cy = np.array([(c["top"] + c["bottom"]) / 2 for c in chars])[:, None]
        left = (rules[:, 0] < cx) & (rules[:, 1] <= cy) & (cy <= rules[:, 2])
        starts = np.flatnonzero(np.r_[True, np.diff(rules[:, 0]) != 0])
        counts: list[int] = np.logical_or.reduceat(left, starts, axis=1).sum(axis=1).tolist()
        return counts

    def find_tables(self, table_settings: dict[str, Any] | None = None) -> list[Table]:
        # TableFinder reads only chars, edges and bbox of the page it is given.
        return TableFinder(self, TableSettings.resolve(table_settings)).tables  # type: ignore[arg-type]
