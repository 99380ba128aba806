"""Discovery: from an agency's 政府信息公开年报 listing page to the report files.

Follow the listing's pager (every shape sources/pagers.py reads, bounded), keep the
links whose text reads like "2023年…政府信息公开(工作)(年度)报告", open each article
and take its attachments (.pdf .doc .docx .wps .ofd), or the article itself when it
has none. A listing whose list or pager is drawn by script (sources/scripted.py) is
rendered in a browser as well (`render`, sources/browser.py). Every link is resolved
against the URL that answered its page, after redirects. Fetching and rendering are
injected (`get_page`, `render`), so this module does no IO of its own.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from sources.errors import DiscoveryError, SourceError
from sources.pagers import tree_to_pages
from sources.pages import (
    Link,
    Page,
    html_to_links,
    is_attachment,
    links_to_attachments,
    page_to_tree,
    tree_to_base,
    tree_to_links,
)
from sources.scripted import tree_to_script_list
from spec.failures import Failure, Stage
from spec.kinds import SourceRole
from spec.numerals import chinese_year_to_int

__all__ = [
    "Found",
    "Link",
    "Page",
    "discover",
    "html_to_links",
    "is_attachment",
    "links_to_reports",
    "title_to_year",
]

MAX_PAGES = 10
REPORT_TITLE = re.compile(
    r"(?P<year>(?:19|20)\d\d|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年度?"
    r".{0,40}?政府信息公开(?:工作)?(?:年度)?(?:工作)?(?:年度)?报告"
)
NOT_THE_REPORT = ("解读", "图解", "图文", "一图读懂", "政策解读")


@dataclass(frozen=True)
class Found:
    """A report file discovered: its URL, the page that led to it, and how."""

    url: str
    found_via: str
    role: Literal["attachment", "article"]  # article: the article page is the report itself


PageGetter = Callable[[str, str | None, SourceRole], Page]  # (url, found_via, role) -> Page
# (the listing's first page as fetched, pages to take at most) -> the page as drawn
# after each turn of its pager; raises SourceError
Renderer = Callable[[Page, int], list[Page]]


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


def missed(url: str, via: str | None, error: SourceError) -> Failure:
    """Given a page or file discovery could not get, the page that led to it and the error,
    return its Failure (a listing that names no report fails discovery, a page its fetch)."""
    stage: Stage = "discover" if isinstance(error, DiscoveryError) else "fetch"
    return Failure(url, stage, error.code, error.detail, found_via=via)


@dataclass
class Listing:
    """What discovery has read of a listing so far: the pages asked for, the reports they
    list (with the page that listed each), and why its list is drawn by script, if it is."""

    url: str
    year: int | None
    visited: set[str]
    reports: list[tuple[Link, str]]
    first: Page | None = None
    scripted: str | None = None
    pages_read: int = 0
    unrendered: bool = False  # drawn by script, and not rendered (said as a Failure)

    def read(self, page: Page, asked_as: str) -> list[str]:
        """Given a listing page as fetched and the URL it was asked for as, note its reports
        and return the listing pages its pager names."""
        self.visited |= {asked_as, page.url}
        self.pages_read += 1
        doc = page_to_tree(page.data)
        if doc is None:
            return []
        links = tree_to_links(doc, tree_to_base(doc, page.url))
        reports = links_to_reports(links, self.year)
        self.reports += [(link, asked_as) for link in reports]
        pages, series = tree_to_pages(doc, page.url, links)
        if self.first is None:
            self.first = page
            self.scripted = tree_to_script_list(doc, pages, len(reports))
            if series is not None:  # the unnumbered first page, as later pages number it
                self.visited.add(series.url(series.second - 1))
        return pages


def listing_to_reports(
    listing: Listing, get_page: PageGetter, render: Renderer | None, max_pages: int
) -> Iterator[Failure]:
    """Given a listing, a page getter and a renderer, read its pages (at most `max_pages`,
    rendered ones included) into `listing`; yield what was missed."""
    queue: deque[tuple[str, str | None]] = deque([(listing.url, None)])
    asked = 0
    while queue and asked < max_pages:
        url, via = queue.popleft()
        if url in listing.visited:
            continue
        asked += 1
        try:
            page = get_page(url, via, "listing")
        except SourceError as exc:
            yield missed(url, via, exc)
            if via is None:  # the listing itself failed: nothing more to say
                return
            continue
        queued = {u for u, _ in queue}
        for nxt in listing.read(page, url):
            if nxt not in listing.visited and nxt not in queued:
                queue.append((nxt, url))
                queued.add(nxt)
    if listing.scripted is None or listing.first is None:
        return
    listing.unrendered = True
    if render is None:
        yield missed(
            listing.url,
            None,
            DiscoveryError(
                f"{listing.url} shows {listing.scripted}: its list may hold more reports than "
                "the static page; install Chromium (README: discovery) to render it",
                code="needs_browser",
            ),
        )
        return
    try:
        drawn = render(listing.first, max(1, max_pages - asked + 1))
    except SourceError as exc:
        yield missed(listing.url, None, exc)
        return
    listing.unrendered = False
    for page in drawn:
        listing.pages_read += 1
        for link in links_to_reports(html_to_links(page.data, page.url), listing.year):
            listing.reports.append((link, listing.url))


def discover(
    listing_url: str,
    get_page: PageGetter,
    *,
    year: int | None = None,
    max_pages: int = MAX_PAGES,
    render: Renderer | None = None,
) -> Iterator[Found | Failure]:
    """Given a listing page URL and a page getter, yield each report file found, or what was missed.

    `get_page` raises SourceError for a page it cannot get; that page is yielded as a
    Failure and discovery goes on. A listing drawn by script is rendered with `render`
    (a `needs_browser` Failure without one) within the same bound of `max_pages`.
    """
    listing = Listing(listing_url, year, set(), [])
    yield from listing_to_reports(listing, get_page, render, max_pages)
    seen: set[str] = set()
    for link, listed_on in listing.reports:
        if link.url in seen:
            continue
        seen.add(link.url)
        try:
            page = get_page(link.url, listed_on, "article")
        except SourceError as exc:
            yield missed(link.url, listed_on, exc)
            continue
        attachments = links_to_attachments(html_to_links(page.data, page.url))
        if not attachments:
            yield Found(link.url, listed_on, "article")
        for url in attachments:
            yield Found(url, link.url, "attachment")
    if not seen and listing.first is not None and not listing.unrendered:
        yield missed(
            listing_url,
            None,
            DiscoveryError(
                f"no link reading like 'YYYY年…政府信息公开工作年度报告' on "
                f"{listing.pages_read} listing page(s) from {listing_url}"
                + (f" for {year}" if year else "")
            ),
        )
