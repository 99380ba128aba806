"""Born-digital PDFs and Word reports whose tables were pasted as pictures (screenshots;
pages scanned into a born-digital report): the prose is text, the tables are not, so
OCR reads the pictures, and only for the tables the text's readings left unread."""

from __future__ import annotations

import io
import random

import pypdfium2 as pdfium
import pytest
from PIL import Image

from extract.dispatch import extract_document
from extract.pdf import pictured_pages
from tests.docgen.adversarial import draw_case
from tests.docgen.compare import expected_values
from tests.docgen.pdf import render_pdf
from tests.docgen.scan import draw_pictured_docx_case, draw_pictured_pdf_case
from tests.extract.test_ocr import cells_of, same

pytestmark = pytest.mark.slow


def with_picture(pdf: bytes, page: int, box: tuple[float, float, float, float]) -> bytes:
    """Given PDF bytes, a 0-based page and a box (left, bottom, width, height in points),
    return the PDF with a grey picture drawn there over what the page shows."""
    doc = pdfium.PdfDocument(pdf)
    left, bottom, width, height = box
    picture = pdfium.PdfImage.new(doc)
    image = Image.new("RGB", (int(width), int(height)), (235, 235, 235))
    picture.set_bitmap(pdfium.PdfBitmap.from_pil(image))
    picture.set_matrix(pdfium.PdfMatrix().scale(width, height).translate(left, bottom))
    shown = doc[page]  # one page object: the one given the picture makes its content
    shown.insert_obj(picture)
    shown.gen_content()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_pages_holding_a_picture_as_wide_as_a_table_are_pictured():
    blank = pdfium.PdfDocument.new()
    for _ in range(4):
        blank.new_page(595, 842)
    buf = io.BytesIO()
    blank.save(buf)
    pdf = with_picture(buf.getvalue(), 1, (100, 400, 120, 120))  # a seal
    pdf = with_picture(pdf, 2, (60, 500, 480, 20))  # one row of a table
    pdf = with_picture(pdf, 3, (60, 300, 480, 300))  # a whole table
    doc = pdfium.PdfDocument(pdf)
    pages = [(doc[i], doc[i].get_textpage(), "") for i in range(len(doc))]
    assert pictured_pages(pages, [0, 1, 2, 3]) == [2, 3]
    assert pictured_pages(pages, [0, 1]) == []


@pytest.mark.parametrize(
    ("key", "pictured"),
    [
        ("test-pdf-picture-0", ("active", "requests", "appeals")),
        ("test-pdf-picture-1", ("requests", "appeals")),
    ],
)
def test_a_pdf_whose_tables_are_pictures_is_read_cell_for_cell_by_ocr(key, pictured):
    # Class: pdf_tables_as_pictures (before: the text layer held no table, every table
    # not found, the report partial with no cell). Table 二 stays in the text layer where
    # it was not pictured, and is read from it.
    case = draw_pictured_pdf_case(random.Random(key))
    assert case.pictured == pictured
    data = case.render()
    status, got = cells_of(data, "doc.pdf")
    truth = expected_values(case.truth)
    wrong = {k: (v, got.get(k)) for k, v in truth.items() if not same(v, got.get(k))}
    assert (wrong, status) == ({}, case.truth.expected_status())
    report = extract_document(data, "doc.pdf")
    assert "ocr (RapidOCR PP-OCRv4) of the pictures on page(s)" in (report.text_layer or "")
    methods = {a.table: a.method for a in report.attempts if a.chosen}
    assert methods["requests"].startswith("ocr-") and methods["appeals"].startswith("ocr-")
    assert methods["active"].startswith("ocr-") == ("active" in pictured)
    three = [c for c in report.cells if c.table == "requests" and c.raw]
    assert three and all(c.bbox is not None and c.page >= 1 for c in three)


def test_ocr_is_not_asked_for_tables_the_text_layer_reads_whole():
    # A born-digital report with a banner picture on its table page and its own arithmetic
    # error: no reading passes, so every reading is asked, but the text layer's readings
    # read each table whole: the picture is not read (OCR costs seconds a page).
    rng = random.Random("test-pdf-picture-text")
    case = next(
        c for c in (draw_case(rng, "pdf-ruled") for _ in range(60))
        if c.truth.expected_status() == "inconsistent" and not c.options.turn  # type: ignore[attr-defined]
    )  # fmt: skip
    pdf = render_pdf(case.truth, case.style, case.options)  # type: ignore[arg-type]
    report = extract_document(pdf, "doc.pdf")
    three = next(c.page for c in report.cells if c.table == "requests")
    pictured = with_picture(pdf, three - 1, (60, 20, 480, 40))  # at the page's foot
    report = extract_document(pictured, "doc.pdf")
    assert "ocr" not in (report.text_layer or "")
    assert not any(a.method.startswith("ocr-") for a in report.attempts)
    status, got = cells_of(pictured, "doc.pdf")
    truth = expected_values(case.truth)
    assert status == "inconsistent"
    assert all(same(v, got.get(k)) for k, v in truth.items())


def test_a_word_reports_pictures_are_found_in_order_after_their_headings():
    from docx import Document
    from docx.shared import Cm

    from extract.docx import docx_pictures, docx_to_document

    def png(w: int, h: int) -> io.BytesIO:
        buf = io.BytesIO()
        Image.new("RGB", (w, h), (250, 250, 250)).save(buf, "PNG")
        buf.seek(0)
        return buf

    doc = Document()
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    doc.add_paragraph().add_run().add_picture(png(60, 60), width=Cm(1))  # an icon
    doc.add_paragraph().add_run().add_picture(png(900, 400), width=Cm(15))
    doc.add_paragraph().add_run().add_picture(png(900, 120), width=Cm(15))
    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    doc.add_paragraph().add_run().add_picture(png(900, 200), width=Cm(15))
    buf = io.BytesIO()
    doc.save(buf)
    document = docx_to_document(buf.getvalue())
    found = docx_pictures(document.element.body, document)
    assert [(heading, picture.size) for heading, picture in found] == [
        ("三、收到和处理政府信息公开申请情况", (900, 400)),
        (None, (900, 120)),  # the same heading as the picture before
        ("四、政府信息公开行政复议、行政诉讼情况", (900, 200)),
    ]


def test_a_word_report_whose_tables_are_pictures_is_read_cell_for_cell_by_ocr():
    # Class: docx_tables_as_pictures (before: no table found, the report partial)
    case = draw_pictured_docx_case(random.Random("test-docx-picture-0"))
    data = case.render()
    status, got = cells_of(data, "doc.docx")
    truth = expected_values(case.truth)
    wrong = {k: (v, got.get(k)) for k, v in truth.items() if not same(v, got.get(k))}
    assert (wrong, status) == ({}, case.truth.expected_status())
    report = extract_document(data, "doc.docx")
    methods = {a.table: a.method for a in report.attempts if a.chosen}
    assert all(methods[t].startswith("ocr-") for t in case.pictured)
