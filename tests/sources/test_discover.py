"""sources/discover.py: link text, encodings, pagination bound, attachments; pages from a dict."""

import pytest

from common.charset import decode_html
from sources.discover import (
    Found,
    Link,
    Page,
    discover,
    html_to_links,
    is_attachment,
    links_to_reports,
    title_to_year,
)
from sources.errors import HttpStatus
from sources.pagers import links_to_series
from spec.failures import Failure
from tests.sources.fakesite import page

BASE = "http://www.example.gov.cn/xxgk/ndbg/"


@pytest.mark.parametrize(
    "title, year",
    [
        ("2023年政府信息公开工作年度报告", 2023),
        ("测试市甲局2023年政府信息公开工作年度报告", 2023),
        ("2022年度政府信息公开工作年度报告", 2022),
        ("2021年政府信息公开年度报告", 2021),
        ("2020年政府信息公开工作报告", 2020),
        ("2019年政府信息公开报告", 2019),
        ("二〇二三年政府信息公开工作年度报告", 2023),
        ("2024 年 政府信息公开工作年度报告", 2024),
        ("关于2023年政府信息公开工作年度报告的解读", None),
        ("一图读懂2023年政府信息公开工作年度报告", None),
        ("2023年工作总结", None),
        ("政府信息公开指南", None),
    ],
)
def test_title_to_year(title, year):
    assert title_to_year(title) == year


def test_gbk_page_links_decoded():
    data = page("年报", [("2022年度政府信息公开工作年度报告", "2022.html")], charset="gbk")
    assert "年报" not in data.decode("latin-1")  # really GBK bytes
    assert html_to_links(data, BASE) == [
        Link("2022年度政府信息公开工作年度报告", BASE + "2022.html")
    ]
    assert decode_html("<p>中文</p>".encode()) == "<p>中文</p>"  # no charset: UTF-8
    assert decode_html("<p>中文</p>".encode("gb18030")) == "<p>中文</p>"  # no charset, not UTF-8


def test_listing_links_filtered_by_text_and_year_once_each():
    links = [
        Link("2023年政府信息公开工作年度报告", BASE + "a.html"),
        Link("2023年政府信息公开工作年度报告", BASE + "a.html"),
        Link("关于2023年政府信息公开工作年度报告的解读", BASE + "jd.html"),
        Link("2022年政府信息公开工作年度报告", BASE + "b.html"),
        Link("下一页", BASE + "index_1.html"),
    ]
    assert [x.url for x in links_to_reports(links)] == [BASE + "a.html", BASE + "b.html"]
    assert [x.url for x in links_to_reports(links, 2022)] == [BASE + "b.html"]
    assert links_to_series(links, BASE)[1] == [BASE + "index_1.html"]  # the next page
    assert links_to_series(links[:4], BASE)[1] == []


@pytest.mark.parametrize(
    "url, text, yes",
    [
        ("http://x.cn/f/r.pdf", "附件", True),
        ("http://x.cn/f/R.DOCX", "附件", True),
        ("http://x.cn/f/r.wps", "附件", True),
        ("http://x.cn/module/download/downfile.jsp?classid=0&filename=r.doc", "附件", True),
        ("http://x.cn/dl?id=3", "2023年年报.pdf", True),
        ("http://x.cn/f/r.html", "2023年年报", False),
        ("http://x.cn/f/r.xls", "统计表", False),
    ],
)
def test_is_attachment(url, text, yes):
    assert is_attachment(Link(text, url)) is yes


def pages_from(site: dict[str, bytes], asked: list):
    def get(url, via, role):
        asked.append((url, via, role))
        if url not in site:
            raise HttpStatus(404, f"HTTP 404 from {url}")
        return Page(url, site[url])

    return get


def test_discover_follows_pagination_to_its_bound_and_records_the_way():
    site = {
        BASE + "index.html": page(
            "年报",
            [("2023年政府信息公开工作年度报告", "2023.html"), ("下一页", "index_1.html")],
        ),
        BASE + "index_1.html": page(
            "年报",
            [
                ("2022年政府信息公开工作年度报告", "2022.html"),
                ("2021年政府信息公开工作年度报告", "gone.html"),
                ("下一页", "index_2.html"),
            ],
            charset="gbk",
        ),
        BASE + "index_2.html": page(
            "年报", [("2020年政府信息公开工作年度报告", "2020.html"), ("下一页", "index.html")]
        ),
        BASE + "2023.html": page(
            "2023", [("附件1.pdf", "/f/2023.pdf"), ("附件2", "/f/2023b.docx")]
        ),
        BASE + "2022.html": page("2022", [("返回", "index.html")], body="<p>报告正文</p>"),
        BASE + "2020.html": page("2020", [("附件", "/f/2020.wps")]),
    }
    asked = []
    got = list(discover(BASE + "index.html", pages_from(site, asked), max_pages=2))
    assert got[:3] == [
        Found("http://www.example.gov.cn/f/2023.pdf", BASE + "2023.html", "attachment"),
        Found("http://www.example.gov.cn/f/2023b.docx", BASE + "2023.html", "attachment"),
        Found(BASE + "2022.html", BASE + "index_1.html", "article"),
    ]
    assert (got[3].source_uri, got[3].found_via, got[3].stage, got[3].error) == (
        BASE + "gone.html",
        BASE + "index_1.html",
        "fetch",
        "http_404",
    )
    assert len(got) == 4  # index_2.html is beyond the bound of 2 pages
    assert [(u.rsplit("/", 1)[1], v and v.rsplit("/", 1)[1], r) for u, v, r in asked] == [
        ("index.html", None, "listing"),
        ("index_1.html", "index.html", "listing"),
        ("2023.html", "index.html", "article"),
        ("2022.html", "index_1.html", "article"),
        ("gone.html", "index_1.html", "article"),
    ]
    # with a higher bound the loop back to index.html is not followed twice
    asked.clear()
    got = list(discover(BASE + "index.html", pages_from(site, asked), max_pages=10))
    assert [a[0] for a in asked if a[2] == "listing"] == [
        BASE + "index.html",
        BASE + "index_1.html",
        BASE + "index_2.html",
    ]
    assert got[-1] == Found(
        "http://www.example.gov.cn/f/2020.wps", BASE + "2020.html", "attachment"
    )


def test_discover_says_when_nothing_found_or_listing_missing():
    site = {BASE + "index.html": page("年报", [("政府信息公开指南", "zn.html")])}
    got = list(discover(BASE + "index.html", pages_from(site, [])))
    assert [(type(m), m.source_uri, m.stage, m.error) for m in got] == [
        (Failure, BASE + "index.html", "discover", "nothing_discovered")
    ]
    got = list(discover(BASE + "nope.html", pages_from(site, [])))
    assert [(m.source_uri, m.stage, m.error) for m in got] == [
        (BASE + "nope.html", "fetch", "http_404")
    ]
