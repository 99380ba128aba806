"""`xxgk ingest` against a fake government website on loopback: discovery, faults, nightly runs.

The site: agency 甲 publishes its reports under a paginated 年报 column (UTF-8 and
GBK pages, text attachments, one served with a wrong Content-Type, one behind a
500 that heals, one link to a missing file); agency 乙's report sits behind a
redirect; and a row per fault. Report files are generated from known numbers
(tests/docgen), so every loaded value is checked exactly.
"""

from __future__ import annotations

import random
import re

import pytest

from tests.docgen.compare import expected_values, warehouse_values
from tests.docgen.layout import Style, blocks_of
from tests.docgen.text import render_text
from tests.docgen.truth import Truth, random_truth
from tests.helpers import q, snapshot
from tests.sources.fakesite import FakeSite, page

pytestmark = pytest.mark.network

RETRIES = 2
MAX_REDIRECTS = 3
MAX_BYTES = 64 * 1024
FAST_HTTP = {
    "XXGK_ALLOW_PRIVATE_HOSTS": "1",
    "XXGK_HTTP_CONNECT_TIMEOUT": "1",
    "XXGK_HTTP_READ_TIMEOUT": "1",  # generous: the test machine is shared and busy
    "XXGK_HTTP_RETRIES": str(RETRIES),
    "XXGK_HTTP_BACKOFF": "0.01",
    "XXGK_HTTP_DELAY": "0",
    "XXGK_HTTP_MAX_BYTES": str(MAX_BYTES),
    "XXGK_HTTP_MAX_REDIRECTS": str(MAX_REDIRECTS),
    "XXGK_HTTP_MAX_PAGES": "3",
}
COLUMN = "/xxgk/ndbg/"


def summary_row(output: str) -> list[int]:
    """Given `xxgk ingest` output, return its summary's numbers (seen, valid, ..., rows written)."""
    line = next(x for x in output.splitlines() if re.match(r"^│\s*\d", x))
    return [int(n) for n in re.findall(r"\d+", line)]


@pytest.fixture
def http_env(monkeypatch):
    for key, value in FAST_HTTP.items():
        monkeypatch.setenv(key, value)


def build_site(site: FakeSite) -> dict[tuple[str, int], Truth]:
    """Publish agency 甲's 年报 column (3 listing pages in reach, a 4th beyond) and agency 乙's
    report behind a redirect; return the truths by (agency_id, year)."""
    truths = {
        ("jia", y): random_truth(random.Random(y), t, agency="测试市甲局", year=y)
        for y, t in [(2023, "2021"), (2022, "2021"), (2021, "2021"), (2019, "2019"), (2018, "2019")]
    }
    truths[("yi", 2023)] = random_truth(random.Random(7), "2021", agency="测试县乙局", year=2023)

    def text(key, **kw):
        return render_text(truths[key], **kw)

    site.add(
        COLUMN + "index.html",
        page(
            "政府信息公开年报",
            [
                ("2023年政府信息公开工作年度报告", "2023.html"),
                ("关于2023年政府信息公开工作年度报告的解读", "jd2023.html"),
                ("2023年工作总结", "/xxgk/gzzj.html"),
                ("2022年度政府信息公开工作年度报告", "2022.html"),
                ("下一页", "index_1.html"),
            ],
        ),
    )
    site.add(
        COLUMN + "index_1.html",
        page(
            "政府信息公开年报",
            [
                ("2021年政府信息公开年度报告", "2021.html"),
                ("2020年政府信息公开工作年度报告", "2020.html"),
                ("下一页", "index_2.html"),
            ],
            charset="gbk",
        ),
    )
    site.add(
        COLUMN + "index_2.html",
        page(
            "政府信息公开年报",
            [("2019年政府信息公开工作年度报告", "2019.html"), ("下一页", "index_3.html")],
        ),
    )
    # beyond XXGK_HTTP_MAX_PAGES=3: never asked for
    site.add(
        COLUMN + "index_3.html",
        page("政府信息公开年报", [("2018年政府信息公开工作年度报告", "2018.html")]),
    )
    site.add(COLUMN + "2023.html", page("2023年报", [("附件：2023年年报.txt", "/files/2023.txt")]))
    site.add(
        COLUMN + "2022.html",
        page("2022年报", [("附件", "/files/2022.txt")], charset="gbk"),
        content_type="text/html; charset=gbk",
    )
    site.add(COLUMN + "2021.html", page("2021年报", [("附件", "/files/2021.txt")], charset="gbk"))
    site.add(COLUMN + "2020.html", page("2020年报", [("附件", "/files/2020-gone.txt")]))
    site.add(COLUMN + "2019.html", page("2019年报", [("附件", "/files/2019.txt")]))
    site.add(COLUMN + "2018.html", page("2018年报", [("附件", "/files/2018.txt")]))
    site.add("/files/2023.txt", text(("jia", 2023)), content_type="text/plain")
    # a wrong Content-Type: the bytes decide
    site.add("/files/2022.txt", text(("jia", 2022), fmt="tab"), content_type="application/msword")
    site.add("/files/2021.txt", text(("jia", 2021), style=Style(swallow=True)), fault="flaky")
    site.add("/files/2019.txt", text(("jia", 2019)), etag=False)  # Last-Modified only
    site.add("/files/2018.txt", text(("jia", 2018)))
    # agency 乙: a moved report
    site.add("/yi/ndbg", fault="redirect", location="/yi/files/2023.txt")
    site.add("/yi/files/2023.txt", text(("yi", 2023)), content_type="text/plain")
    # faults
    site.add("/faults/500.pdf", fault="500")
    site.add("/faults/slow.pdf", fault="slow", delay=3.0)
    site.add("/faults/reset.pdf", fault="reset")
    site.add("/faults/loop", fault="redirect", location="/faults/loop2")
    site.add("/faults/loop2", fault="redirect", location="/faults/loop")
    site.add("/faults/big.pdf", b"%PDF-1.7\n" + b"0" * (2 * MAX_BYTES), fault="stream")
    return truths


FAULT_ROWS = [
    ("/faults/404.pdf", "http_404", 1),
    ("/faults/500.pdf", "http_500", 1 + RETRIES),
    ("/faults/slow.pdf", "timeout", 1 + RETRIES),
    ("/faults/reset.pdf", "connection_reset", 1 + RETRIES),
    ("/faults/loop", "too_many_redirects", 1),
    ("/faults/big.pdf", "too_large", 1),
]


def write_manifest(site: FakeSite, path) -> str:
    lines = ["url,listing_url,agency_id,agency_name,year"]
    lines.append(f",{site.url(COLUMN + 'index.html')},jia,测试市甲局,")
    lines.append(f"{site.url('/yi/ndbg')},,yi,测试县乙局,2023")
    for fault, _, _ in FAULT_ROWS:
        lines.append(f"{site.url(fault)},,bing,测试丙局,2023")
    lines.append("ftp://127.0.0.1/r.pdf,,bing,测试丙局,2023")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.slow
def test_fake_site_nightly_runs(cli, db, tmp_path, site, http_env):
    truths = build_site(site)
    manifest = write_manifest(site, tmp_path / "nightly.csv")

    # ---- night 1: discover, fetch, load; every fault recorded with its code
    first = cli("ingest", manifest, "--db", db)
    # every report but 2018's, which is beyond the page bound
    assert sorted(q(db, "SELECT agency_id, year FROM reports")) == sorted(
        k for k in truths if k != ("jia", 2018)
    )
    for (agency_id, year), truth in truths.items():
        if (agency_id, year) == ("jia", 2018):
            continue
        assert warehouse_values(db, agency_id, year) == expected_values(truth), (agency_id, year)
    # pipe tables read as markdown, the tab-separated one as plain text (served as msword)
    assert q(db, "SELECT agency_id, year, status, media_type FROM reports ORDER BY 1, 2") == [
        ("jia", 2019, "valid", "text/markdown"),
        ("jia", 2021, "valid", "text/markdown"),
        ("jia", 2022, "valid", "text/plain"),
        ("jia", 2023, "valid", "text/markdown"),
        ("yi", 2023, "valid", "text/markdown"),
    ]
    failures = q(db, "SELECT source_uri, stage, error FROM failures ORDER BY source_uri")
    assert failures == sorted(
        [(site.url(path), "fetch", code) for path, code, _ in FAULT_ROWS]
        + [
            (site.url("/files/2020-gone.txt"), "fetch", "http_404"),
            ("ftp://127.0.0.1/r.pdf", "fetch", "unsupported_scheme"),
        ]
    )
    detail = q(db, "SELECT detail FROM failures WHERE source_uri LIKE '%gone%'")[0][0]
    assert detail.endswith(f"(found via {site.url(COLUMN + '2020.html')})")
    for path, _, requests in FAULT_ROWS:  # retried only when transient
        want = requests * (MAX_REDIRECTS + 1) if path == "/faults/loop" else requests
        got = site.count(path) + (site.count("/faults/loop2") if path == "/faults/loop" else 0)
        assert got == want, path
    assert site.count("/files/2021.txt") == 2  # 500, then the retry succeeded
    assert site.count(COLUMN + "index_3.html") == 0 and site.count("/files/2018.txt") == 0
    assert site.count(COLUMN + "jd2023.html") == 0 and site.count("/xxgk/gzzj.html") == 0
    # rows written are the reports' own rows; cross-report warning checks are derived after loading
    fact_rows = (
        sum(
            q(db, f"SELECT count(*) FROM {t}")[0][0]
            for t in ("requests", "appeals", "active_disclosure", "report_sections")
        )
        + q(db, "SELECT count(*) FROM checks WHERE severity = 'error'")[0][0]
    )
    assert summary_row(first.output) == [13, 5, 0, 0, 0, 8, fact_rows]

    # the way to each file is kept, with validators and the sniffed type
    ways = dict(q(db, "SELECT uri, found_via FROM sources WHERE found_via IS NOT NULL"))
    assert ways[site.url("/files/2023.txt")] == site.url(COLUMN + "2023.html")
    assert ways[site.url(COLUMN + "2023.html")] == site.url(COLUMN + "index.html")
    assert ways[site.url(COLUMN + "2021.html")] == site.url(COLUMN + "index_1.html")
    assert ways[site.url(COLUMN + "index_1.html")] == site.url(COLUMN + "index.html")
    assert q(
        db,
        "SELECT agency_id, year, http_status, media_type, role, etag IS NOT NULL, last_modified "
        "FROM sources WHERE uri = ?",
        site.url("/files/2022.txt"),
    ) == [("jia", 2022, 200, "text/plain", "document", True, "Wed, 31 Jan 2024 08:00:00 GMT")]
    assert q(
        db, "SELECT http_status, error FROM sources WHERE uri = ?", site.url("/faults/500.pdf")
    ) == [(500, "http_500")]
    assert q(db, "SELECT role, count(*) FROM sources GROUP BY 1 ORDER BY 1") == [
        ("article", 5),
        ("document", 13),  # 5 loaded, 8 failed
        ("listing", 3),
    ]
    night1 = len(site.hits)
    # 3 listing pages + 5 articles + 6 report-file requests (one 500 retried) + 乙's 2
    # + 15 to the faults (500, timeout and reset tried 1 + RETRIES times, the loop 4 hops)
    assert night1 == 3 + 5 + 6 + 2 + 15
    tables = snapshot(db)

    # ---- night 2: nothing changed: conditional requests only, 304s, 0 rows
    second = cli("ingest", manifest, "--db", db)
    night2 = site.hits[night1:]
    good = [
        h for h in night2 if not h.path.startswith(("/faults/", "/files/2020-gone", "/yi/ndbg"))
    ]
    assert {(h.status, h.conditional) for h in good} == {(304, True)}
    assert len(good) == 3 + 5 + 5  # 3 listing pages, 5 articles, 5 report files
    assert (
        len(night2) == len(good) + 1 + 15 + 1
    )  # 乙's redirect hop, the faults, the 404 attachment
    assert {(h.path, h.status) for h in night2 if h.path.startswith("/yi/")} == {
        ("/yi/ndbg", 302),
        ("/yi/files/2023.txt", 304),
    }
    assert "Nothing changed" in second.output
    assert summary_row(second.output) == [13, 0, 0, 0, 5, 8, 0]
    assert (  # as the fetcher saw them (the oversize file began with a 200)
        "HTTP answers: 200 ×1, 302 ×5, 304 ×13, 404 ×2, 500 ×3, connection_reset ×3, timeout ×3"
        in " ".join(second.output.split())
    )
    assert snapshot(db) == tables
    assert len(q(db, "SELECT * FROM failures")) == len(failures)

    # ---- night 3: one report republished with new numbers, one kept file lost from the raw store
    new_2023 = random_truth(random.Random(99), "2021", agency="测试市甲局", year=2023)
    site.routes["/files/2023.txt"].body = render_text(new_2023)
    sha_2019 = q(db, "SELECT sha256 FROM sources WHERE uri = ?", site.url("/files/2019.txt"))[0][0]
    (tmp_path / "raw" / sha_2019[:2] / sha_2019).unlink()
    night3_start = len(site.hits)
    third = cli("ingest", manifest, "--db", db)
    night3 = site.hits[night3_start:]
    assert len(night3) == len(night2) + 1  # the lost raw file asked again
    assert [(h.status, h.conditional) for h in night3 if h.path == "/files/2023.txt"] == [
        (200, True)
    ]
    # a 304 for bytes we no longer hold: asked again without validators, and kept again
    assert [(h.status, h.conditional) for h in night3 if h.path == "/files/2019.txt"] == [
        (304, True),
        (200, False),
    ]
    assert (tmp_path / "raw" / sha_2019[:2] / sha_2019).exists()
    assert warehouse_values(db, "jia", 2023) == expected_values(new_2023)
    assert warehouse_values(db, "jia", 2022) == expected_values(truths[("jia", 2022)])
    # seen, valid, inconsistent, partial, unchanged, failed, rows written
    assert summary_row(third.output)[:6] == [13, 1, 0, 0, 4, 8]
    truths[("jia", 2023)] = new_2023
    tables = snapshot(db)

    # ---- a rerun of one agency reads the raw store: not one request, the site still up
    before = len(site.hits)
    cli("rerun", "--agency", "jia", "--db", db)
    assert len(site.hits) == before
    assert snapshot(db) == tables
    assert len(q(db, "SELECT * FROM failures")) == len(failures)
    codes = sorted(code for _, _, code in failures)
    print(
        f"\nFIGURES night 1: {night1} requests, {len(truths) - 1} reports loaded with exact values, "
        f"{len(failures)} failures {codes}; night 2: {len(night2)} requests, "
        f"{sum(h.status == 304 for h in night2)} answered 304, "
        f"{sum(h.conditional for h in night2)} conditional, 0 rows; "
        f"night 3: {len(night3)} requests, 1 report reloaded; rerun: 0 requests"
    )


def test_loopback_refused_without_the_env_switch(cli, db, site, monkeypatch):
    monkeypatch.delenv("XXGK_ALLOW_PRIVATE_HOSTS", raising=False)
    url = site.add("/files/r.txt", render_text(random_truth(random.Random(1), "2021")))
    result = cli("ingest", url, "--db", db)
    assert "blocked_address" in result.output
    assert q(db, "SELECT source_uri, stage, error FROM failures") == [
        (url, "fetch", "blocked_address")
    ]
    assert site.hits == []


def html_report(truth: Truth) -> bytes:
    """Given a Truth, return an article page with the report inline as HTML tables (GBK)."""
    out = []
    for kind, payload in blocks_of(truth, Style()):
        if kind == "title":
            out.append(f"<h1>{payload}</h1>")
        elif kind == "heading":
            out.append(f"<h2>{payload}</h2>")
        elif kind == "para":
            out.append(f"<p>{payload}</p>")
        else:
            rows = "".join(
                "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in payload
            )
            out.append(f'<table border="1">{rows}</table>')
    return page(truth.title, [("返回", "index.html")], charset="gbk", body="\n".join(out))


def test_article_with_the_report_inline(cli, db, tmp_path, site, http_env):
    pytest.importorskip("extract.html")
    truth = random_truth(random.Random(11), "2021", agency="测试市丁局", year=2023)
    site.add(
        COLUMN + "index.html",
        page("年报", [("2023年政府信息公开工作年度报告", "2023.html")]),
    )
    site.add(COLUMN + "2023.html", html_report(truth), content_type="text/html; charset=gbk")
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"listing_url,agency_id\n{site.url(COLUMN + 'index.html')},ding\n")
    cli("ingest", str(manifest), "--db", db)
    assert warehouse_values(db, "ding", 2023) == expected_values(truth)
    assert site.count(COLUMN + "2023.html") == 1  # the article is fetched once, not twice
    assert q(
        db,
        "SELECT media_type, role, found_via FROM sources WHERE uri = ?",
        site.url(COLUMN + "2023.html"),
    ) == [("text/html", "document", site.url(COLUMN + "index.html"))]
