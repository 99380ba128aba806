"""The generators of scanned pages and pictured tables draw what a person could read.

Their truth is what the reader is scored against, so a picture that hides part of a table
scores the reader on numbers no one could read. Seed 7's documents of
``bench/accuracy.py --formats html-image,pdf-scan`` once had:

- table 二 drawn wider than the page (its metric headers, 「本年收费金额（单位：万元）」,
  sized its number columns), its last column cut at the page's edge (pdf-scan 8 and 11
  lost numbers there, 1, 5 and 10 their rules) and the cut filled black in the pictures
  (html-image 0, 2, 9);
- the pictures of a page shown turned by /Rotate cut from the wrong place, the label
  columns black (html-image 4), and no picture at all of a table drawn sideways, the
  article left with no tables (html-image 6);
- the rest of table 三 after a page break pictured as table 二 or 四, its rows
  「二、上年结转…」 and 「四、结转下年度继续办理」 taken for section headings
  (html-image 2, 3, 11).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pdfplumber
import pytest
from PIL import Image

from tests.docgen.adversarial import case_rng
from tests.docgen.pdf import render_pdf
from tests.docgen.scan import draw_picture_case, draw_scan_case, pdf_table_pictures

INDICES = range(12)


def grey_of(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def rulings(ink: np.ndarray) -> int:
    """Given a picture's ink (True where drawn) by columns, return how many runs of its
    columns are inked down most of the picture: the ruling lines across it."""
    drawn = ink.mean(axis=0) > 0.5
    return int(np.count_nonzero(drawn[1:] & ~drawn[:-1]) + drawn[0])


@pytest.mark.parametrize("index", INDICES)
def test_every_pictured_table_is_a_picture_of_a_ruled_table_on_white(index):
    case = draw_picture_case(case_rng(7, "html-image", index))
    pictures = pdf_table_pictures(render_pdf(case.truth, case.style, case.options), case.scale)
    for table in case.pictured:
        assert pictures[table], f"no picture of table {table}"
    for table, pngs in pictures.items():
        for k, png in enumerate(pngs):
            grey = grey_of(png)
            # No block of black: any stripe a twentieth of the picture wide is mostly paper
            black = (grey < 60).mean(axis=0)
            stripe = max(3, len(black) // 20)
            worst = max(black[x : x + stripe].mean() for x in range(len(black) - stripe))
            assert worst < 0.5, f"{table} picture {k}: a black block ({worst:.0%} dark)"
            # and a ruled table: at least its outer rules, left and right, top and bottom
            ink = grey < 160
            assert rulings(ink) >= 2, f"{table} picture {k}: no ruled columns"
            assert rulings(ink.T) >= 2, f"{table} picture {k}: no ruled rows"
    html = case.render().decode("utf-8")
    assert html.count("<img") == sum(len(pictures[t]) for t in case.pictured)
    assert len(re.findall(r"<table\b", html)) == (0 if "active" in case.pictured else 1)


# Words only one table prints
MARKS = {
    "active": ("第二十条", "信息内容"),
    "requests": ("申请", "结转", "不予"),
    "appeals": ("复议", "诉讼", "纠正"),
}


@pytest.mark.parametrize("index", INDICES)
def test_every_part_of_a_table_is_pictured_under_its_own_section(index):
    # The rows 「二、上年结转…」 and 「四、结转下年度继续办理」 of table 三 are no headings:
    # taken for sections 二 and 四, they put the rest of table 三 under table 二's heading
    from tests.docgen.scan import table_boxes

    case = draw_picture_case(case_rng(7, "html-image", index))
    pdf = render_pdf(case.truth, case.style, case.options)
    boxes = table_boxes(pdf)
    assert {t for _, t, _ in boxes} == {"active", "requests", "appeals"}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page, table, bbox in boxes:
            text = doc.pages[page].crop(bbox).extract_text()
            others = [w for t, words in MARKS.items() if t != table for w in words if w in text]
            assert others == [], f"page {page + 1}: a part of another table under {table}"


@pytest.mark.parametrize("index", INDICES)
def test_a_scanned_report_draws_every_character_and_rule_on_its_page(index):
    # what lies past the page's edge is not on the scan, nor on any printed page
    case = draw_scan_case(case_rng(7, "pdf-scan", index))
    with pdfplumber.open(io.BytesIO(render_pdf(case.truth, case.style, case.options))) as pdf:
        for page in pdf.pages:
            drawn = [(c["text"], c) for c in page.chars] + [("─", e) for e in page.edges]
            off = [
                text
                for text, c in drawn
                if c["x0"] < 0 or c["top"] < 0 or c["x1"] > page.width or c["bottom"] > page.height
            ]
            assert off == [], f"page {page.page_number}: drawn off the page: {''.join(off)}"


@pytest.mark.parametrize("index", range(4))
def test_a_pdfs_pictured_tables_are_in_no_text_layer_and_pictured_in_place(index):
    import pypdfium2 as pdfium

    from extract.pdf import pictured_pages
    from tests.docgen.scan import draw_pictured_pdf_case

    case = draw_pictured_pdf_case(case_rng(3, "pdf-picture", index))
    doc = pdfium.PdfDocument(case.render())
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    whole = "".join(texts)
    # words printed only inside each table: 二's sub-table captions, 三's corner, 四's header
    inside = {"active": "第二十条第", "requests": "勾稽关系", "appeals": "直接起诉"}
    assert {t for t, w in inside.items() if w not in whole} == set(case.pictured)
    pages = [(doc[i], None, t) for i, t in enumerate(texts)]
    assert pictured_pages(pages, list(range(len(doc))))  # type: ignore[arg-type]


@pytest.mark.parametrize("index", range(4))
def test_a_word_reports_pictured_tables_are_pictures_in_place(index):
    from docx import Document

    from tests.docgen.scan import draw_pictured_docx_case

    case = draw_pictured_docx_case(case_rng(3, "docx-picture", index))
    doc = Document(io.BytesIO(case.render()))
    tables = len(doc.tables)
    pictures = len(doc.inline_shapes)
    assert pictures >= len(case.pictured)
    assert (tables > 0) == ("active" not in case.pictured)  # only table 二 left as a table
