"""Text reports generated from known numbers round-trip exactly, both templates, every quirk."""

import random

import pytest

from extract.dispatch import extract_document
from tests.docgen.compare import expected_values, frame_values, report_frames
from tests.docgen.layout import Style
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth

CASES = [
    ("2021", Style(), "pipe", False),
    ("2021", Style(swallow=True, typo=True), "pipe", True),
    ("2021", Style(swallow=True, split_header=True), "tab", True),
    ("2021", Style(fullwidth=True, blank="—", money="yuan"), "tab", False),
    ("2021", Style(thousands=True, blank="无", money="wan", year_cn=True), "pipe", False),
    ("2019", Style(), "pipe", False),
    ("2019", Style(swallow=True, split_header=True, blank="/"), "tab", True),
    ("2019", Style(fullwidth=True, money="yuan", year_cn=True, blank="-"), "pipe", True),
]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("template", "style", "fmt", "breaks"), CASES)
def test_generated_text_round_trips(template, style, fmt, breaks, seed):
    truth = random_truth(random.Random(seed), template, blank_share=0.3 if seed % 2 else 0.0)
    report = extract_document(render_text(truth, style, fmt=fmt, page_breaks=breaks), "r.txt")
    frames = report_frames(report, "r.txt")

    expected = expected_values(truth)
    assert frame_values(frames) == expected
    assert (report.agency_name, report.year, report.template) == (
        truth.agency,
        truth.year,
        template,
    )
    assert frames.report.status == "valid"


def test_mixed_template_single_other_row():
    """A 2021 table 二 with a single （六） row in table 三: the row is `other`, template 2021."""
    truth = random_truth(random.Random(7), "2021", other_rows=1)
    report = extract_document(render_text(truth, Style(swallow=True), fmt="tab"), "r.txt")
    rows = {c.row for c in report.cells if c.table == "requests"}
    assert "other" in rows and not rows & {"other_no_correction", "other_unpaid_fee", "other_misc"}
    assert report.template == "2021"
    assert len(rows) == 23


def test_utf16_bom_with_an_odd_byte_decodes_not_crashes():
    """Found by tests/extract/test_fuzz.py: a UTF-16 BOM then an odd number of bytes raised
    UnicodeDecodeError out of the reader (an internal_error, not a clear failure)."""
    from extract.text import decode_text

    assert decode_text(b"\xfe\xff\x00") == "\ufffd"
    assert decode_text("\ufeff一".encode("utf-16-le") + b"\x00") == "一\ufffd"
