"""PDF pages read in their reading frame, WPS's cells, and numbers printed stacked.

The fixtures (tests/fixtures/make_pdf_classes.py) are each read right as a whole by
tests/extract/test_fixture_classes.py; here the reading each class broke is asked to
read them itself (another reading may have covered for it before).
"""

from pathlib import Path

import pytest

from extract.dispatch import extract_document
from extract.pdf import _runs_on_one_line, open_pdfium, pdfium_to_pages
from extract.pdfium_layer import Frame, PdfiumPage, page_frame
from extract.template.stacks import digit_stacks, is_stacked, stack_digits
from extract.template.tokens import Word
from tests.docgen.pdf import PdfStyle, render_pdf
from tests.docgen.truth import random_truth

FIXTURES = Path(__file__).parent.parent / "fixtures"

# fixture -> the tables its class kept the words reading (word positions) from reading
WORDS_READ = {
    "pdf_table_pages_turned_by_rotate_90.pdf": ("active", "requests", "appeals"),
    "pdf_table_pages_turned_by_rotate_270.pdf": ("active", "requests", "appeals"),
    "pdf_table_drawn_sideways_on_a_portrait_page.pdf": ("active", "requests", "appeals"),
    "wps_font_size_scaled_by_the_text_matrix.pdf": ("active", "requests", "appeals"),
    "ruled_header_letter_spaced_in_its_cell.pdf": ("requests",),
    "ruled_header_cells_touching_across_a_column_line.pdf": ("requests",),
    "table_four_digits_stacked_in_narrow_cells.pdf": ("appeals",),
    "table_four_stacked_digit_atop_a_page_is_no_page_number.pdf": ("appeals",),
}


@pytest.mark.parametrize("name", sorted(WORDS_READ))
def test_the_words_reading_reads_the_class(name):
    report = extract_document((FIXTURES / name).read_bytes(), name)
    verdicts = {a.table: a.verdict for a in report.attempts if a.method == "words"}
    assert {t: verdicts.get(t) for t in WORDS_READ[name]} == dict.fromkeys(
        WORDS_READ[name], "passes"
    )


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_a_frame_turns_the_text_upright(turns):
    frame = Frame(turns, 595, 842)
    # a baseline running along the text's own direction in user space
    direction = [(1, 0), (0, 1), (-1, 0), (0, -1)][turns]
    x0, y0 = 300, 400
    a = frame.point(x0, y0)
    b = frame.point(x0 + 10 * direction[0], y0 + 10 * direction[1])
    assert b[0] - a[0] == pytest.approx(10) and b[1] == pytest.approx(a[1])  # left to right
    assert frame.size == ((595, 842) if turns % 2 == 0 else (842, 595))
    x, top, x1, bottom = frame.box(100, 200, 110, 230)
    assert x <= x1 and top <= bottom and 0 <= x and x1 <= frame.size[0]


@pytest.mark.parametrize("turn", ["rot90", "rot270", "sideways", "landscape"])
def test_a_turned_table_page_reads_upright_lines(turn):
    truth = random_truth(__import__("random").Random(5), "2021")
    data = render_pdf(truth, pdf=PdfStyle(prose_paras=0, size=10, turn=turn, page_mark="{n}"))
    pages = pdfium_to_pages(open_pdfium(data))
    i = next(i for i, (_, _, t) in enumerate(pages) if "申请人情况" in t)
    page, textpage, _ = pages[i]
    assert page_frame(page, textpage).turns == {"rot90": 1, "sideways": 1, "rot270": 3}.get(turn, 0)
    words = PdfiumPage(page, textpage).extract_words()
    # the row label is one word across, not a column of single characters
    assert any("本年新收政府信息公开申请数量" in w["text"] for w in words)
    if turn == "sideways":  # the portrait page's upright page number is left out
        assert not any(w["text"] == str(i + 1) and w["x0"] < 60 for w in words)


def _w(text, x0, top, size=10.0):
    return Word(text, x0, x0 + 0.55 * size * len(text), top, top + 1.2 * size, size, 1)


def test_stacked_digits_are_one_number():
    upper, lower, beside = _w("1", 100, 50), _w("0", 100, 62), _w("5", 130, 56)
    assert is_stacked(upper, lower) and not is_stacked(upper, beside)
    assert [w.text for w in stack_digits([lower, beside, upper])] == ["10", "5"]
    # three digits; a digit read with the header's lines is the top of a number below it
    assert [w.text for w in stack_digits([_w("2", 100, 62), _w("5", 100, 74)], [upper])] == ["125"]
    # a digit above that tops no number is no value
    assert digit_stacks([beside], [_w("3", 300, 40)]) == [[beside]]
    # a digit far below is another line's value, not the number's next digit
    assert not is_stacked(upper, _w("0", 100, 90))


def test_a_text_layer_run_on_two_lines_is_split():
    # 「0」 then 「1」 above 「4」, one run for the text layer: three parts
    boxes = [(10.0, 50.0, 15.0, 60.0), (18.0, 44.0, 23.0, 54.0), (18.0, 56.0, 23.0, 66.0)]
    assert _runs_on_one_line(boxes) == [(0, 1), (1, 2), (2, 3)]
    assert _runs_on_one_line([(10.0, 50.0, 15.0, 60.0), (16.0, 50.0, 21.0, 60.0)]) == [(0, 2)]


def test_upright_text_on_a_sideways_page_is_read_in_its_own_frame():
    # a portrait page: an upright heading at its top, lines drawn sideways below it, an
    # upright page number at its foot: the heading comes first, the page number last
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tests.docgen.pdf import FONT

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(FONT, 14)
    c.drawString(60, 790, "三、收到和处理政府信息公开申请情况")
    c.saveState()
    c.translate(A4[0], 0)
    c.rotate(90)
    c.setFont(FONT, 10)
    for k, line in enumerate(["申请人情况 自然人", "一、本年新收政府信息公开申请数量 1 2 3"]):
        c.drawString(60, 500 - k * 20, line)
    c.restoreState()
    c.setFont(FONT, 10)
    c.drawCentredString(A4[0] / 2, 40, "3")
    c.showPage()
    c.save()
    page, textpage, _ = pdfium_to_pages(open_pdfium(buf.getvalue()))[0]
    words = sorted(PdfiumPage(page, textpage).extract_words(), key=lambda w: w["top"])
    texts = [w["text"] for w in words]
    assert texts[0] == "三、收到和处理政府信息公开申请情况" and texts[-1] == "3"
    assert "一、本年新收政府信息公开申请数量" in texts
