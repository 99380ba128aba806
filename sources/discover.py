"""Discovery: from an agency's 政府信息公开年报 listing page to the report files.

Follow the listing's pagination (bounded), keep the links whose text reads like
"2023年…政府信息公开(工作)(年度)报告", open each article and take its
attachments (.pdf .doc .docx .wps), or the article itself when it has none.
Fetching is injected (`get_page`), so this module does no IO of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.html

from extract.html import decode_html
from sources.errors import DiscoveryError, SourceError
from spec.failures import Failure, Stage
from spec.numerals import chinese_year_to_int

MAX_PAGES = 10
# .txt: text conversions of reports, as published by some mirrors (and our tests)
ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".txt")
NEXT_PAGE_TEXTS = ("下一页", "下页", "后页", "下一頁", "next", "next page", "›", "»", ">")
REPORT_TITLE = re.compile(
    r"(?P<year>(?:19|20)\d\d|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年度?"
    r".{0,40}?政府信息公开(?:工作)?(?:年度)?(?:工作)?(?:年度)?报告"
)
NOT_THE_REPORT = ("解读", "图解", "图文", "一图读懂", "政策解读")


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Found:
    """A report file discovered: its URL, the page that led to it, and how."""

    url: str
    found_via: str
    role: str  # attachment | article (the article page is the report itself)


PageGetter = Callable[[str, str | None, str], bytes]  # (url, found_via, role) -> bytes


def html_to_links(data: bytes, base_url: str) -> list[Link]:
    """Given an HTML page and its URL, return its links (text or title, absolute URL), in order."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_html(data))
    if not text.strip():
        return []
    doc = lxml.html.document_fromstring(text)
    links = []
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        label = " ".join((a.get("title") or a.text_content() or "").split())
        links.append(Link(label, urldefrag(urljoin(base_url, href)).url))
    return links


def title_to_year(title: str) -> int | None:
    """Given a link text, return the report year it names if it reads like an annual report."""
    if any(word in title for word in NOT_THE_REPORT):
        return None
    match = REPORT_TITLE.search(title)
    if not match:
        return None
    year = match.group("year")
    return int(year) if year.isdigit() else chinese_year_to_int(year)


def links_to_reports(links: list[Link], year: int | None = None) -> list[Link]:
    """Given a listing page's links, return those to report articles (of `year` if given), once each."""
    seen, out = set(), []
    for link in links:
        found = title_to_year(link.text)
        if found is None or (year is not None and found != year) or link.url in seen:
            continue
        seen.add(link.url)
        out.append(link)
    return out


def links_to_next_page(links: list[Link]) -> str | None:
    """Given a listing page's links, return the next page's URL, if any."""
    for link in links:
        if link.text.strip().lower() in NEXT_PAGE_TEXTS:
            return link.url
    return None


def is_attachment(link: Link) -> bool:
    """Given a link, tell whether it names a report file: by its path, a query value
    (download.jsp?filename=r.pdf) or its text."""
    parts = urlsplit(link.url)
    values = [v for _, _, v in (p.partition("=") for p in parts.query.split("&"))]
    return any(
        text.lower().strip().endswith(ATTACHMENT_SUFFIXES)
        for text in (unquote(parts.path), *map(unquote, values), link.text)
    )


def links_to_attachments(links: list[Link]) -> list[str]:
    """Given an article's links, return its report attachments' URLs, once each."""
    seen, out = set(), []
    for link in links:
        if is_attachment(link) and link.url not in seen:
            seen.add(link.url)
            out.append(link.url)
    return out


def missed(url: str, via: str | None, error: SourceError) -> Failure:
    """Given a page or file discovery could not get, the page that led to it and the error,
    return its Failure (a listing that names no report fails discovery, a page its fetch)."""
    stage: Stage = "discover" if isinstance(error, DiscoveryError) else "fetch"
    return Failure(url, stage, error.code, error.detail, found_via=via)


def discover(
    listing_url: str,
    get_page: PageGetter,
    *,
    year: int | None = None,
    max_pages: int = MAX_PAGES,
) -> Iterator[Found | Failure]:
    """Given a listing page URL and a page getter, yield each report file found, or what was missed.

    `get_page` raises SourceError for a page it cannot get; that page is yielded as a
    Failure and discovery goes on (a listing page that fails ends the pagination).
    """
    page_url: str | None = listing_url
    via: str | None = None
    visited: set[str] = set()
    articles: list[tuple[Link, str]] = []
    while page_url and page_url not in visited and len(visited) < max_pages:
        visited.add(page_url)
        try:
            data = get_page(page_url, via, "listing")
        except SourceError as exc:
            yield missed(page_url, via, exc)
            if via is None:  # the listing itself failed: nothing more to say
                return
            break
        links = html_to_links(data, page_url)
        articles += [(link, page_url) for link in links_to_reports(links, year)]
        via, page_url = page_url, links_to_next_page(links)
    seen: set[str] = set()
    for link, listed_on in articles:
        if link.url in seen:
            continue
        seen.add(link.url)
        try:
            data = get_page(link.url, listed_on, "article")
        except SourceError as exc:
            yield missed(link.url, listed_on, exc)
            continue
        attachments = links_to_attachments(html_to_links(data, link.url))
        if not attachments:
            yield Found(link.url, listed_on, "article")
        for url in attachments:
            yield Found(url, link.url, "attachment")
    if not seen:
        yield missed(
            listing_url,
            None,
            DiscoveryError(
                f"no link reading like 'YYYY年…政府信息公开工作年度报告' on {len(visited)} "
                f"listing page(s) from {listing_url}" + (f" for {year}" if year else "")
            ),
        )
