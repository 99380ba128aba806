"""Pages as discovery reads them: the URL that answered, its links, and the files they name.

Every link is resolved against the page's final URL (after redirects), or its
`<base href>`: a listing asked for as `…/zfxxgknb` and answered from `…/zfxxgknb/`
links `./202503/t….htm` under `…/zfxxgknb/`, not under `…/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import lxml.html

from common.charset import decode_html

# .txt: text conversions of reports, as published by some mirrors (and our tests)
ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".ofd", ".txt")
# a file named in a link's text, however it goes on: 「附件：2023年年报.pdf（356KB）」
FILE_IN_TEXT = re.compile(r"\.(?:pdf|docx?|wps|ofd|txt)(?![a-z0-9])", re.IGNORECASE)
# CMS download endpoints whose links are files whatever their query says (大汉's
# /module/download/downfile.jsp?classid=0&filename=1f2e…, TRS's download.jsp?…)
DOWNLOAD_PATHS = re.compile(
    r"/(?:downfile|download|downloadfile|filedownload)\.(?:jsp|do|aspx?|php)$"
)
# links written inside scripts: TRS articles print their attachments from a variable
# (var file_appendix='<a href="./P0202….pdf">…</a>'), 大汉 lists keep their items in
# <script type="text/xml"> records (<![CDATA[<li><a href=…>…</a></li>]]>)
SCRIPT_LINK = re.compile(
    r"""<a\s[^>]*?href\s*=\s*\\?["']([^"'\\]+)\\?["'][^>]*>(.*?)</a>""", re.IGNORECASE | re.DOTALL
)
TAG = re.compile(r"<[^>]+>")
# files a download endpoint may serve that are no report (a form, a picture, an archive)
OTHER_FILES = re.compile(r"\.(?:xlsx?|et|csv|jpe?g|png|gif|zip|rar|7z)(?![a-z0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """A page as fetched: the URL that answered it (after redirects) and its bytes."""

    url: str  # links on it resolve against it
    data: bytes  # as served: common/charset.py decodes them


@dataclass(frozen=True)
class Link:
    """A link on a page: its text and its URL, resolved against the page's base."""

    text: str
    url: str


def page_text(page: Page) -> str:
    """Given a page, return its text, decoded as its bytes read best (a missing or wrong
    charset declaration too)."""
    return decode_html(page.data)


def page_to_tree(data: bytes) -> lxml.html.HtmlElement | None:
    """Given an HTML page's bytes, return its element tree (None for an empty page)."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_html(data))
    if not text.strip():
        return None
    return lxml.html.document_fromstring(text)


def tree_to_base(doc: lxml.html.HtmlElement, page_url: str) -> str:
    """Given a page's tree and final URL, return the URL its links are relative to."""
    for base in doc.iter("base"):
        href: str = (base.get("href") or "").strip()
        if href:
            return urljoin(page_url, href)
    return page_url


def href_to_url(href: str, base: str) -> str | None:
    """Given a link's href and the base URL, return the absolute URL (None for a script,
    mail or in-page link)."""
    href = href.strip()
    if not href or href.lower().startswith(("javascript:", "mailto:", "#", "tel:", "data:")):
        return None
    return urldefrag(urljoin(base, href)).url


def tree_to_links(doc: lxml.html.HtmlElement, base: str) -> list[Link]:
    """Given a page's tree and base URL, return its links (text or title, absolute URL), in
    order: the anchors, then those written inside its scripts."""
    links = []
    for a in doc.iter("a"):
        url = href_to_url(a.get("href") or "", base)
        if url:
            label = " ".join((a.get("title") or a.text_content() or "").split())
            links.append(Link(label, url))
    for script in doc.iter("script"):
        for href, inner in SCRIPT_LINK.findall(script.text or ""):
            url = href_to_url(href, base)
            if url:
                links.append(Link(" ".join(TAG.sub("", inner).split()), url))
    return links


def html_to_links(data: bytes, page_url: str) -> list[Link]:
    """Given an HTML page and the URL that answered it, return its links (text or title,
    absolute URL), in order."""
    doc = page_to_tree(data)
    return [] if doc is None else tree_to_links(doc, tree_to_base(doc, page_url))


def is_attachment(link: Link) -> bool:
    """Given a link, tell whether it names a report file: by its path, a query value
    (downfile.jsp?filename=r.pdf), a CMS download endpoint, or its text (附件：r.pdf)."""
    parts = urlsplit(link.url)
    path = unquote(parts.path).lower()
    values = [unquote(v) for _, _, v in (p.partition("=") for p in parts.query.split("&"))]
    texts = (path, *values, link.text)
    if any(text.lower().strip().endswith(ATTACHMENT_SUFFIXES) for text in texts):
        return True
    if FILE_IN_TEXT.search(link.text):
        return True
    return bool(DOWNLOAD_PATHS.search(path)) and not any(OTHER_FILES.search(t) for t in texts)


def links_to_attachments(links: list[Link]) -> list[str]:
    """Given an article's links, return its report attachments' URLs, once each."""
    seen, out = set(), []
    for link in links:
        if is_attachment(link) and link.url not in seen:
            seen.add(link.url)
            out.append(link.url)
    return out
