"""Render a Truth as an HTML report page: a government CMS article or Word-pasted HTML.

``markup='cms'`` wraps the article in site navigation, a breadcrumb, related
links and a footer, with plain ``<table border=1>`` tables. ``markup='word'`` is
what Word's "save as web page" gives and editors paste into CMS pages:
``MsoNormal`` paragraphs, a ``<p>`` and several ``<span>``s in every cell (a
number split across spans), runs of ``&nbsp;`` around digits, ``<o:p>``
placeholders, conditional comments and the zero-height misaligned-columns row.
Both use rowspan/colspan for the merged cells. Encoded in UTF-8 or GBK, with the
charset declared in a meta tag, not at all, or wrongly.
"""

from __future__ import annotations

import random
from html import escape

from tests.docgen.layout import Style, blocks_of, title_lines
from tests.docgen.spans import (
    SECTION_OF_WIDTH,
    Span,
    grid_to_spans,
    spans_by_row,
    split_at,
    split_row,
    split_spans,
)
from tests.docgen.truth import Truth

_WRONG = {"utf-8": "gb2312", "gbk": "utf-8"}


def _charset_meta(encoding: str, charset: str) -> str:
    if charset == "none":
        return ""
    declared = {"utf-8": "utf-8", "gbk": "gb2312"}[encoding]
    if charset == "wrong":
        declared = _WRONG[encoding]
    elif charset == "big5":
        declared = "big5"
    return f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">'


def _is_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and len(text) <= 16


def _word_cell_text(text: str, rng: random.Random) -> str:
    """Given cell text, return it as Word writes it: spans, &nbsp; runs, <o:p>."""
    if not text:
        return "<p class=MsoNormal align=center><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
    if _is_number(text):
        cut = rng.randint(1, len(text) - 1) if len(text) > 1 else 1
        pad = "&nbsp;" * rng.randint(0, 3)
        parts = [escape(text[:cut]), escape(text[cut:])]
        inner = "".join(
            f"<span lang=EN-US style='font-size:10.0pt;font-family:\"Times New Roman\"'>{p}</span>"
            for p in parts
            if p
        )
        return (
            f"<p class=MsoNormal align=center style='text-align:center'>"
            f"<span lang=EN-US>{pad}</span>{inner}<span lang=EN-US>{pad}<o:p></o:p></span></p>"
        )
    # A long label wraps as Word wraps its lines, and an explanatory note is its own paragraph.
    if "\n" in text:
        paragraphs = text.split("\n")  # the layout wrapped it: a paragraph per line
        return "".join(
            f"<p class=MsoNormal align=left style='text-align:left'><span style='font-size:10.0pt;"
            f"font-family:宋体'>{escape(p)}</span><span lang=EN-US><o:p></o:p></span></p>"
            for p in paragraphs
        )
    paragraphs = text.replace("（区分", "\n（区分").split("\n")
    out = []
    for p in paragraphs:
        wrapped = escape(p)
        if len(p) > 12:
            wrapped = escape(p[:10]) + "\r\n" + escape(p[10:])
        out.append(
            f"<p class=MsoNormal align=left style='text-align:left'><span style='font-size:10.0pt;"
            f"font-family:宋体'>{wrapped}</span><span lang=EN-US><o:p></o:p></span></p>"
        )
    return "".join(out)


def _table(spans: list[Span], markup: str, rng: random.Random, width: int) -> str:
    rows = []
    for row in spans_by_row(spans):
        tds = []
        for s in row:
            attrs = ""
            if s.rowspan > 1:
                attrs += f" rowspan={s.rowspan}" if markup == "word" else f' rowspan="{s.rowspan}"'
            if s.colspan > 1:
                attrs += f" colspan={s.colspan}" if markup == "word" else f' colspan="{s.colspan}"'
            if markup == "word":
                body = _word_cell_text(s.text, rng)
                tds.append(
                    f"<td width=57{attrs} valign=top style='border:solid windowtext 1.0pt'>{body}</td>"
                )
            else:
                # UEditor leaves zero-width spaces behind edited numbers.
                zwsp = "&#8203;" if s.text and rng.random() < 0.1 else ""
                text = escape(s.text).replace("\n", "<br>")
                tds.append(f"<td{attrs}>{text}{zwsp}</td>")
        style = " style='height:20.0pt'" if markup == "word" else ""
        rows.append(f"<tr{style}>{''.join(tds)}</tr>")
    if markup == "word":
        misaligned = "".join("<td width=57 style='border:none'></td>" for _ in range(width))
        rows.append(f"<![if !supportMisalignedColumns]><tr height=0>{misaligned}</tr><![endif]>")
        return (
            "<div align=center><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
            "style='border-collapse:collapse;border:none'>" + "\n".join(rows) + "</table></div>"
        )
    return (
        '<table border="1" cellspacing="0" style="width:100%"><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _paragraph(text: str, markup: str, *, center: bool = False, bold: bool = False) -> str:
    if markup == "word":
        align = (
            " align=center style='text-align:center'" if center else " style='text-indent:32.0pt'"
        )
        inner = f"<span style='font-size:16.0pt;font-family:仿宋_GB2312'>{escape(text)}</span>"
        if bold:
            inner = f"<b>{inner}</b>"
        return f"<p class=MsoNormal{align}>{inner}<span lang=EN-US><o:p></o:p></span></p>"
    tag = "p"
    style = ' style="text-align:center"' if center else ' style="text-indent:2em"'
    inner = f"<strong>{escape(text)}</strong>" if bold else escape(text)
    return f"<{tag}{style}>{inner}</{tag}>"


def _list_heading(text: str) -> str:
    """Given a numbered heading, return it as a Word list paragraph (numbering in supportLists)."""
    number, rest = text.split("、", 1)
    return (
        "<p class=MsoListParagraph style='margin-left:32.0pt;text-indent:-32.0pt;"
        "mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US style='font-family:"
        f"黑体'>{number}、<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span>"
        f"</span><![endif]><b><span style='font-family:黑体'>{escape(rest)}</span></b>"
        "<span lang=EN-US><o:p></o:p></span></p>"
    )


def render_html(
    truth: Truth,
    style: Style = Style(),
    *,
    markup: str = "cms",
    encoding: str = "utf-8",
    charset: str = "meta",
    split_tables: bool = False,
    title_in: str = "h1",
    heading_typo: bool = False,
    layout_tables: bool = False,
    seed: int = 0,
    fragment: bool = False,
    breaks: tuple[tuple[int, int], ...] = (),
    repeat_header: bool = False,
    repeat_labels: bool = True,
    title_split: str = "p",
) -> bytes:
    """Return the report as an HTML page's bytes.

    `markup` is 'cms' or 'word'; `encoding` 'utf-8' or 'gbk'; `charset` 'meta',
    'none', 'wrong' or 'big5' (a wrong declaration); `split_tables` breaks tables
    二 and 三 in two with the row-group label repeated; `title_in` is 'h1' or
    'title' (the report title only in <title>, as some CMS pages have it);
    `heading_typo` writes 行政法复议 in heading 四; `layout_tables` lays the CMS
    page out with nested tables, as older sites do.

    Adversarial: `fragment` gives the article alone (no <html>, <head> or <title>; the
    title and the headings are <p> paragraphs); `breaks` are (section, row) where a
    table is cut in two (a page break in the source), `repeat_header` repeats its header
    rows and `repeat_labels` its row-group labels below the cut; a title wrapped by
    `style.title_cuts` is written a paragraph per line (`title_split='p'`) or with
    <br> (`'br'`).
    """
    rng = random.Random(seed)
    body: list[str] = []
    title = ""
    wrapped_title = bool(style.title_cuts) or style.title_order != "agency" or fragment
    for kind, payload in blocks_of(truth, style):
        if kind in ("pre", "sign"):
            align = ' style="text-align:right"' if kind == "sign" else ""
            if markup == "word":
                body.append(_paragraph(str(payload), markup))
            else:
                body.append(f"<p{align}>{escape(str(payload))}</p>")
        elif kind == "title" and wrapped_title:
            title = str(payload)
            lines = title_lines(title, style)
            if title_split == "br" or (markup == "cms" and not fragment and title_in == "h1"):
                if markup == "cms" and not fragment and title_in == "h1":
                    continue  # the <h1> below carries it
                inner = "<br>".join(escape(line) for line in lines)
                body.append(f'<p style="text-align:center"><strong>{inner}</strong></p>')
            else:
                body += [_paragraph(line, markup, center=True, bold=True) for line in lines]
        elif kind == "title":
            title = str(payload)
            if markup == "word":
                # Word documents often put the agency on its own line above the title.
                year_at = title.index(truth.agency) + len(truth.agency)
                body.append(_paragraph(title[:year_at], markup, center=True, bold=True))
                body.append(_paragraph(title[year_at:], markup, center=True, bold=True))
        elif kind == "heading":
            text = str(payload)
            if heading_typo:
                text = text.replace("行政复议", "行政法复议")
            if markup == "word":
                body.append(_list_heading(text))
            else:
                body.append(_paragraph(text, markup, bold=True))
        elif kind == "para":
            body.append(_paragraph(str(payload), markup))
        else:
            grid = payload
            spans = grid_to_spans(grid)
            width = len(grid[0])
            cuts = [r for sec, r in breaks if sec == SECTION_OF_WIDTH.get(width)]
            if cuts:
                parts = split_at(grid, cuts, repeat_header, repeat_labels)
                for k, part in enumerate(parts):
                    if k:
                        body.append(_paragraph("", markup) if markup == "word" else "<p>&nbsp;</p>")
                    body.append(_table(part, markup, rng, width))
            elif split_tables and width in (4, 10):
                first, second = split_spans(spans, split_row(grid))
                body.append(_table(first, markup, rng, width))
                body.append(_paragraph("", markup) if markup == "word" else "<p>&nbsp;</p>")
                body.append(_table(second, markup, rng, width))
            else:
                body.append(_table(spans, markup, rng, width))
    article = "\n".join(body)
    meta = _charset_meta(encoding, charset)
    if fragment:
        return article.encode("gb18030" if encoding == "gbk" else "utf-8")
    if markup == "word":
        page = (
            '<html xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:w="urn:schemas-microsoft-com:office:word" '
            'xmlns="http://www.w3.org/TR/REC-html40">\n'
            f'<head>{meta}<meta name=Generator content="Microsoft Word 15">'
            "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View>"
            "</w:WordDocument></xml><![endif]-->"
            "<style><!-- p.MsoNormal {margin:0cm;font-size:10.5pt;} --></style></head>\n"
            "<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\n"
            f"<div class=WordSection1 style='layout-grid:15.6pt'>\n{article}\n</div></body></html>"
        )
    else:
        heading = f'<h1 class="title">{escape(title)}</h1>' if title_in == "h1" else ""
        if title_in == "h1" and wrapped_title:
            heading = (
                '<h1 class="title">'
                + "<br>".join(escape(line) for line in title_lines(title, style))
                + "</h1>"
            )
        related = "".join(
            f'<li><a href="/{y}.html">{escape(truth.agency)}{y}年政府信息公开工作年度报告</a></li>'
            for y in (truth.year - 1, truth.year - 2)
        )
        page = (
            "<!DOCTYPE html>\n<html><head>"
            f"{meta}<title>{escape(title)}_{escape(truth.agency)}门户网站</title>"
            '<script>var _hmt = _hmt || []; document.write("统计");</script>'
            "<style>.nav li{float:left}</style></head>\n<body>\n"
            '<div class="header"><ul class="nav"><li><a href="/">首页</a></li>'
            '<li><a href="/zwgk/">政务公开</a></li><li><a href="/nb/">政府信息公开年报</a></li>'
            '<li><a href="/hd/">互动交流</a></li></ul></div>\n'
            '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>'
            ' &gt; <a href="/nb/">政府信息公开年报</a></div>\n'
            f'<div class="article">{heading}'
            f'<div class="info">发布时间：{truth.year + 1}-01-20 来源：{escape(truth.agency)}'
            " 浏览次数：<span>1024</span></div>\n"
            f'<div class="TRS_Editor" id="zoom">\n{article}\n</div></div>\n'
            f'<div class="related"><h3>相关链接</h3><ul>{related}</ul></div>\n'
            f'<div class="footer"><p>主办单位：{escape(truth.agency)}</p>'
            "<p>网站标识码：4101000001 豫ICP备12345678号</p></div>\n</body></html>"
        )
        if layout_tables:
            # Older CMS templates: the page is a table, the article a cell of a nested table.
            for a, b in (
                (
                    '<div class="header">',
                    '<table width="1000"><tr><td colspan="2"><div class="header">',
                ),
                (
                    '<div class="crumb">',
                    '</td></tr><tr><td width="200">栏目导航</td><td><div class="crumb">',
                ),
                ('<div class="article">', '<table width="100%"><tr><td class="article">'),
                ('<div class="related">', '</td></tr></table><div class="related">'),
                ("</body>", "</td></tr></table></body>"),
            ):
                page = page.replace(a, b, 1)
    return page.encode("gb18030" if encoding == "gbk" else "utf-8")


def listing_page(agency: str, years: list[int], encoding: str = "utf-8") -> bytes:
    """Return a CMS listing page: links to annual reports, no report on it."""
    items = "".join(
        f'<li><a href="/nb/{y}.html">{escape(agency)}{y}年政府信息公开工作年度报告</a>'
        f"<span>{y + 1}-01-20</span></li>"
        for y in years
    )
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报_'
        f'{escape(agency)}</title></head><body><div class="nav"><a href="/">首页</a></div>'
        f'<div class="list"><h2>政府信息公开年报</h2><ul>{items}</ul>'
        '<div class="page">共1页 首页 上一页 下一页 尾页</div></div></body></html>'
    )
    return page.encode(encoding)


def not_found_page() -> bytes:
    """Return the 404 page a CMS serves with status 200."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 页面不存在</title></head>'
        '<body><div class="err"><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除！</p>'
        '<p><a href="/">返回首页</a></p></div></body></html>'
    ).encode()


def rows_to_html(rows, encoding: str = "utf-8") -> bytes:
    """Return text-reader rows (e.g. a seed's) as a plain CMS page: one <table> per run of rows of one width."""
    parts: list[str] = []
    table: list[str] = []
    width = None
    for row in rows:
        if row.is_table and len(row.cells) == width:
            table.append("".join(f"<td>{escape(t)}</td>" for t in row.texts))
            continue
        if table:
            parts.append("<table border=1>" + "".join(f"<tr>{r}</tr>" for r in table) + "</table>")
            table, width = [], None
        if row.is_table:
            width = len(row.cells)
            table.append("".join(f"<td>{escape(t)}</td>" for t in row.texts))
        else:
            parts.append(f"<p>{escape(row.cells[0].text.lstrip('#').strip())}</p>")
    if table:
        parts.append("<table border=1>" + "".join(f"<tr>{r}</tr>" for r in table) + "</table>")
    body = "\n".join(parts)
    return f"<html><head><title>政府信息公开</title></head><body>{body}</body></html>".encode(
        encoding
    )
