"""Fuzzing the HTML extractor and the DOCX reader on mutated generated documents.

Every input either yields a Report or raises an ExtractError with a stable code;
anything else (an IndexError deep in a table walker, a RecursionError) is a bug.
"""

import io
import random
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.dispatch import extract_document
from extract.errors import ExtractError
from extract.html import html_to_report
from tests.docgen.docx import render_docx
from tests.docgen.html import render_html
from tests.docgen.truth import random_truth


def fuzz(n: int):
    return settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck))


TRUTH = random_truth(random.Random(7), "2021", agency="模糊局", year=2024)
HTML = render_html(TRUTH, markup="word", split_tables=True).decode("utf-8")
DOCX = render_docx(TRUTH, split_tables=True)
DOCUMENT_XML = zipfile.ZipFile(io.BytesIO(DOCX)).read("word/document.xml").decode("utf-8")
MARKUP = [
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    '<td rowspan="0">',
    '<td colspan="99999">',
    '<td rowspan="-3" colspan="x">',
    "<th>",
    "<tbody>",
    "<br>",
    "<p>",
    "</p>",
    "<div>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<script>",
    '<meta charset="big5">',
    '<meta charset="no-such-charset">',
    "<?xml version='1.0'?>",
    "&nbsp;",
    "&#0;",
    "&#xD800;",
    "\x00",
    "\ufeff",
    "三、收到和处理政府信息公开申请情况",
    "自然人",
    "总计",
    "12",
    "—",
]
WORD_XML = [
    "<w:p>",
    "</w:p>",
    "<w:tc>",
    "</w:tc>",
    "<w:tr>",
    "</w:tr>",
    '<w:gridSpan w:val="99999"/>',
    '<w:gridSpan w:val="-1"/>',
    '<w:vMerge w:val="restart"/>',
    "<w:vMerge/>",
    '<w:numPr><w:ilvl w:val="9"/><w:numId w:val="77"/></w:numPr>',
    "<w:t>四、</w:t>",
    "<w:t>总计</w:t>",
    "&#0;",
    "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
]


def survives(call, data: bytes) -> None:
    try:
        report = call(data)
    except ExtractError as exc:
        assert exc.code and exc.detail
        return
    assert all(c.table in {"requests", "appeals", "active"} for c in report.cells)


def mutate(data, text: str, tokens: list[str]) -> str:
    """Given a Hypothesis draw and a text, return it with random slices deleted, duplicated,
    swapped for junk or for tokens of its own markup."""
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 600)))
        op = data.draw(st.sampled_from(["delete", "dup", "junk", "token"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "dup":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "junk":
            text = text[:i] + data.draw(st.text(max_size=30)) + text[j:]
        else:
            text = text[:i] + data.draw(st.sampled_from(tokens)) + text[i:]
    return text


@fuzz(300)
@given(st.data(), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_html_extractor_on_mutated_reports(data, encoding):
    text = mutate(data, HTML, MARKUP)
    survives(html_to_report, text.encode(encoding, errors="replace"))


@fuzz(700)
@given(st.lists(st.sampled_from(MARKUP) | st.text(max_size=6), max_size=200))
def test_html_extractor_on_markup_soup(tokens):
    survives(html_to_report, ("<html><body>" + "".join(tokens)).encode("utf-8"))


def rezip(document_xml: str) -> bytes:
    """Given a new word/document.xml, return the generated .docx with it swapped in."""
    src = zipfile.ZipFile(io.BytesIO(DOCX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = document_xml.encode("utf-8", errors="replace")
            dst.writestr(info.filename, body)
    return out.getvalue()


@fuzz(250)
@given(st.data())
def test_docx_reader_on_mutated_document_xml(data):
    survives(
        lambda b: extract_document(b, "fuzz.docx"), rezip(mutate(data, DOCUMENT_XML, WORD_XML))
    )


@fuzz(400)
@given(st.data())
def test_docx_reader_on_mutated_zip_bytes(data):
    raw = bytearray(DOCX)
    for _ in range(data.draw(st.integers(1, 16))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(4, len(raw)))]
    survives(lambda b: extract_document(b, "fuzz.docx"), bytes(raw))
