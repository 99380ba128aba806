"""sources/pagers.py and sources/scripted.py: each pager shape sites write, and what tells a
list drawn by script."""

import pytest

from sources.pagers import Series, tree_to_pages, url_to_page_number
from sources.pages import page_to_tree, tree_to_links
from sources.scripted import tree_to_script_list

SITE = "http://www.example.gov.cn"


def pages_of(html: str, url: str) -> list[str]:
    doc = page_to_tree(html.encode())
    return tree_to_pages(doc, url, tree_to_links(doc, url))[0]


def script_list(html: str, url: str = SITE + "/nb/") -> str | None:
    doc = page_to_tree(html.encode())
    links = tree_to_links(doc, url)
    pages = tree_to_pages(doc, url, links)[0]
    return tree_to_script_list(doc, pages, reports=sum("报告" in x.text for x in links))


def test_next_link_whatever_the_page_is_named():
    html = '<a href="list-two.html">下一页</a><a href="../a.html">返回</a>'
    assert pages_of(html, SITE + "/p/list.html") == [SITE + "/p/list-two.html"]


def test_last_link_and_page_count_fill_in_index_n():
    html = '共 4 页 <a href="index.htm">首页</a> <a href="index_3.htm">尾页</a>'
    assert pages_of(html, SITE + "/nb/") == [
        SITE + "/nb/index_3.htm",
        SITE + "/nb/index_1.htm",
        SITE + "/nb/index_2.htm",
    ]


def test_numbered_links_of_another_listing_or_an_article_are_no_pages():
    html = (
        '<a href="./202503/t20250310_97791.htm">2024年报</a>'
        '<a href="/other/index_1.htm">别的栏目</a><a href="list_2.htm">2</a>'
    )
    assert pages_of(html, SITE + "/nb/index.htm") == []


def test_create_page_html_draws_the_pager():
    html = '<div class="page"><script>createPageHTML(5, 0, "index", "shtml");</script></div>'
    assert pages_of(html, SITE + "/nb/index.shtml") == [
        SITE + f"/nb/index_{n}.shtml" for n in range(1, 5)
    ]
    # the variant with the pager's element id first
    html = "<script>createPageHTML('page_div',3,1,'index','html',30);</script>"
    assert pages_of(html, SITE + "/nb/index_1.html") == [SITE + "/nb/index_2.html"]


def test_query_pages_and_their_count():
    html = '共 4 页 <a href="?col=5&page=2">2</a> <a href="?col=5&page=2">下一页</a>'
    assert pages_of(html, SITE + "/list.jsp?col=5") == [
        SITE + f"/list.jsp?col=5&page={n}" for n in (2, 3, 4)
    ]
    # numbered from 0: the next page of the first is 1
    html = '共 3 页 <a href="list?pageIndex=1">下一页</a>'
    assert pages_of(html, SITE + "/list") == [
        SITE + "/list?pageIndex=1",
        SITE + "/list?pageIndex=2",
    ]


def test_a_page_count_beyond_reason_is_no_pager():
    assert pages_of('共 99999 页 <a href="index_1.htm">下一页</a>', SITE + "/nb/") == [
        SITE + "/nb/index_1.htm"
    ]


def test_url_to_page_number():
    assert url_to_page_number(SITE + "/nb/index_7.htm", SITE + "/nb/") == (
        Series("file", SITE + "/nb/index_{n}.htm", 1),
        7,
    )
    assert url_to_page_number(SITE + "/l.do?c=1&pageNo=3", SITE + "/l.do?c=1") == (
        Series("query", SITE + "/l.do?c=1&pageNo={n}", 2),
        3,
    )
    assert url_to_page_number(SITE + "/l.do?c=2&pageNo=3", SITE + "/l.do?c=1") is None
    assert url_to_page_number("http://other.gov.cn/nb/index_1.htm", SITE + "/nb/") is None


@pytest.mark.parametrize(
    "html, why",
    [
        ('<ul><li ms-repeat-el="list"><a ms-attr-href="el.url">{{el.title}}</a></li></ul>',
         "a list template (ms-repeat-el on <li>)"),
        ('<div id="app"><li v-for="x in list">{{x.title}}</li></div>',
         "a list template (v-for on <li>)"),
        ('<script type="text/html" id="tpl"><li>{{title}}</li></script>',
         "a list template (<script type=text/html>)"),
        ('<script>listModel({quickMode:"动静结合", maxStaticIndex:1});</script>',
         "a list drawn by script (listModel)"),
        ('<div id="app"></div><script src="/js/app.1f2e.js"></script>',
         'an empty application mount (<div id="app">)'),
        ('<a href="2023.html">2023年政府信息公开工作年度报告</a>'
         '<a href="javascript:goPage(2)">下一页</a>',
         "a pager drawn by script ('下一页' with no page to follow)"),
        ('<a href="2023.html">2023年报告</a><span onclick="turn(2)">下一页</span>',
         "a pager drawn by script ('下一页' with no page to follow)"),
        ('<a href="2023.html">2023年报告</a><div>共 3 页</div>',
         "a pager that states 3 pages and links none"),
        # static lists: nothing to render
        ('<a href="2023.html">2023年报告</a><div>共1页 首页 上一页 下一页 尾页</div>', None),
        ('<a href="2023.html">2023年报告</a><a href="index_1.htm">下一页</a> 共 2 页', None),
        ('<a href="2023.html">2023年报告</a><script>createPageHTML(2, 0, "index", "htm");</script>',
         None),
        ('<div id="app"><a href="2023.html">2023年报告</a></div>', None),
    ],
)  # fmt: skip
def test_what_tells_a_list_drawn_by_script(html, why):
    assert script_list(html) == why
