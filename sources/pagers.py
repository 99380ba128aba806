"""Pagers as government sites write them: the other pages of a listing a page names.

- 下一页 / 尾页 links, and the numbered links between them;
- page files `index_1.htm` … `index_N.htm` (TRS and most static CMS; the first page is
  the unnumbered `index.htm`), and query pages `?page=N` (`pageNo`, `pageIndex`, ...);
- TRS's `createPageHTML(N, current, "index", "htm")` script, which draws the pager;
- a page count, 「共 N 页」, which fills in the pages between the ones linked.

Pure functions over a parsed page: no IO.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html

from sources.pages import Link

NEXT_PAGE_TEXTS = ("下一页", "下页", "后页", "下一頁", "next", "next page", "›", "»", ">", ">>")
LAST_PAGE_TEXTS = ("尾页", "末页", "最后一页", "尾頁", "last", "last page")
PAGE_COUNT = re.compile(r"共\s*(\d{1,4})\s*页")
CREATE_PAGE_HTML = re.compile(r"createPageHTML\s*\(([^()]*)\)")
PAGE_FILE = re.compile(r"^(?P<stem>[A-Za-z]+)[_-](?P<n>\d{1,4})\.(?P<ext>s?html?|jsp|php|aspx?)$")
PAGE_EXTS = ("htm", "html", "shtml", "jsp", "php", "asp", "aspx")
# query parameters that number a listing's pages (compared in lower case)
PAGE_PARAMS = frozenset(
    ("page", "pageno", "pageindex", "pagenum", "pagenumber", "curpage", "currentpage", "pn", "p")
)
MAX_PAGE_COUNT = 1000  # a count beyond this is no pager


@dataclass(frozen=True)
class Series:
    """How a listing writes the URL of its page number n: `template` with {n} for the
    number; `second` is the number of its second page (TRS numbers from 0, the
    unnumbered first page: its second page is index_1; `?page=` numbers from 1)."""

    kind: Literal["file", "query"]
    template: str
    second: int

    def url(self, n: int) -> str:
        return self.template.replace("{n}", str(n))

    def pages(self, count: int) -> list[str]:
        """Given the page count, return the URLs of every page after the first."""
        count = min(count, MAX_PAGE_COUNT)
        return [self.url(n) for n in range(self.second, self.second + count - 1)]


def page_stem(url: str) -> str:
    """Given a listing page's URL, return the stem its numbered pages share (`index` for a
    folder URL, as TRS and most CMS serve it)."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    match = PAGE_FILE.match(name)
    if match:
        return match.group("stem")
    return name.split(".", 1)[0] if "." in name else "index"


def url_to_page_number(url: str, page_url: str) -> tuple[Series, int] | None:
    """Given a URL and the listing page that links to it, return the series it belongs to
    and its page number, if it is a numbered page of the same listing."""
    parts, here = urlsplit(url), urlsplit(page_url)
    if (parts.scheme, parts.netloc) != (here.scheme, here.netloc):
        return None
    folder, _, name = parts.path.rpartition("/")
    match = PAGE_FILE.match(name)
    if match and folder == here.path.rpartition("/")[0] and match["stem"] == page_stem(page_url):
        template = urlunsplit(
            (*parts[:2], f"{folder}/{match['stem']}_{{n}}.{match['ext']}", "", "")
        )
        return Series("file", template, 1), int(match["n"])
    if parts.path != here.path or not parts.query:
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    others = [(k, v) for k, v in query if k.lower() not in PAGE_PARAMS]
    numbered = [(k, v) for k, v in query if k.lower() in PAGE_PARAMS and v.isdigit()]
    same = [(k, v) for k, v in parse_qsl(here.query) if k.lower() not in PAGE_PARAMS]
    if len(numbered) != 1 or sorted(others) != sorted(same):
        return None
    key, value = numbered[0]
    rest = urlencode(others)
    query_text = f"{rest}&{key}={{n}}" if rest else f"{key}={{n}}"
    template = urlunsplit((*parts[:3], query_text, ""))
    return Series("query", template, 2), int(value)


def links_to_series(links: list[Link], page_url: str) -> tuple[Series | None, list[str]]:
    """Given a listing page's links and URL, return the series its pager numbers pages in
    (its second page's number told by the next link when there is one) and the pages
    it links: next, last and numbered."""
    series, numbers, next_number, pages = None, [], None, []
    for link in links:
        text = link.text.strip().lower()
        found = url_to_page_number(link.url, page_url)
        if found:
            series = series or found[0]
            numbers.append(found[1])
            if text in NEXT_PAGE_TEXTS and next_number is None:
                next_number = found[1]
        if found or text in NEXT_PAGE_TEXTS or text in LAST_PAGE_TEXTS:
            pages.append(link.url)
    if series is not None:
        here = url_to_page_number(page_url, page_url)
        unnumbered = here is None
        if unnumbered and next_number is not None:
            series = Series(series.kind, series.template, next_number)
        elif unnumbered and series.kind == "query" and min(numbers) < 2:
            series = Series(series.kind, series.template, min(numbers) + 1)
    return series, pages


def script_to_pages(script: str, page_url: str) -> tuple[Series | None, int | None]:
    """Given a page's script text, return the series and count TRS's createPageHTML(count,
    current, "index", "htm") draws its pager with."""
    match = CREATE_PAGE_HTML.search(script)
    if not match:
        return None, None
    args = [a.strip() for a in match.group(1).split(",")]
    numbers = [int(a) for a in args if a.isdigit()]
    strings = [a.strip("'\"") for a in args if a[:1] in "'\"" and a[-1:] in "'\""]
    exts = [i for i, s in enumerate(strings) if s.lower() in PAGE_EXTS]
    if not numbers or not exts or exts[0] == 0:
        return None, None
    stem, ext = strings[exts[0] - 1], strings[exts[0]]
    template = urljoin(page_url, f"{stem}_{{n}}.{ext}").replace("%7Bn%7D", "{n}")
    return Series("file", template, 1), numbers[0]


def text_to_page_count(text: str) -> int | None:
    """Given a page's text, return the page count its pager states (「共 5 页」)."""
    counts = [int(n) for n in PAGE_COUNT.findall(text)]
    return max(counts) if counts and max(counts) <= MAX_PAGE_COUNT else None


def tree_to_pages(
    doc: lxml.html.HtmlElement, page_url: str, links: list[Link]
) -> tuple[list[str], Series | None]:
    """Given a listing page's tree, final URL and links, return the other pages of the
    listing its pager names (in order, once each) and the series it numbers them in."""
    series, pages = links_to_series(links, page_url)
    scripts = "\n".join(s.text or "" for s in doc.iter("script"))
    drawn, drawn_count = script_to_pages(scripts, page_url)
    if drawn is not None and drawn_count:
        pages += drawn.pages(drawn_count)
    series = series or drawn
    count = text_to_page_count(doc.text_content())
    if count and series:
        pages += series.pages(count)
    return [p for p in dict.fromkeys(pages) if p != page_url], series
