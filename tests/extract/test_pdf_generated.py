"""PDF reports generated from known numbers: every cell exact, ruled and unruled, both
templates, tables across pages, provenance, and bad PDFs with specific error codes."""

import io
import random

import pdfplumber
import pytest

from extract.dispatch import extract_document
from extract.errors import ExtractError
from extract.pdf import pdf_to_report
from tests.docgen.compare import expected_values, frame_values, report_frames
from tests.docgen.layout import Style
from tests.docgen.pdf import PdfStyle, encrypted_pdf, render_pdf, scanned_pdf
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth

CASES = [
    ("2021", Style(), PdfStyle(ruled=True)),
    ("2021", Style(), PdfStyle(ruled=False)),
    ("2021", Style(blank="-", split_header=True), PdfStyle(ruled=True, split_row=True)),
    ("2021", Style(blank="—", thousands=True, money="wan"), PdfStyle(ruled=False, split_row=True)),
    ("2021", Style(fullwidth=True, money="yuan", year_cn=True), PdfStyle(ruled=True)),
    ("2019", Style(), PdfStyle(ruled=True)),
    ("2019", Style(blank="/", split_header=True), PdfStyle(ruled=False, split_row=True)),
    (
        "2019",
        Style(fullwidth=True, thousands=True, money="yuan"),
        PdfStyle(ruled=True, split_row=True),
    ),
    ("2019", Style(blank="-", money="wan", year_cn=True), PdfStyle(ruled=False)),
]


def _ids(case):
    template, style, pdf = case
    return (
        f"{template}-{'ruled' if pdf.ruled else 'unruled'}-{'split' if pdf.split_row else 'whole'}"
    )


@pytest.mark.parametrize(("layer", "seed"), [("pdfium", 0), ("pdfium", 1), ("pdfminer", 2)])
@pytest.mark.parametrize(("template", "style", "pdf"), CASES, ids=[_ids(c) for c in CASES])
def test_generated_pdf_round_trips(template, style, pdf, layer, seed):
    truth = random_truth(random.Random(seed), template, blank_share=0.3 if seed else 0.0)
    report = pdf_to_report(render_pdf(truth, style, pdf), layer=layer)
    frames = report_frames(report, "r.pdf")

    expected = expected_values(truth)
    assert frame_values(frames) == expected
    assert (report.agency_name, report.year, report.template) == (
        truth.agency,
        truth.year,
        template,
    )
    assert report.media_type == "application/pdf"
    assert frames.report.status == "valid"


def test_pdf_yields_the_records_of_its_text_version():
    truth = random_truth(random.Random(11), "2021", blank_share=0.3)
    style = Style(blank="-")
    from_pdf = extract_document(render_pdf(truth, style, PdfStyle(split_row=True)), "r.pdf")
    from_text = extract_document(render_text(truth, style, fmt="tab"), "r.txt")
    assert [(c.table, c.row, c.col, c.raw, c.unit_hint) for c in from_pdf.cells] == [
        (c.table, c.row, c.col, c.raw, c.unit_hint) for c in from_text.cells
    ]
    assert (from_pdf.title, from_pdf.agency_name, from_pdf.year) == (
        from_text.title,
        from_text.agency_name,
        from_text.year,
    )


@pytest.mark.parametrize("layer", ["pdfium", "pdfminer"])
@pytest.mark.parametrize("ruled", [True, False])
def test_every_cell_keeps_its_page_and_box(ruled, layer):
    """Cropping the page at a cell's box gives back exactly the cell's raw text."""
    truth = random_truth(random.Random(3), "2021")
    data = render_pdf(truth, Style(thousands=True), PdfStyle(ruled=ruled, split_row=True))
    report = pdf_to_report(data, layer=layer)
    with pdfplumber.open(io.BytesIO(data)) as doc:
        for cell in report.cells:
            if not cell.raw:
                continue
            assert cell.page is not None and cell.bbox is not None, cell
            x0, top, x1, bottom = cell.bbox
            crop = doc.pages[cell.page - 1].crop((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5))
            assert crop.extract_text().replace("\n", "") == cell.raw, cell
    pages = {c.page for c in report.cells if c.table == "requests"}
    assert len(pages) == 2  # table 三 runs across a page break
    assert report.pages == len(pdfplumber.open(io.BytesIO(data)).pages)


def test_split_row_is_joined_across_the_page_break():
    truth = random_truth(random.Random(5), "2021")
    report = pdf_to_report(render_pdf(truth, Style(), PdfStyle(split_row=True)))
    cells = {(c.row, c.col): c for c in report.cells if c.table == "requests"}
    cell = cells[("unavailable_not_held", "total")]
    assert cell.raw == str(truth.requests[("unavailable_not_held", "total")])
    assert cells[("unavailable_needs_creation", "total")].page == cell.page + 1
    assert not report.problems


def test_title_from_first_page_heading_and_six_sections():
    truth = random_truth(random.Random(2), "2019", agency="石家庄市长安区人民政府办公室")
    report = pdf_to_report(render_pdf(truth, Style(year_cn=True), PdfStyle(meta_title="WPS")))
    assert (
        report.title
        == f"石家庄市长安区人民政府办公室{truth.year}年政府信息公开工作年度报告".replace(
            str(truth.year), "".join("〇一二三四五六七八九"[int(d)] for d in str(truth.year))
        )
    )
    assert (report.agency_name, report.year) == ("石家庄市长安区人民政府办公室", truth.year)
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.sections[4].heading == "五、存在的主要问题及改进情况"
    assert report.sections[4].body.startswith(truth.prose[5])


@pytest.mark.parametrize("title_break", ["agency", "year"])
def test_heading_broken_over_two_lines(title_break):
    """「郑州市金水区人民政府2024年」 / 「政府信息公开工作年度报告」: agency and year still found."""
    truth = random_truth(random.Random(4), "2021", agency="郑州市金水区人民政府")
    report = pdf_to_report(render_pdf(truth, Style(), PdfStyle(title_break=title_break)))
    assert report.title == f"郑州市金水区人民政府{truth.year}年政府信息公开工作年度报告"
    assert (report.agency_name, report.year) == ("郑州市金水区人民政府", truth.year)


def test_mixed_template_single_other_row():
    """A 2021 table 二 with a single （六） row in table 三: the row is `other`, template 2021."""
    truth = random_truth(random.Random(7), "2021", other_rows=1)
    report = pdf_to_report(render_pdf(truth, Style(), PdfStyle(ruled=False)))
    got = {(c.row, c.col): c.raw for c in report.cells if c.table == "requests"}
    assert got[("other", "total")] == str(truth.requests[("other", "total")])
    assert not {r for r, _ in got} & {"other_no_correction", "other_unpaid_fee", "other_misc"}
    assert report.template == "2021"
    assert len(got) == 23 * 7


def _good() -> bytes:
    return render_pdf(random_truth(random.Random(1)), Style(), PdfStyle(prose_paras=0))


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: encrypted_pdf(), "encrypted"),
        (lambda: _good()[: len(_good()) // 2], "corrupt"),
        (lambda: _good()[:200] + b"x" * 5000 + _good()[-200:], "corrupt"),
        (lambda: b"\x00\x01 binary, not a PDF" * 50, "corrupt"),
        (lambda: scanned_pdf(), "no_text_layer"),
    ],
    ids=["encrypted", "truncated", "garbled", "not_a_pdf", "scanned"],
)
def test_bad_pdfs_get_a_specific_code(make, code):
    with pytest.raises(ExtractError) as exc:
        extract_document(make(), "r.pdf")
    assert exc.value.code == code


def test_layers_agree_on_every_cell_and_box():
    """pdfium and pdfminer give pdfplumber the same cells, pages and (to a point) boxes."""
    truth = random_truth(random.Random(9), "2019", blank_share=0.3)
    data = render_pdf(truth, Style(blank="-"), PdfStyle(split_row=True))
    fast, slow = (pdf_to_report(data, layer=layer) for layer in ("pdfium", "pdfminer"))
    assert [(c.table, c.row, c.col, c.raw, c.page) for c in fast.cells] == [
        (c.table, c.row, c.col, c.raw, c.page) for c in slow.cells
    ]
    for a, b in zip(fast.cells, slow.cells, strict=True):
        # Edge snapping may settle a ruling line a few points apart; the text stays inside.
        assert max(abs(x - y) for x, y in zip(a.bbox, b.bbox, strict=True)) < 4.0


def test_unknown_layer_is_refused():
    with pytest.raises(ValueError, match="layer"):
        pdf_to_report(_good(), layer="ocr")


def test_time_limit_per_document():
    with pytest.raises(ExtractError) as exc:
        pdf_to_report(_good(), time_limit=0.001)
    assert exc.value.code == "timeout"


def test_running_lines_are_the_lines_opening_or_closing_two_pages():
    from extract.pdf import running_lines

    title = "河南省自然资源厅2025年政府信息公开工作年度报告"
    texts = [
        f"{title}\n一、总体情况\n正文\n- 1 -",
        f"{title}\n申请人情况\n自然人 商业企业\n一、本年新收 3 0 3\n- 2 -",
        f"{title}\n申请人情况\n自然人 商业企业\n（七）总计 3 0 3\n办公室 制",
        "申请人情况\n四、政府信息公开行政复议\n办公室 制",
    ]
    pages = [(None, None, t) for t in texts]
    # the title opens three pages and 办公室制 closes two; a table's header repeated at the
    # top of its pages is not furniture, nor are the page numbers (each is its own)
    assert running_lines(pages) == frozenset({title, "办公室制"})
