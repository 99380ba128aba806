"""pdfium's system faces for non-embedded fonts: loaded once per process, glyphs unchanged.

A PDF that does not embed its Chinese font (ReportLab's and iText's ``STSong-Light``) is
drawn with a system font; extract.pdfium_fonts keeps the face pdfium loads for it from one
document to the next instead of pdfium reading the whole font file again per document.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pypdfium2 as pdfium
import pytest

from extract import pdfium_fonts
from extract.pdfium_layer import missing_text_objects

LINES = ["二、主动公开政府信息情况", "规章 0 0 12", "（一）本年新收政府信息公开申请数量 135 4 0"]


def stsong_pdf(lines: list[str] = LINES) -> bytes:
    """A page of Chinese lines in ReportLab's non-embedded STSong-Light."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("STSong-Light", 11)
    for i, line in enumerate(lines):
        page.drawString(72, 760 - 20 * i, line)
    page.save()
    return out.getvalue()


def kept() -> list[pdfium_fonts.Key]:
    """The faces kept loaded now, least recently used first."""
    assert pdfium_fonts._installed is not None
    return list(pdfium_fonts._installed.kept)


def char_boxes(data: bytes) -> list[list[float]]:
    """Each char's glyph box and loose box on the PDF's first page, the text page loaded;
    the substituted faces kept as a document's reading keeps them."""
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        textpage = page.get_textpage()
        if missing_text_objects(page, textpage)[0]:
            pytest.skip("no system font for a non-embedded Chinese font (fonts-noto-cjk)")
        return [
            [*textpage.get_charbox(i), *textpage.get_charbox(i, loose=True)]
            for i in range(textpage.count_chars())
        ]
    finally:
        doc.close()


def test_the_font_layer_is_installed_once_per_process():
    import extract.pdfium_layer  # noqa: F401  # installs it

    layer = pdfium.PdfSysfontBase.SINGLETON
    assert isinstance(layer, pdfium_fonts._Substitutes)
    pdfium_fonts.install()
    assert pdfium.PdfSysfontBase.SINGLETON is layer


def test_a_system_font_file_is_read_once_for_many_documents():
    data = stsong_pdf()
    layer = pdfium_fonts._installed
    assert layer is not None
    char_boxes(data)  # loads the face (or finds it kept by an earlier test)
    reads = layer.reads
    for _ in range(3):
        char_boxes(data)
    assert layer.reads == reads  # no document read the font file again
    assert [weight for _, weight, _ in kept()][-1:] == [290]  # STSong-Light's


def test_glyph_boxes_are_those_of_plain_pdfium(tmp_path):
    """The same boxes, to the last bit, as a process where pdfium looks system fonts up
    by itself (pypdfium2 only, no extract module imported)."""
    data = stsong_pdf()
    (tmp_path / "page.pdf").write_bytes(data)
    plain = subprocess.run(
        [sys.executable, "-c", PLAIN_BOXES, str(tmp_path / "page.pdf")],
        capture_output=True,
        text=True,
        check=True,
    )
    first = char_boxes(data)
    again = char_boxes(data)  # with the face kept from the first
    assert first == again == json.loads(plain.stdout)


PLAIN_BOXES = """
import json, sys
import pypdfium2 as pdfium
doc = pdfium.PdfDocument(sys.argv[1])
textpage = doc[0].get_textpage()
print(json.dumps([
    [*textpage.get_charbox(i), *textpage.get_charbox(i, loose=True)]
    for i in range(textpage.count_chars())
]))
"""


def test_at_most_kept_faces_stay_loaded():
    stems = [58, 70, 80, 90]  # four weights of one face: four faces to keep
    for stem in stems:
        char_boxes(pdfium_fonts.keeping_pdf("STSong-Light", stem, italic=False))
    faces = kept()
    assert len(faces) == pdfium_fonts.KEPT
    assert [weight for _, weight, _ in faces] == [5 * s for s in stems[-pdfium_fonts.KEPT :]]


def test_a_keeping_document_asks_for_the_weight_and_style_it_keeps():
    char_boxes(pdfium_fonts.keeping_pdf("STSong-Light", 80, italic=True))
    assert (400, True) in [(weight, italic) for _, weight, italic in kept()]
