"""FreeType's unscaled glyph loads, cached per face (extract.pdfium_glyphs): pdfium reads the
same char boxes with the cache as without it, and a closed face's glyphs are forgotten.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import extract.pdfium_layer  # noqa: F401  # installs the cache
from extract import pdfium_glyphs
from tests.extract.test_pdfium_fonts import LINES, char_boxes, stsong_pdf

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


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


@pytest.mark.parametrize("make", [lambda: stsong_pdf(LINES), lambda: embedded_pdf("Ab 12 ÄÖ xyz")])
def test_the_boxes_read_are_those_read_without_the_cache(make):
    data, glyphs = make(), cache()
    was, glyphs.on = glyphs.on, False
    try:
        without = char_boxes(data)
    finally:
        glyphs.on = was  # a cache that turned itself off stays off
    first, again = char_boxes(data), char_boxes(data)
    assert first == without and again == without
    assert without and any(box[2] > box[0] for box in without)  # glyphs with a width


def test_a_chinese_page_is_answered_from_the_cache():
    glyphs = cache()
    char_boxes(stsong_pdf(LINES))
    hits = glyphs.hits
    char_boxes(stsong_pdf(LINES))
    assert glyphs.hits - hits >= sum(len(line.replace(" ", "")) for line in LINES) // 2


def test_a_closed_documents_faces_are_forgotten():
    glyphs = cache()
    before = set(glyphs.faces)
    char_boxes(embedded_pdf("Forgotten 123"))  # opens its embedded font's face, closes it
    assert set(glyphs.faces) <= before


def test_the_library_imports_freetypes_functions_by_its_table():
    path, base = pdfium_glyphs._loaded_library("libpdfium")
    slots, symbols = pdfium_glyphs._imports(path, pdfium_glyphs._HOOKED)
    assert set(slots) == set(symbols) == set(pdfium_glyphs._HOOKED)
    assert base > 0
