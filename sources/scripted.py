"""Lists drawn by script: tell from a listing's static HTML that its items or pager are not
all there, so that discovery renders it in a browser (sources/browser.py).

What the static HTML shows of such a list:
- a list template: avalon's `ms-repeat`/`ms-for` (TRS), Vue's `v-for`, Angular's
  `ng-repeat`, a `<script type="text/html">` template (art-template);
- a list call: TRS's `listModel({quickMode:"动静结合", …})`, 大汉's jpage data proxy;
- an empty application mount (`<div id="app"></div>`) and no report link at all;
- a pager that cannot be followed: 下一页 on a `javascript:` link or an onclick handler,
  or 「共 N 页」 with no page the pager links to.
"""

from __future__ import annotations

import re

import lxml.html

from sources.pagers import LAST_PAGE_TEXTS, NEXT_PAGE_TEXTS, text_to_page_count

TEMPLATE_ATTRIBUTES = ("ms-repeat", "ms-for", "v-for", "ng-repeat", "x-for", "wx:for")
TEMPLATE_SCRIPT_TYPES = ("text/html", "text/template", "text/x-template")
LIST_CALLS = re.compile(r"listModel\s*\(|动静结合|quickMode|/module/web/jpage/dataproxy\.jsp")
MOUNT_IDS = ("app", "root", "vue-app")


def tree_to_template(doc: lxml.html.HtmlElement) -> str | None:
    """Given a page's tree, return the list template or list call it holds, if any."""
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name in el.attrib:
            if name.startswith(TEMPLATE_ATTRIBUTES):
                return f"a list template ({name} on <{el.tag}>)"
        if el.tag == "script" and (el.get("type") or "").lower() in TEMPLATE_SCRIPT_TYPES:
            return f"a list template (<script type={el.get('type')}>)"
    for script in doc.iter("script"):
        match = LIST_CALLS.search(script.text or "")
        if match:
            return f"a list drawn by script ({match.group(0).rstrip('( ')})"
    return None


def tree_to_empty_mount(doc: lxml.html.HtmlElement) -> str | None:
    """Given a page's tree, return the empty application mount it holds, if any."""
    for mount_id in MOUNT_IDS:
        for el in doc.xpath(f'//*[@id="{mount_id}"]'):
            if not el.text_content().strip():
                return f'an empty application mount (<{el.tag} id="{mount_id}">)'
    return None


def tree_to_stuck_pager(doc: lxml.html.HtmlElement, pages: list[str]) -> str | None:
    """Given a page's tree and the listing pages its pager leads to, return the pager it
    cannot follow, if any."""
    if pages:
        return None
    texts = NEXT_PAGE_TEXTS + LAST_PAGE_TEXTS
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        own = " ".join((el.text or "").split()).lower()
        if own not in texts:
            continue
        href = (el.get("href") or "").strip().lower()
        if el.get("onclick") or href.startswith("javascript:") or (el.tag == "a" and not href):
            return f"a pager drawn by script ({own!r} with no page to follow)"
    count = text_to_page_count(doc.text_content())
    if count and count > 1:
        return f"a pager that states {count} pages and links none"
    return None


def tree_to_script_list(doc: lxml.html.HtmlElement, pages: list[str], reports: int) -> str | None:
    """Given a listing page's tree, the pages its pager leads to and how many of its links
    are reports, return why its list is (partly) drawn by script, or None."""
    if reason := tree_to_template(doc):
        return reason
    if reports == 0 and (reason := tree_to_empty_mount(doc)):
        return reason
    return tree_to_stuck_pager(doc, pages)
