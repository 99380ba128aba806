"""extract/guards.py alone: hostile declarations refused, generated reports let through."""

import io
import random
import zipfile

import pytest

from extract.errors import FileTooLarge, TooComplex, ZipBomb
from extract.guards import MAX_HTML_BYTES, check_bytes, check_pdf_nesting, check_zip
from tests.docgen.docx import render_docx
from tests.docgen.html import render_html
from tests.docgen.pdf import render_pdf
from tests.docgen.truth import random_truth

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("template", ["2021", "2019"])
def test_generated_reports_pass_every_guard(template):
    truth = random_truth(random.Random(1), template)
    check_bytes(render_docx(truth), DOCX)
    check_bytes(render_html(truth), "text/html")
    check_bytes(render_pdf(truth), "application/pdf")


def test_one_member_inflating_too_far_is_a_zip_bomb_below_the_total_cap():
    data = zip_of({"word/document.xml": b"\0" * (8 * 1024 * 1024)})
    with pytest.raises(ZipBomb, match="word/document.xml inflates"):
        check_zip(data)


def test_too_many_members_is_a_zip_bomb():
    with pytest.raises(ZipBomb, match="10001 zip members"):
        check_zip(zip_of({f"m{i}": b"" for i in range(10_001)}))


def test_html_size_cap_is_inclusive():
    page = b"<html><body>" + b" " * (MAX_HTML_BYTES - 12)
    check_bytes(page, "text/html")
    with pytest.raises(FileTooLarge):
        check_bytes(page + b" ", "text/html")


def test_pdf_nesting_counts_openers_not_white_space():
    check_pdf_nesting(b"<<" + b" " * 5000 + b">>")
    check_pdf_nesting(b"[" * 99)
    for nested in (b"[" * 100, b"<< " * 100, b"[ <<\n" * 50):
        with pytest.raises(TooComplex):
            check_pdf_nesting(nested)
