"""Safe fetching: http(s) only from manifests, no redirect into loopback or private addresses
unless allowed one by one, and no file name from a server can place a file outside the raw store."""

import hashlib
import random
from pathlib import Path

import pytest

from common.rawstore import RawStore
from sources.errors import FetchError
from sources.http import Fetcher, FetchSettings, filename_of
from tests.docgen.layout import Style
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth
from tests.helpers import q
from tests.sources.fakesite import FakeSite

pytestmark = pytest.mark.network

FAST_HTTP = {
    "XXGK_HTTP_CONNECT_TIMEOUT": "1",
    "XXGK_HTTP_READ_TIMEOUT": "1",
    "XXGK_HTTP_RETRIES": "0",
    "XXGK_HTTP_DELAY": "0",
}


@pytest.fixture
def inner():
    """A second server on another loopback address: the one an attacker redirects to."""
    s = FakeSite(host="127.0.0.2").start()
    yield s
    s.stop()


@pytest.fixture
def http_env(monkeypatch):
    for name, value in FAST_HTTP.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XXGK_ALLOW_PRIVATE_HOSTS", "127.0.0.1")  # this test server only


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_manifest_urls_other_than_http_are_refused_unread(cli, db, tmp_path, http_env):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(render_text(random_truth(random.Random(4), "2021", agency="机密局")))
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "url,agency_id\n"
        f"file://{secret},a1\n"
        "ftp://example.gov.cn/r.pdf,a2\n"
        "gopher://example.gov.cn/r.pdf,a3\n"
        f"FILE:///{secret},a4\n",
        encoding="utf-8",
    )
    cli("ingest", str(manifest), f"file://{secret}", "--db", db)
    assert q(db, "SELECT source_uri, stage, error FROM failures ORDER BY 1") == [
        (f"FILE:///{secret}", "fetch", "unsupported_scheme"),
        (f"file://{secret}", "fetch", "unsupported_scheme"),
        ("ftp://example.gov.cn/r.pdf", "fetch", "unsupported_scheme"),
        ("gopher://example.gov.cn/r.pdf", "fetch", "unsupported_scheme"),
    ]
    assert q(db, "SELECT count(*) FROM reports")[0][0] == 0
    assert not (tmp_path / "raw").exists()  # the local file was never read
    # the same file through the manifest's `path` column is read, on purpose
    (tmp_path / "p.csv").write_text(f"path\n{secret}\n", encoding="utf-8")
    cli("ingest", str(tmp_path / "p.csv"), "--db", db)
    assert q(db, "SELECT agency_id FROM reports") == [("机密局",)]


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/r.txt",  # loopback, but not the allowed address
        "http://10.0.0.1/r.txt",
        "http://169.254.169.254/latest/meta-data/",  # a cloud metadata service
        "http://[::1]:{port}/r.txt",
    ],
)
def test_redirect_from_allowed_host_to_blocked_address_is_refused(site, inner, target):
    inner.add("/r.txt", b"internal")
    location = target.format(port=inner.server.server_address[1])
    url = site.add("/go", fault="redirect", location=location)
    site.add("/ok", b"public")
    settings = FetchSettings(delay=0.0, retries=0, allowed_addresses=("127.0.0.1",))
    fetcher = Fetcher(settings)
    try:
        assert fetcher.get(site.url("/ok")).data == b"public"  # the allowed host is fetched
        with pytest.raises(FetchError) as info:
            fetcher.get(url)
    finally:
        fetcher.close()
    assert info.value.code == "blocked_address" and not info.value.transient
    assert [h.path for h in site.hits] == ["/ok", "/go"]
    assert inner.hits == []


def test_redirect_to_blocked_address_in_a_run_is_a_failure_row(cli, db, site, inner, http_env):
    inner.add("/r.txt", b"internal")
    url = site.add("/go", fault="redirect", location=inner.url("/r.txt"))
    cli("ingest", url, "--db", db)
    assert q(db, "SELECT source_uri, stage, error FROM failures") == [
        (url, "fetch", "blocked_address")
    ]
    assert inner.hits == []


def test_hostile_attachment_names_stay_inside_the_raw_store(cli, db, tmp_path, site, http_env):
    names = [
        'attachment; filename="../../etc/passwd"',
        "attachment; filename*=UTF-8''..%2F..%2F..%2Fescape.pdf",
        'attachment; filename="/tmp/abs.txt"',
        'attachment; filename="..\\\\..\\\\win.txt"',
    ]
    bodies, urls = [], []
    for i, disposition in enumerate(names):
        truth = random_truth(random.Random(10 + i), "2021", agency=f"附件{i}局", year=2024)
        bodies.append(render_text(truth, Style()))
        urls.append(
            site.add(
                f"/files/..%2F..%2Fx{i}.txt",
                bodies[-1],
                headers={"Content-Disposition": disposition},
            )
        )
    truth = random_truth(random.Random(20), "2021", agency="路径局", year=2024)
    bodies.append(render_text(truth, Style()))
    site.add("/etc/passwd", bodies[-1])
    urls.append(site.url("/../../etc/passwd"))
    assert filename_of(urls[0], names[0]) == "passwd"
    before = files_under(tmp_path)
    cli("ingest", *urls, "--db", db)
    assert q(db, "SELECT count(*) FROM reports")[0][0] == 5
    assert q(db, "SELECT source_uri, error, detail FROM failures") == []
    store = RawStore(tmp_path / "raw")
    kept = {str(store.path_of(hashlib.sha256(b).hexdigest()).relative_to(tmp_path)) for b in bodies}
    assert files_under(tmp_path) - before == {"warehouse.duckdb", "warehouse.duckdb.lock"} | kept
    assert not Path("/tmp/abs.txt").exists()
    with pytest.raises(ValueError):
        store.path_of("../../etc/passwd")


def test_allow_private_hosts_env_is_all_or_a_list_of_addresses():
    def allowed(value):
        s = FetchSettings.from_env({"XXGK_ALLOW_PRIVATE_HOSTS": value})
        return s.allow_private, s.allowed_addresses

    assert allowed("") == (False, ())
    assert allowed("0") == (False, ())
    assert allowed("1") == (True, ())
    assert allowed("127.0.0.1, ::1") == (False, ("127.0.0.1", "::1"))
