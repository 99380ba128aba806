"""FreeType's unscaled glyph loads, cached per face (extract.pdfium_glyphs): pdfium reads the
same char boxes with the cache as without it, and a closed face's glyphs are forgotten.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import extract.pdfium_layer  # noqa: F401  # installs the cache
from extract import pdfium_glyphs
from tests.extract.test_pdfium_fonts import stsong_pdf

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LINES = ["二、主动公开政府信息情况", "规章 0 0 12", "（一）本年新收政府信息公开申请数量 135 4 0"]


def cache() -> pdfium_glyphs.GlyphCache:
    if pdfium_glyphs._installed is None:
        pytest.skip("this pdfium library does not take the glyph cache")
    return pdfium_glyphs._installed


def embedded_pdf(text: str) -> bytes:
    """A page of Latin text in an embedded (subset) TrueType font."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if not DEJAVU.is_file():
        pytest.skip("no DejaVu Sans to embed")
    pdfmetrics.registerFont(TTFont("DejaVuTest", str(DEJAVU)))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("DejaVuTest", 11)
    page.drawString(72, 760, text)
    page.save()
    return out.getvalue()


def boxes(data: bytes) -> tuple[str, list[tuple[float, ...]]]:
    """The first page's text and each char's glyph box and loose box, as pdfium reads them."""
    doc = pdfium.PdfDocument(data)
    try:
        textpage = doc[0].get_textpage()
        n = textpage.count_chars()
        return textpage.get_text_range(), [
            (*textpage.get_charbox(i), *textpage.get_charbox(i, loose=True)) for i in range(n)
        ]
    finally:
        doc.close()


@pytest.mark.parametrize("make", [lambda: stsong_pdf(LINES), lambda: embedded_pdf("Ab 12 ÄÖ xyz")])
def test_the_boxes_read_are_those_read_without_the_cache(make):
    data, glyphs = make(), cache()
    glyphs.on = False
    try:
        without = boxes(data)
    finally:
        glyphs.on = True
    hits = glyphs.hits
    first, again = boxes(data), boxes(data)
    assert first == without and again == without
    assert without[1] and any(box[2] > box[0] for box in without[1])  # glyphs with a width
    if not any(ord(ch) < 256 for ch in without[0] if not ch.isspace()):
        assert glyphs.hits > hits


def test_a_chinese_page_is_answered_from_the_cache():
    glyphs = cache()
    boxes(stsong_pdf(LINES))
    hits = glyphs.hits
    boxes(stsong_pdf(LINES))
    assert glyphs.hits - hits >= sum(len(line.replace(" ", "")) for line in LINES) // 2


def test_a_closed_documents_faces_are_forgotten():
    glyphs = cache()
    data = embedded_pdf("Forgotten 123")
    boxes(data)
    held = len(glyphs.faces)
    for _ in range(5):
        boxes(data)  # each document opens its embedded font's face and closes it
    assert len(glyphs.faces) <= held


def test_the_library_imports_freetypes_functions_by_its_table():
    path, base = pdfium_glyphs._loaded_library("libpdfium")
    slots, symbols = pdfium_glyphs._imports(path, pdfium_glyphs._HOOKED)
    assert set(slots) == set(symbols) == set(pdfium_glyphs._HOOKED)
    assert base > 0
