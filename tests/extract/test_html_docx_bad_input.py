"""HTML and Word inputs that are tricky or no report: charsets, listing and 404 pages, broken files."""

import io
import random

import pytest
from docx import Document

from common.charset import declared_charset, decode_html
from extract.dispatch import extract_document
from extract.errors import Corrupt, EmptyDocument, NotAReport
from tests.docgen.html import listing_page, not_found_page, render_html
from tests.docgen.truth import random_truth

TEXT = "郑州市金水区人民政府2023年政府信息公开工作年度报告：一、总体情况，本年新收申请数量。"


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        (TEXT.encode("gbk"), None),
        (b'<meta charset="utf-8">' + TEXT.encode("gbk"), "utf-8"),
        (b'<meta charset="big5">' + TEXT.encode("gbk"), "big5"),
        (
            b"<meta http-equiv=Content-Type content='text/html; charset=gb2312'>" + TEXT.encode(),
            "gb2312",
        ),
        (b'<?xml version="1.0" encoding="GBK"?><html>' + TEXT.encode("gbk"), "gbk"),
        (b"\xef\xbb\xbf<meta charset=gbk>" + TEXT.encode(), "gbk"),
        (TEXT.encode(), None),
        (b'<meta charset="iso-8859-1">' + TEXT.encode("gbk"), "iso-8859-1"),
        (b'<meta charset="x-unknown">' + TEXT.encode("gbk"), "x-unknown"),
        # a stray broken byte must not turn the page into UTF-8 mojibake, nor the reverse
        (TEXT.encode("gbk") + b"\xff" + TEXT.encode("gbk"), None),
        (TEXT.encode() + b"\xff" + TEXT.encode(), None),
    ],
)
def test_decode_right_whatever_the_declaration(data, declared):
    assert declared_charset(data) == declared
    assert TEXT in decode_html(data)


@pytest.mark.parametrize("charset", ["none", "wrong", "big5", "meta"])
@pytest.mark.parametrize("markup", ["cms", "word"])
def test_gbk_page_reads_agency_and_title(charset, markup):
    truth = random_truth(random.Random(3), "2021", agency="石家庄市长安区人民政府办公室", year=2022)
    data = render_html(truth, markup=markup, encoding="gbk", charset=charset)
    report = extract_document(data, "page.html")
    assert (report.agency_name, report.year) == ("石家庄市长安区人民政府办公室", 2022)
    assert report.title == "石家庄市长安区人民政府办公室2022年政府信息公开工作年度报告"
    assert report.media_type == "text/html"


def test_listing_page_is_not_a_report():
    with pytest.raises(NotAReport) as exc:
        extract_document(listing_page("洛阳市生态环境局", [2019, 2020, 2021, 2022]), "list.html")
    assert exc.value.code == "not_a_report"


def test_404_page_served_as_a_page_is_not_a_report():
    with pytest.raises(NotAReport) as exc:
        extract_document(not_found_page(), "index.html")
    assert exc.value.code == "not_a_report"
    assert "page not found" in exc.value.detail


def test_news_article_is_not_a_report():
    page = (
        "<html><head><meta charset=utf-8><title>关于召开全体会议的通知</title></head><body>"
        "<h1>关于召开全体会议的通知</h1><p>兹定于下周一召开全体会议，请准时参加。</p></body></html>"
    )
    with pytest.raises(NotAReport):
        extract_document(page.encode(), "news.html")


def test_page_without_text_is_empty():
    with pytest.raises(EmptyDocument) as exc:
        extract_document(b"<html><head><title></title></head><body> </body></html>", "e.html")
    assert exc.value.code == "empty_file"


def _docx(*paragraphs: str) -> bytes:
    document = Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_that_is_not_a_report():
    with pytest.raises(NotAReport) as exc:
        extract_document(_docx("会议通知", "兹定于下周一召开全体会议。"), "notice.docx")
    assert exc.value.code == "not_a_report"


def test_truncated_docx_is_corrupt():
    data = _docx("一、总体情况")
    with pytest.raises(Corrupt) as exc:
        extract_document(data[: len(data) // 2], "cut.docx")
    assert exc.value.code == "corrupt"


def test_cms_page_chrome_is_left_out():
    """Inline style/script in the article, a footer laid out as a two-column table."""
    truth = random_truth(random.Random(4), "2019", agency="开封市市场监督管理局", year=2020)
    page = render_html(truth, markup="cms").decode()
    page = page.replace(
        '<div class="TRS_Editor" id="zoom">',
        '<div class="TRS_Editor" id="zoom"><style>.TRS_Editor p{font-size:16px}</style>'
        "<script>document.write('六、其他需要报告的事项');</script>",
    ).replace(
        '<div class="footer">',
        '<table class="foot"><tr><td>主办单位：开封市市场监督管理局</td><td>联系电话：0371-12345678</td></tr>'
        "<tr><td>网站标识码：4102000001</td><td>豫公网安备 41020202000123号</td></tr></table>"
        '<div class="footer">',
    )
    report = extract_document(page.encode(), "page.html")
    assert [(s.number, s.body) for s in report.sections if s.number in (1, 5, 6)] == [
        (n, truth.prose[n]) for n in (1, 5, 6)
    ]
    assert report.title == "开封市市场监督管理局2020年政府信息公开工作年度报告"
    assert len(report.cells) == len(truth.expected()) and not report.problems


@pytest.mark.parametrize(
    "title",
    ["2021年政府信息公开工作年度报告_新乡县教育局门户网站", "新乡县教育局 - 政务公开 - 年报"],
)
def test_agency_from_the_site_title_when_the_heading_lacks_it(title):
    truth = random_truth(random.Random(5), "2021", agency="新乡县教育局", year=2021)
    page = render_html(truth, markup="cms").decode()
    page = page.replace('<h1 class="title">新乡县教育局', '<h1 class="title">')
    page = page.replace(
        f"<title>{truth.title}_新乡县教育局门户网站</title>", f"<title>{title}</title>"
    )
    report = extract_document(page.encode(), "page.html")
    assert (report.agency_name, report.year) == ("新乡县教育局", 2021)
    assert report.title == "2021年政府信息公开工作年度报告"
