"""sources/pages.py: links resolved against the URL that answered and <base href>; links
written in scripts; attachments as sites link them."""

import pytest

from sources.pages import Link, html_to_links, is_attachment, links_to_attachments

COLUMN = "http://www.example.gov.cn/zfxxgk/zfxxgknb/"


def test_links_resolve_against_the_final_url_not_the_one_asked():
    data = '<a href="./202503/t20250310_97791.htm">2024年政府信息公开工作年度报告</a>'.encode()
    # asked as …/zfxxgknb, answered (after a 301) from …/zfxxgknb/
    assert html_to_links(data, COLUMN) == [
        Link("2024年政府信息公开工作年度报告", COLUMN + "202503/t20250310_97791.htm")
    ]
    assert html_to_links(data, COLUMN.rstrip("/"))[0].url == (
        "http://www.example.gov.cn/zfxxgk/202503/t20250310_97791.htm"
    )


def test_base_href_wins_over_the_page_url():
    data = (
        '<html><head><base href="/xxgk/nb/"></head><body>'
        '<a href="2023.html">2023年报</a><a href="#top">顶部</a>'
        '<a href="javascript:void(0)">下一页</a></body></html>'
    ).encode()
    assert html_to_links(data, "http://x.gov.cn/other/page.jsp?id=3") == [
        Link("2023年报", "http://x.gov.cn/xxgk/nb/2023.html")
    ]


def test_links_written_in_scripts_are_links():
    data = (
        '<p>正文</p><script>var file_appendix=\'<a href="./P020250310.pdf">'
        "2024年年报.pdf</a>';document.write(file_appendix);</script>"
        '<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/'
        '2023/1/5/art_1_9.html" title="2023年政府信息公开工作年度报告">2023年…</a></li>]]>'
        "</record></recordset></datastore></script>"
    ).encode()
    assert html_to_links(data, COLUMN + "202503/t20250310_1.htm") == [
        Link("2024年年报.pdf", COLUMN + "202503/P020250310.pdf"),
        Link("2023年…", "http://www.example.gov.cn/art/2023/1/5/art_1_9.html"),
    ]


@pytest.mark.parametrize(
    "url, text, yes",
    [
        ("http://x.cn/f/r.pdf", "附件", True),
        ("http://x.cn/f/R.DOCX", "附件", True),
        ("http://x.cn/f/r.doc", "附件1", True),
        ("http://x.cn/f/r.wps", "附件", True),
        ("http://x.cn/f/r.ofd", "附件", True),
        # 「附件：xxx.pdf」: the file's name is only in the text
        ("http://x.cn/att/get?id=1", "附件：2024年政府信息公开工作年度报告.pdf", True),
        ("http://x.cn/att/get?id=1", "2024年年报.pdf（356KB）", True),
        ("http://x.cn/dl?id=3", "2023年年报.docx", True),
        ("http://x.cn/module/download/downfile.jsp?classid=0&filename=r.doc", "附件", True),
        # 大汉's download endpoint names no file at all
        ("http://x.cn/module/download/downfile.jsp?classid=0&filename=1f2e3d", "下载", True),
        ("http://x.cn/module/download/downfile.jsp?classid=0&filename=a.xls", "申请表", False),
        ("http://x.cn/f/r.html", "2023年年报", False),
        ("http://x.cn/f/r.xls", "统计表", False),
        ("http://x.cn/f/pdf.html", "PDF版", False),
    ],
)
def test_is_attachment(url, text, yes):
    assert is_attachment(Link(text, url)) is yes


def test_attachments_once_each_in_order():
    links = [
        Link("附件：a.pdf", "http://x.cn/a.pdf"),
        Link("返回", "http://x.cn/index.html"),
        Link("a.pdf", "http://x.cn/a.pdf"),
        Link("附件2", "http://x.cn/b.wps"),
    ]
    assert links_to_attachments(links) == ["http://x.cn/a.pdf", "http://x.cn/b.wps"]
