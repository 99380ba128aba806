"""`xxgk ingest` over loopback replicas of real 年报 columns, two nights running (issue 22).

Night 1 discovers and loads every report the replicas hold, each under its own body,
with exact values; night 2 asks every page and file again with conditional requests,
gets 304s and loads nothing. The replicas whose lists are drawn by script (TRS's
动静结合, a Vue page) run where Chromium is installed; their browser's requests for
scripts and list APIs are asked again each night (a POSTed search has no validators).
"""

from __future__ import annotations

import re

import pytest

from tests.docgen.compare import expected_values, warehouse_values
from tests.helpers import q, snapshot
from tests.sources.replicas import (
    PORTAL_BODIES,
    PORTAL_OWNER,
    agency_id,
    build_pagers,
    build_portal,
    build_trs,
    build_vue,
    summary_row,
    write_manifest,
)
from tests.sources.test_discover_sites import CHROMIUM

pytestmark = [pytest.mark.network, pytest.mark.slow]

# paths the browser asks for: scripts and list APIs, never conditional
BROWSER_PATHS = ("/js/", "/static/js/", "/irs/front/search", "/api/xxgk/list")


@pytest.mark.parametrize(
    "browser",
    [
        False,
        pytest.param(
            True,
            marks=pytest.mark.skipif(
                CHROMIUM is None,
                reason="Chromium is not installed (apt-get install chromium): the replicas "
                "whose lists are drawn by script are not rendered here",
            ),
        ),
    ],
    ids=["static", "browser"],
)
def test_two_nights_over_the_replicas(cli, db, tmp_path, site, replica_env, browser):
    replicas = [build_trs(site), build_vue(site)] if browser else []
    replicas += [build_pagers(site), build_portal(site)]
    truths = {key: truth for r in replicas for key, truth in r.truths.items()}
    assert len(truths) == sum(len(r.truths) for r in replicas)  # no two replicas share a key
    manifest = write_manifest(tmp_path / "replicas.csv", replicas)

    # ---- night 1: every report found and loaded under its own body, values exact
    first = cli("ingest", manifest, "--db", db)
    assert q(db, "SELECT source_uri, stage, error FROM failures") == []
    assert sorted(q(db, "SELECT agency_id, year FROM reports")) == sorted(truths)
    for key, truth in truths.items():
        assert warehouse_values(db, *key) == expected_values(truth), key
    assert set(q(db, "SELECT status FROM reports")) == {("valid",)}
    n = len(truths)
    assert summary_row(first.output)[:6] == [n, n, 0, 0, 0, 0]
    # the portal's reports: each body its own, the portal recorded where they were found
    portal_ids = {agency_id(b) for b in PORTAL_BODIES}
    assert set(
        q(
            db,
            "SELECT agency_id, portal FROM sources WHERE portal IS NOT NULL AND role = 'document'",
        )
    ) == {(a, PORTAL_OWNER) for a in portal_ids}
    if browser:  # the TRS listing asked for without its slash: the URL that answered is kept
        listing = site.url("/zfxxgk/zfxxgknb")
        assert q(db, "SELECT http_status, final_url FROM sources WHERE uri = ?", listing) == [
            (200, listing + "/")
        ]
    tables = snapshot(db)
    night1 = len(site.hits)

    # ---- night 2: conditional requests only for what the pipeline fetches, nothing loaded
    second = cli("ingest", manifest, "--db", db)
    night2 = site.hits[night1:]
    fetched = [h for h in night2 if not h.path.startswith(BROWSER_PATHS)]
    redirects = [h for h in fetched if h.status == 301]
    assert {(h.status, h.conditional) for h in fetched if h.status != 301} == {(304, True)}
    assert len(redirects) == (1 if browser else 0)
    assert "Nothing changed" in second.output
    assert summary_row(second.output)[:6] == [n, 0, 0, 0, n, 0]
    assert snapshot(db) == tables
    browsed = [h for h in night2 if h.path.startswith(BROWSER_PATHS)]
    if browser:  # listmodel.js + 2 searches; app.js + 3 list pages
        assert sorted((h.path, h.status) for h in browsed) == sorted(
            [("/js/listmodel.js", 200), ("/irs/front/search", 200), ("/irs/front/search", 200)]
            + [("/static/js/app.js", 200)]
            + [("/api/xxgk/list", 200)] * 3
        )
    else:
        assert browsed == []
    print(
        f"\nFIGURES night 1: {night1} requests, {n} reports loaded; night 2: {len(night2)} "
        f"requests, {sum(h.status == 304 for h in night2)} answered 304, "
        f"{len(browsed)} by the browser, 0 rows"
    )


def test_a_portal_named_as_the_agency_overwrites_nothing(cli, db, tmp_path, site, replica_env):
    """The portal's column under a row of scope agency (the default): only the county
    government's own report is stored under it; each other body's is a failure."""
    replica = build_portal(site, scope="")
    manifest = write_manifest(tmp_path / "portal.csv", [replica])
    cli("ingest", manifest, "--db", db)
    owner = agency_id(PORTAL_OWNER)
    assert q(db, "SELECT agency_id, year FROM reports") == [(owner, 2024)]
    assert warehouse_values(db, owner, 2024) == expected_values(replica.truths[(owner, 2024)])
    failures = q(db, "SELECT stage, error, detail FROM failures ORDER BY source_uri")
    assert [(s, e) for s, e, _ in failures] == [("transform", "agency_mismatch")] * 6
    named = sorted(re.match(r"its title names (\S+?),", d).group(1) for _, _, d in failures)
    assert named == sorted(b for b in PORTAL_BODIES[1:] + ["新乡县教育局"])
