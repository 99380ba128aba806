"""Discovery over loopback replicas of real 年报 columns (tests/sources/replicas.py): a real
HTTP server, the run's Fetcher, and headless Chromium where it is installed.

Lists drawn by script need Chromium (`apt-get install chromium`); their tests skip
without it, and one test checks what discovery says then (`needs_browser`).
"""

from __future__ import annotations

import pytest

from sources.browser import BrowserSettings, find_chromium, render_listing, renderer_for
from sources.discover import Found, Page, discover
from sources.http import Fetcher, FetchSettings
from tests.sources.fakesite import FakeSite
from tests.sources.replicas import (
    build_attachments,
    build_pagers,
    build_portal,
    build_trs,
    build_vue,
    column_page,
)

pytestmark = pytest.mark.network

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium): lists drawn by script "
    "are not rendered here",
)


@pytest.fixture
def fetcher():
    """The run's fetcher, allowed to reach 127.0.0.1 only (as XXGK_ALLOW_PRIVATE_HOSTS=127.0.0.1)."""
    f = Fetcher(FetchSettings(delay=0, allowed_addresses=("127.0.0.1",), retries=0))
    yield f
    f.close()


def getter(fetcher: Fetcher, asked: list | None = None):
    def get(url, via, role):
        if asked is not None:
            asked.append((url, role))
        download = fetcher.get(url)
        return Page(download.url, download.data)

    return get


def found_urls(found) -> list[str]:
    return [f.url for f in found if isinstance(f, Found)]


def test_listing_url_without_its_slash_is_read_where_it_was_redirected(site, fetcher):
    column = "/zfxxgk/zfxxgknb/"
    site.add(column.rstrip("/"), fault="redirect", location=column, redirect_status=301)
    site.add(
        column,
        column_page(
            "年报",
            '<ul><li><a href="./202503/t20250310_97791.htm">2024年政府信息公开工作年度报告</a>'
            "</li></ul>",
        ),
    )
    site.add(column + "202503/t20250310_97791.htm", b"<p>2024 report</p>")
    got = list(discover(site.url(column.rstrip("/")), getter(fetcher)))
    assert got == [
        Found(
            site.url(column + "202503/t20250310_97791.htm"),
            site.url(column.rstrip("/")),
            "article",
        )
    ]
    assert site.count("/zfxxgk/202503/t20250310_97791.htm") == 0


def test_every_pager_shape_is_followed(site, fetcher):
    replica = build_pagers(site)
    for row, want in zip(replica.rows, (4, 4, 3, 4), strict=True):
        listing = row.split(",")[0]
        asked = []
        found = list(discover(listing, getter(fetcher, asked)))
        assert all(isinstance(f, Found) for f in found), found
        assert len(found) == want, listing
        listings = [u for u, role in asked if role == "listing"]
        assert len(listings) == len(set(listings)) == want, listings  # each page once
    assert sum(1 for h in site.hits if h.path.startswith("/p")) == 4 + 4 + 3 + 4


def test_pages_beyond_the_bound_are_not_asked(site, fetcher):
    replica = build_pagers(site)
    listing = replica.rows[1].split(",")[0]  # index_N, 4 pages
    found = list(discover(listing, getter(fetcher), max_pages=2))
    assert len(found) == 2
    assert site.count("/p2/index_2.htm") + site.count("/p2/index_3.htm") == 1


def test_a_portal_column_lists_reports_of_many_bodies(site, fetcher):
    replica = build_portal(site)
    found = list(discover(replica.rows[0].split(",")[0], getter(fetcher)))
    assert len(found) == len(replica.truths) == 7
    assert all(f.role == "attachment" for f in found)


def test_attachments_as_sites_link_them(site, fetcher):
    replica, want = build_attachments(site)
    found = list(discover(replica.rows[0].split(",")[0], getter(fetcher)))
    assert [(f.url, f.role) for f in found] == [(u, "attachment") for u in want]
    assert site.url("/att/form.xls") not in found_urls(found)


def test_without_a_browser_a_list_drawn_by_script_is_said(site, fetcher):
    replica = build_trs(site)
    listing = replica.rows[0].split(",")[0]
    got = list(discover(listing, getter(fetcher), render=None))
    assert len(found_urls(got)) == replica.static_reports == 5
    missed = [f for f in got if not isinstance(f, Found)]
    assert [(m.source_uri, m.stage, m.error) for m in missed] == [
        (listing, "discover", "needs_browser")
    ]
    assert "ms-repeat-el" in missed[0].detail and "install Chromium" in missed[0].detail
    assert renderer_for(fetcher, {"XXGK_CHROMIUM": "0"}) is None


@needs_chromium
def test_trs_list_whose_second_page_comes_from_its_search_api(site, fetcher):
    replica = build_trs(site)
    listing = replica.rows[0].split(",")[0]
    got = list(discover(listing, getter(fetcher), render=renderer_for(fetcher)))
    assert all(isinstance(f, Found) for f in got), got
    assert len(got) == len(replica.truths) == 7
    # the listing was asked for once (the browser was given the bytes), the API twice
    assert site.count("/zfxxgk/zfxxgknb/") == 1
    assert [h.status for h in site.hits if h.path == "/irs/front/search"] == [200, 200]
    assert fetcher.requests["CONNECT"] == 0


@needs_chromium
def test_vue_page_whose_list_is_only_in_its_api(site, fetcher):
    replica = build_vue(site)
    listing = replica.rows[0].split(",")[0]
    got = list(discover(listing, getter(fetcher), render=renderer_for(fetcher)))
    assert sorted(found_urls(got)) == sorted(
        site.url(f"/xxgk/files/{y}") for y in range(2019, 2025)
    )
    assert site.count("/api/xxgk/list") == 3  # its three pages


@needs_chromium
def test_the_browser_is_held_to_the_bound_of_pages(site, fetcher):
    replica = build_vue(site)
    listing = replica.rows[0].split(",")[0]
    got = list(discover(listing, getter(fetcher), render=renderer_for(fetcher), max_pages=2))
    assert len(found_urls(got)) == 5  # 3 reports on the first page of 5 items, 2 on the second
    assert site.count("/api/xxgk/list") == 2


@needs_chromium
def test_the_browser_reaches_no_address_the_fetcher_may_not(site, fetcher):
    """A page whose script calls a loopback address other than the one allowed: the call is
    refused by the egress proxy and never reaches that server; so are its pictures."""
    other = FakeSite("127.0.0.2").start()
    try:
        other.add("/api/list", b'{"list": []}', content_type="application/json")
        script = (
            f"fetch('{other.url('/api/list')}').catch(function () {{}});"
            f"var img = new Image(); img.src = '{site.url('/logo.png')}';"
        )
        first = Page(
            site.url("/nb/"),
            column_page("年报", f'<div id="app"></div><script>{script}</script>'),
        )
        settings = BrowserSettings(settle_timeout=10)
        pages = render_listing(fetcher, CHROMIUM, settings, first, 3)
        assert [p.url for p in pages] == [site.url("/nb/")]
        assert other.hits == []
        assert site.hits == []  # the page itself from the bytes given, the picture unasked
    finally:
        other.stop()
