"""Loopback replicas of government 年报 columns as real sites publish them (issue 22).

Each builder publishes one column on a FakeSite (a real HTTP server on 127.0.0.1) and
returns a `Replica`: its manifest rows, how many items the column holds, and the
reports (generated from known numbers by tests/docgen) discovery must find and load.

- `trs`: a TRS column asked for without its trailing slash (301), whose static page holds
  10 of its 20 items and whose second page and pager come from its search API, posted
  by the page's own `listModel({quickMode:"动静结合", …})` script and drawn by
  `ms-repeat`; attachments printed by a script variable (`var file_appendix=…`).
- `vue`: a Vue-style page whose list is only in its JSON list API (3 pages of 5),
  attachments linked by their file name.
- `pagers`: four static columns, one per pager shape: 下一页 links, 尾页 with 「共 N 页」
  over `index_N.htm`, `createPageHTML(N, …)`, `?page=N`.
- `portal`: a county portal's column listing the reports of 6 bodies, the county
  government among them.
- `attachments`: articles linking their report each way sites do: 「附件：x.pdf」,
  a link whose text is the file name, 大汉's `/module/download/downfile.jsp?…`,
  `.doc .docx .wps .pdf .ofd` (real Word 97 .doc/.wps where LibreOffice is given).
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import parse_qs

from tests.docgen.html import render_html
from tests.docgen.text import render_text
from tests.docgen.truth import Truth, random_truth
from tests.sources.fakesite import FakeSite

NOT_REPORTS = [
    "政府信息公开工作年度报告解读",
    "一图读懂政府信息公开工作年度报告",
    "政府信息公开指南",
    "政府信息公开制度",
    "依申请公开流程图",
    "政府信息公开目录",
    "年度工作总结",
    "主动公开基本目录",
    "机构职能",
    "政务公开工作要点",
    "信息公开意见箱",
    "政府信息公开申请表",
    "政务公开工作方案",
]


@dataclass
class Replica:
    """A column published on a site: the manifest rows that name it (CSV lines after the
    header MANIFEST_HEADER), the items it lists, the reports to load by (agency_id, year)."""

    name: str
    rows: list[str]
    items: int
    truths: dict[tuple[str, int], Truth] = field(default_factory=dict)
    browser: bool = False  # its list is drawn by script: rendered only where Chromium is
    static_reports: int = 0  # reports the static HTML alone leads to


MANIFEST_HEADER = "listing_url,agency_id,agency_name,region_code,scope"


def write_manifest(path: Path, replicas: list[Replica]) -> str:
    """Given a path and replicas, write the manifest of their rows there; return the path."""
    rows = [row for r in replicas for row in r.rows]
    path.write_text("\n".join([MANIFEST_HEADER, *rows]) + "\n", encoding="utf-8")
    return str(path)


def summary_row(output: str) -> list[int]:
    """Given `xxgk ingest` output, return its summary's numbers (seen, valid, ..., rows written)."""
    line = next(x for x in output.splitlines() if re.match(r"^│\s*\d", x))
    return [int(n) for n in re.findall(r"\d+", line)]


def agency_id(name: str) -> str:
    from transform.registry import resolve_agency

    return resolve_agency(name).agency_id


def truth_of(agency: str, year: int, seed: int) -> Truth:
    return random_truth(
        random.Random(seed), "2021" if year >= 2021 else "2019", agency=agency, year=year
    )


def list_item(title: str, href: str, date: str = "2025-01-20") -> str:
    return f'<li><a href="{escape(href)}" title="{escape(title)}">{escape(title)}</a><span>{date}</span></li>'


def column_page(title: str, body: str, head: str = "", charset: str = "utf-8") -> bytes:
    """Given a column's title, body and head markup, return a CMS page in `charset`."""
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{escape(title)}</title>'
        f'{head}</head><body><div class="nav"><a href="/">首页</a> &gt; '
        f'<a href="../">政府信息公开</a></div><div class="column"><h2>{escape(title)}</h2>'
        f"{body}</div></body></html>"
    ).encode(charset)


def article(title: str, body: str, charset: str = "utf-8") -> bytes:
    return column_page(
        title, f'<div class="article"><h1>{escape(title)}</h1>{body}</div>', charset=charset
    )


# ------------------------------------------------------------------ trs

TRS_SCRIPT = """
function listModel(cfg) {
  var state = {page: 1, pages: 1};
  function post(page, draw) {
    var xhr = new XMLHttpRequest();
    xhr.open('POST', cfg.url);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.onload = function () { draw(JSON.parse(xhr.responseText)); };
    xhr.send(JSON.stringify({columnId: cfg.columnId, pageNo: page, pageSize: cfg.pageSize}));
  }
  function pager() {
    var p = document.getElementById('pager');
    p.innerHTML = '<span>共' + state.pages + '页</span> ';
    if (state.page < state.pages) {
      var a = document.createElement('a');
      a.href = 'javascript:void(0)';
      a.textContent = '下一页';
      a.onclick = function () { turn(state.page + 1); };
      p.appendChild(a);
    }
  }
  function turn(page) {
    post(page, function (data) {
      state.page = page;
      var ul = document.getElementById('list');
      ul.innerHTML = '';
      data.data.list.forEach(function (item) {
        var li = document.createElement('li');
        li.innerHTML = '<a href="' + item.url + '">' + item.title + '</a><span>' + item.time + '</span>';
        ul.appendChild(li);
      });
      pager();
    });
  }
  // 动静结合: page 1 is static; the API tells the page count and serves the others
  post(1, function (data) {
    state.pages = Math.ceil(data.data.total / cfg.pageSize);
    pager();
  });
}
"""


def build_trs(site: FakeSite) -> Replica:
    """A TRS 动静结合 column: 20 items, 7 reports of 2019-2025, the second page from the API."""
    agency = "洛阳市生态环境局"
    column = "/zfxxgk/zfxxgknb/"
    years = list(range(2025, 2018, -1))
    items = []  # (title, href relative to the column, year or None), newest first
    others = iter(NOT_REPORTS)
    for i, year in enumerate(years):
        items.append(
            (
                f"{agency}{year}年政府信息公开工作年度报告",
                f"./{year + 1}01/t{year + 1}0120_{97791 + i}.htm",
                year,
            )
        )
        if i < 6:
            other = next(others)
            items.append(
                (f"{year}年{other}", f"./{year + 1}02/t{year + 1}0215_{88100 + i}.htm", None)
            )
    while len(items) < 20:
        items.append((next(others), f"./201901/t20190101_{80000 + len(items)}.htm", None))
    # newest first as the site sorts them: reports of 2025-2022 fall on page 1
    replica = Replica(
        "trs", [f"{site.url(column.rstrip('/'))},,{agency},,"], len(items), browser=True
    )
    static = items[:10]
    body = (
        '<ul id="list" class="list">' + "".join(list_item(t, h) for t, h, _ in static) + "</ul>"
        '<ul class="hidden" style="display:none"><li ms-repeat-el="list">'
        '<a ms-attr-href="el.url">{{el.title}}</a></li></ul><div id="pager"></div>'
        '<script src="/js/listmodel.js"></script>'
        '<script>listModel({quickMode:"动静结合", maxStaticIndex:1, url:"/irs/front/search",'
        ' columnId:"11293", pageSize:10});</script>'
    )
    site.add(column.rstrip("/"), fault="redirect", location=column, redirect_status=301)
    site.add(column, column_page("政府信息公开年报", body))
    site.add("/js/listmodel.js", TRS_SCRIPT.encode(), content_type="application/javascript")

    def search(method: str, query: str, posted: bytes) -> tuple[bytes, str]:
        ask = json.loads(posted or b"{}")
        n, size = int(ask.get("pageNo", 1)), int(ask.get("pageSize", 10))
        chunk = items[(n - 1) * size : n * size]
        listed = [{"title": t, "url": h, "time": "2025-01-20"} for t, h, _ in chunk]
        return json.dumps(
            {"data": {"total": len(items), "list": listed}}
        ).encode(), "application/json"

    site.add("/irs/front/search", handler=search)
    for i, (title, href, year) in enumerate(items):
        path = column + href[2:]
        if year is None:
            site.add(path, article(title, "<p>本栏目说明。</p>"))
            continue
        truth = truth_of(agency, year, 100 + year)
        replica.truths[(agency_id(agency), year)] = truth
        if year % 2:  # the article is the report
            site.add(path, render_html(truth))
        else:  # TRS prints the attachment from a script variable
            name = f"P0{year + 1}0120{i:03d}.txt"
            appendix = f"var file_appendix='<a href=\"./{name}\">附件：{year}年年报.txt</a>';"
            body = (
                f"<p>{escape(title)}</p><script>{appendix}document.write(file_appendix);</script>"
            )
            site.add(path, article(title, body))
            site.add(
                path.rsplit("/", 1)[0] + "/" + name, render_text(truth), content_type="text/plain"
            )
    replica.static_reports = sum(1 for _, _, y in static if y)
    return replica


# ------------------------------------------------------------------ vue

VUE_SCRIPT = """
document.addEventListener('DOMContentLoaded', function () {
  var app = document.getElementById('app');
  function load(page) {
    fetch('/api/xxgk/list?column=nb&page=' + page + '&size=5')
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var d = body.data, html = '<ul class="news">';
        d.records.forEach(function (it) {
          html += '<li><a href="' + it.url + '" target="_blank">' + it.title + '</a></li>';
        });
        html += '</ul><div class="pager"><span>第' + page + '/' + d.pages + '页</span>';
        if (page < d.pages) html += '<button class="btn-next">下一页</button>';
        app.innerHTML = html + '</div>';
        var next = app.querySelector('.btn-next');
        if (next) next.addEventListener('click', function () { load(page + 1); });
      });
  }
  load(1);
});
"""


def build_vue(site: FakeSite) -> Replica:
    """A Vue-style page whose 12 items (6 reports of 2019-2024) are only in its JSON API."""
    agency = "开封市市场监督管理局"
    items = []
    for i, year in enumerate(range(2024, 2018, -1)):
        items.append(
            (f"{agency}{year}年度政府信息公开工作年度报告", f"/xxgk/nb/detail/{year}.html", year)
        )
        items.append((f"{year}年{NOT_REPORTS[i]}", f"/xxgk/nb/detail/o{i}.html", None))
    replica = Replica("vue", [f"{site.url('/xxgk/nb/')},,{agency},,"], len(items), browser=True)
    body = (
        '<div id="app"><ul class="news"><li v-for="item in list" :key="item.id">'
        '<a :href="item.url">{{ item.title }}</a></li></ul>'
        '<div class="pager"><button @click="next">下一页</button></div></div>'
        '<script src="/static/js/app.js"></script>'
    )
    site.add("/xxgk/nb/", column_page("政府信息公开年报", body))
    site.add("/static/js/app.js", VUE_SCRIPT.encode(), content_type="application/javascript")

    def api(method: str, query: str, posted: bytes) -> tuple[bytes, str]:
        ask = {k: v[0] for k, v in parse_qs(query).items()}
        n, size = int(ask.get("page", 1)), int(ask.get("size", 5))
        chunk = items[(n - 1) * size : n * size]
        pages = -(-len(items) // size)
        data = {"records": [{"title": t, "url": h} for t, h, _ in chunk], "pages": pages}
        return json.dumps({"code": 200, "data": data}).encode(), "application/json"

    site.add("/api/xxgk/list", handler=api)
    for title, href, year in items:
        if year is None:
            site.add(href, article(title, "<p>说明</p>"))
            continue
        truth = truth_of(agency, year, 200 + year)
        replica.truths[(agency_id(agency), year)] = truth
        name = f"{agency}{year}年政府信息公开工作年度报告.txt"
        site.add(href, article(title, f'<p><a href="/xxgk/files/{year}">{escape(name)}</a></p>'))
        site.add(f"/xxgk/files/{year}", render_text(truth), content_type="application/octet-stream")
    return replica


# ------------------------------------------------------------------ pagers


def paged_column(
    site: FakeSite, agency: str, urls: list[str], pagers: list[str], seed: int, query: bool = False
) -> dict[tuple[str, int], Truth]:
    """Publish one column of len(urls) pages, page k listing one report (years from 2024
    down) beside an item that is none, with `pagers[k]` as its pager markup; return the
    truths. With `query`, the pages are one path answered by its ?page= value."""
    truths, pages = {}, {}
    for k, url in enumerate(urls):
        year = 2024 - k
        href = f"/{seed}/art/{year}.html"
        items = list_item(f"{agency}{year}年政府信息公开工作年度报告", href) + list_item(
            NOT_REPORTS[k], f"/{seed}/art/o{k}.html"
        )
        pages[url] = column_page("年报", f"<ul>{items}</ul><div class='page'>{pagers[k]}</div>")
        truth = truth_of(agency, year, seed + year)
        truths[(agency_id(agency), year)] = truth
        site.add(
            href,
            article(
                f"{agency}{year}年报",
                '<p>附件：<a href="f.txt">下载</a></p>'.replace("f.txt", f"/{seed}/f/{year}.txt"),
            ),
        )
        site.add(f"/{seed}/f/{year}.txt", render_text(truth), content_type="text/plain")
        site.add(f"/{seed}/art/o{k}.html", article(NOT_REPORTS[k], "<p>说明</p>"))
    if query:  # one path, its pages told apart by ?page= (none: the first)

        def by_page(method: str, q: str, posted: bytes) -> tuple[bytes, str]:
            n = int(parse_qs(q).get("page", ["1"])[0])
            return (list(pages.values())[n - 1] if 1 <= n <= len(pages) else b""), "text/html"

        site.add(urls[0].split("?", 1)[0], handler=by_page)
    else:
        for url, body in pages.items():
            site.add(url, body)
    return truths


def build_pagers(site: FakeSite) -> Replica:
    """Four static columns of 4 pages (3 for createPageHTML), one per pager shape."""
    replica = Replica("pagers", [], 0)
    # 下一页 links over pages whose names number nothing
    urls = ["/p1/list.html", "/p1/list-two.html", "/p1/list-three.html", "/p1/list-four.html"]
    nexts = [f'<a href="{u.rsplit("/", 1)[1]}">下一页</a>' for u in urls[1:]] + ["下一页"]
    replica.truths |= paged_column(site, "保定市科学技术局", urls, nexts, 1000)
    replica.rows.append(f"{site.url(urls[0])},,保定市科学技术局,,")
    # index_N.htm: only 尾页 and 「共 4 页」 on the first page; index_1, index_2 are filled in
    urls = ["/p2/index.htm", "/p2/index_1.htm", "/p2/index_2.htm", "/p2/index_3.htm"]
    pagers = ['共 4 页 <a href="index.htm">首页</a> <a href="index_3.htm">尾页</a>']
    pagers += [f'共 4 页 第 {k + 1} 页 <a href="index.htm">首页</a>' for k in range(1, 4)]
    replica.truths |= paged_column(site, "郑州市金水区人民政府", urls, pagers, 2000)
    replica.rows.append(f"{site.url('/p2/')},,郑州市金水区人民政府,,")
    site.add("/p2/", site.routes["/p2/index.htm"].body)
    # TRS's createPageHTML(N, current, "index", "html"): the pager is only a script
    urls = ["/p3/index.html", "/p3/index_1.html", "/p3/index_2.html"]
    pagers = [f'<script>createPageHTML(3, {k}, "index", "html");</script>' for k in range(3)]
    replica.truths |= paged_column(site, "河南省自然资源厅", urls, pagers, 3000)
    replica.rows.append(f"{site.url(urls[0])},,河南省自然资源厅,,")
    # ?page=N, numbered links and 「共 4 页」
    urls = ["/p4/list.jsp?col=5"] + [f"/p4/list.jsp?col=5&page={n}" for n in (2, 3, 4)]
    pagers = [
        '共 4 页 <a href="?col=5&page=2">2</a> <a href="?col=5&page=2">下一页</a>',
        '共 4 页 <a href="?col=5&page=1">上一页</a> <a href="?col=5&page=3">下一页</a>',
        '共 4 页 <a href="?col=5&page=4">下一页</a>',
        "共 4 页",
    ]
    replica.truths |= paged_column(site, "新乡市财政局", urls, pagers, 4000, query=True)
    replica.rows.append(f"{site.url(urls[0])},,新乡市财政局,,")
    replica.items = 2 * (4 + 4 + 3 + 4)
    replica.static_reports = len(replica.truths)
    return replica


# ------------------------------------------------------------------ portal

PORTAL_OWNER = "新乡县人民政府"
PORTAL_BODIES = [
    "新乡县人民政府",
    "新乡县教育局",
    "新乡县财政局",
    "新乡县卫生健康委员会",
    "新乡县自然资源局",
    "新乡县七里营镇人民政府",
]


def build_portal(site: FakeSite, scope: str = "portal") -> Replica:
    """A county portal's 年报 column over 2 pages: the 2024 reports of 6 bodies (the county
    government's among them) and 新乡县教育局's of 2023, beside 3 items that are none."""
    reports = [(body, 2024) for body in PORTAL_BODIES] + [("新乡县教育局", 2023)]
    items = [
        (f"{b}{y}年政府信息公开工作年度报告", f"/xxgk/art/{i}.html", (b, y))
        for i, (b, y) in enumerate(reports)
    ]
    items[3:3] = [(t, f"/xxgk/art/o{k}.html", None) for k, t in enumerate(NOT_REPORTS[:3])]
    replica = Replica(
        f"portal-{scope}",
        [f"{site.url('/xxgk/zfxxgknb/index.html')},,{PORTAL_OWNER},,{scope}"],
        len(items),
    )
    halves = [items[:5], items[5:]]
    for k, half in enumerate(halves):
        nxt = '<a href="index_1.html">下一页</a>' if k == 0 else ""
        body = (
            "<ul>" + "".join(list_item(t, h) for t, h, _ in half) + f"</ul><div>共2页 {nxt}</div>"
        )
        site.add(
            "/xxgk/zfxxgknb/" + ("index.html" if k == 0 else "index_1.html"),
            column_page("政府信息公开年报", body, charset="gbk"),
        )
    for i, (title, href, key) in enumerate(items):
        if key is None:
            site.add(href, article(title, "<p>说明</p>"))
            continue
        truth = truth_of(key[0], key[1], 500 + i)
        replica.truths[(agency_id(key[0]), key[1])] = truth
        site.add(
            href, article(title, f'<p>附件：<a href="/xxgk/f/{i}.txt">{escape(title)}.txt</a></p>')
        )
        site.add(f"/xxgk/f/{i}.txt", render_text(truth), content_type="text/plain")
    replica.static_reports = len(replica.truths)
    return replica


# ------------------------------------------------------------------ attachments

ATTACHMENTS_AGENCY = "石家庄市长安区人民政府办公室"
ATTACHMENT_WAYS = [
    # (the article's attachment markup, the path served, what it is)
    (
        '<p>附件：<a href="/att/get?id=1">2024年政府信息公开工作年度报告.pdf</a></p>',
        "/att/get",
        "附件：x.pdf",
    ),
    ('<p><a href="/att/f/8f3a2b">2023年年报.docx</a></p>', "/att/f/8f3a2b", "file name as text"),
    (
        '<p><a href="/module/download/downfile.jsp?classid=0&filename=1f2e3d">下载</a></p>',
        "/module/download/downfile.jsp",
        "downfile.jsp",
    ),
    ('<p><a href="/att/r2021.doc">附件1</a></p>', "/att/r2021.doc", ".doc"),
    ('<p><a href="/att/r2020.wps">附件1</a></p>', "/att/r2020.wps", ".wps"),
    (
        '<p><a href="/att/r2019.ofd">附件1</a> <a href="/att/form.xls">申请表.xls</a></p>',
        "/att/r2019.ofd",
        ".ofd",
    ),
]


def ofd_package(title: str) -> bytes:
    """Given a title, return an OFD file as sites publish them (GB/T 33190: a zip whose root
    holds OFD.xml, one document, one page of text), which the extractor does not read."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    members = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" '
        'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:Title>'
        f"{escape(title)}</ofd:Title></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}>'
        '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
        "</ofd:Document>",
        "Doc_0/Pages/Page_0/Content.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}>'
        '<ofd:Content><ofd:Layer ID="2"><ofd:TextObject ID="3" Boundary="20 20 170 10" '
        f'Font="4" Size="5"><ofd:TextCode X="0" Y="5">{escape(title)}</ofd:TextCode>'
        "</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in members.items():  # dated, so the same title gives the same bytes
            z.writestr(
                zipfile.ZipInfo(name, (2020, 3, 1, 9, 0, 0)),
                text.encode("utf-8"),
                zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def word97(docs: dict[str, bytes], soffice: str) -> dict[str, bytes]:
    """Given .docx bytes by name and the LibreOffice program, return each saved as a real
    Word 97 file (OLE), as old CMS sites serve their .doc and .wps, by the same name."""
    with tempfile.TemporaryDirectory(prefix="xxgk-word97-") as tmp:
        folder = Path(tmp)
        for name, data in docs.items():
            (folder / f"{name}.docx").write_bytes(data)
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--convert-to",
                "doc",
                "--outdir",
                str(folder / "out"),
                *(str(folder / f"{name}.docx") for name in docs),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return {name: (folder / "out" / f"{name}.doc").read_bytes() for name in docs}


def build_attachments(site: FakeSite, soffice: str | None = None) -> tuple[Replica, list[str]]:
    """A column of 6 articles, each linking its report one way (ATTACHMENT_WAYS); return the
    replica and the attachment URLs discovery must find, in order. The files: a PDF, DOCX
    (also behind downfile.jsp, and behind .doc and .wps: the bytes decide, not the name)
    and an OFD (ofd_package), which the extractor does not read. Given the LibreOffice
    program `soffice`, the .doc and .wps are real Word 97 files (word97) instead."""
    from tests.docgen.docx import render_docx
    from tests.docgen.pdf import render_pdf

    agency = ATTACHMENTS_AGENCY
    replica = Replica("attachments", [f"{site.url('/att/index.html')},,{agency},,"], 0)
    items, found, files = [], [], {}
    for k, (markup, path, _) in enumerate(ATTACHMENT_WAYS):
        year = 2024 - k
        href = f"/att/art/{year}.html"
        items.append(list_item(f"{year}年政府信息公开工作年度报告", href))
        site.add(href, article(f"{year}年报", markup))
        query = {"/att/get": "?id=1", "/module/download/downfile.jsp": "?classid=0&filename=1f2e3d"}
        found.append(site.url(path) + query.get(path, ""))
        truth = truth_of(agency, year, 600 + year)
        if path.endswith(".ofd"):
            ofd = ofd_package(f"{agency}{year}年政府信息公开工作年度报告")
            site.add(path, ofd, content_type="application/ofd")
            continue
        replica.truths[(agency_id(agency), year)] = truth
        files[path] = render_pdf(truth) if k == 0 else render_docx(truth)
    if soffice is not None:
        legacy = [p for p in files if p.endswith((".doc", ".wps"))]
        saved = word97({Path(p).stem: files[p] for p in legacy}, soffice)
        files |= {p: saved[Path(p).stem] for p in legacy}
    for path, data in files.items():
        site.add(path, data, content_type="application/octet-stream")
    site.add("/att/index.html", column_page("年报", "<ul>" + "".join(items) + "</ul>"))
    replica.items = len(items)
    replica.static_reports = len(items)
    return replica, found
