"""sources/http.py against a real HTTP server on loopback: codes, limits, validators, politeness."""

import threading

import pytest

from sources.errors import FetchError
from sources.http import (
    Fetcher,
    FetchSettings,
    address_is_blocked,
    check_url,
    filename_of,
)
from spec.sources import Validators
from tests.sources.fakesite import LAST_MODIFIED

pytestmark = pytest.mark.network

FAST = FetchSettings(
    connect_timeout=1.0,
    read_timeout=1.0,  # generous: the test machine is shared and busy
    total_timeout=5.0,
    max_bytes=64 * 1024,
    max_redirects=3,
    per_host=2,
    delay=0.0,
    retries=0,
    backoff=0.0,
    allow_private=True,
)


@pytest.fixture
def fetcher():
    f = Fetcher(FAST)
    yield f
    f.close()


def error_of(fetcher, url, prior=None) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.get(url, prior)
    return info.value


@pytest.mark.parametrize(
    "address, blocked",
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.9", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("0.0.0.0", True),
        ("::1", True),
        ("fe80::1", True),
        ("fd00::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:10.0.0.1", True),
        ("8.8.8.8", False),
        ("202.108.22.5", False),
        ("2400:da00::6666", False),
    ],
)
def test_address_is_blocked(address, blocked):
    assert address_is_blocked(address) is blocked


@pytest.mark.parametrize(
    "url, code",
    [
        ("http://127.0.0.1:9/x.pdf", "blocked_address"),
        ("http://localhost/x.pdf", "blocked_address"),
        ("http://[::1]:80/x.pdf", "blocked_address"),
        ("http://10.0.0.8/x.pdf", "blocked_address"),
        ("ftp://example.gov.cn/x.pdf", "unsupported_scheme"),
        ("file:///etc/passwd", "unsupported_scheme"),
    ],
)
def test_check_url_refuses(url, code):
    with pytest.raises(FetchError) as info:
        check_url(url, allow_private=False)
    assert info.value.code == code and not info.value.transient


def test_check_url_allows_public_ip_and_private_when_told():
    assert check_url("https://8.8.8.8/a.pdf", allow_private=False) == "8.8.8.8"
    assert check_url("http://127.0.0.1:9/a.pdf", allow_private=True) == "127.0.0.1"


def test_loopback_refused_before_any_request(site):
    site.add("/r.txt", b"report")
    f = Fetcher(FetchSettings(**{**FAST.__dict__, "allow_private": False}))
    try:
        assert error_of(f, site.url("/r.txt")).code == "blocked_address"
    finally:
        f.close()
    assert site.hits == []


def test_settings_from_env_and_validation():
    s = FetchSettings.from_env(
        {"XXGK_HTTP_READ_TIMEOUT": "0.5", "XXGK_HTTP_RETRIES": "1", "XXGK_ALLOW_PRIVATE_HOSTS": "1"}
    )
    assert (s.read_timeout, s.retries, s.allow_private, s.connect_timeout) == (0.5, 1, True, 10.0)
    assert FetchSettings.from_env({}).allow_private is False
    assert FetchSettings(backoff=0.5, retries=3).retry_delays() == [0.5, 1.0, 2.0]
    with pytest.raises(ValueError, match="per_host"):
        FetchSettings(per_host=0)
    with pytest.raises(ValueError, match="XXGK_HTTP_MAX_BYTES"):
        FetchSettings.from_env({"XXGK_HTTP_MAX_BYTES": "lots"})


def test_get_then_conditional_get_is_one_304(site, fetcher):
    url = site.add("/files/r.txt", "报告正文".encode(), content_type="application/pdf")
    first = fetcher.get(url)
    assert (first.status, first.data, first.filename) == (200, "报告正文".encode(), "r.txt")
    assert first.etag.startswith('"') and first.last_modified == LAST_MODIFIED
    second = fetcher.get(url, Validators(first.etag, first.last_modified, "ab" * 32))
    assert (second.status, second.data, second.not_modified) == (304, None, True)
    assert [(h.status, h.conditional) for h in site.hits] == [(200, False), (304, True)]


def test_last_modified_alone_validates(site, fetcher):
    url = site.add("/files/old.txt", b"old report", etag=False)
    first = fetcher.get(url)
    assert first.etag is None
    assert fetcher.get(url, Validators(None, first.last_modified, "cd" * 32)).status == 304


def test_validators_without_kept_bytes_are_not_sent(site, fetcher):
    url = site.add("/files/r.txt", b"report")
    etag = fetcher.get(url).etag
    assert fetcher.get(url, Validators(etag, LAST_MODIFIED, None)).status == 200


@pytest.mark.parametrize(
    "fault, code, transient",
    [
        ("404", "http_404", False),
        ("500", "http_500", True),
        ("slow", "timeout", True),
        ("reset", "connection_reset", True),
    ],
)
def test_fault_codes(site, fetcher, fault, code, transient):
    url = site.add("/f", b"x", fault=fault, delay=3.0)
    err = error_of(fetcher, url)
    assert (err.code, err.transient) == (code, transient)
    assert site.count("/f") == 1
    assert fetcher.requests[code.removeprefix("http_")] == 1


def test_redirects_followed_within_bound(site, fetcher):
    site.add("/old", fault="redirect", location="/new")
    site.add("/new", fault="redirect", location=site.url("/files/r.docx"))
    site.add("/files/r.docx", b"final")
    got = fetcher.get(site.url("/old"))
    assert (got.status, got.data, got.filename) == (200, b"final", "r.docx")  # the last hop's name
    assert [h.path for h in site.hits] == ["/old", "/new", "/files/r.docx"]


def test_redirect_loop_stops_at_bound(site, fetcher):
    site.add("/a", fault="redirect", location="/b")
    site.add("/b", fault="redirect", location="/a")
    assert error_of(fetcher, site.url("/a")).code == "too_many_redirects"
    assert len(site.hits) == FAST.max_redirects + 1


def test_redirect_to_other_scheme_refused(site, fetcher):
    site.add("/a", fault="redirect", location="ftp://example.gov.cn/r.pdf")
    assert error_of(fetcher, site.url("/a")).code == "unsupported_scheme"


@pytest.mark.parametrize("fault", [None, "stream"])
def test_size_limit_declared_or_streamed(site, fetcher, fault):
    url = site.add("/big.pdf", b"%PDF-1.7\n" + b"0" * (FAST.max_bytes * 4), fault=fault)
    err = error_of(fetcher, url)
    assert (err.code, err.transient) == ("too_large", False)
    ok = site.add("/fits.txt", b"1" * FAST.max_bytes, fault=fault)
    assert len(fetcher.get(ok).data) == FAST.max_bytes


def test_filename_of():
    assert filename_of("http://x.cn/a/b/%E6%8A%A5%E5%91%8A.wps?id=1") == "报告.wps"
    assert filename_of("http://x.cn/dl?id=3", 'attachment; filename="r.doc"') == "r.doc"
    assert filename_of("http://x.cn/") == "index.html"


def test_politeness_delay_and_per_host_limit(site):
    site.add("/p", b"page")
    settings = FetchSettings(**{**FAST.__dict__, "delay": 0.15, "per_host": 1})
    f = Fetcher(settings)
    threads = [threading.Thread(target=f.get, args=(site.url("/p"),)) for _ in range(4)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        f.close()
    times = sorted(h.at for h in site.hits)
    assert len(times) == 4
    # request starts to one host are 0.15 s apart: 4 requests span at least 3 gaps
    assert times[-1] - times[0] >= 3 * 0.15 - 0.02


class KeepAliveSite:
    """An HTTP/1.1 server that keeps connections open, counting the connections it accepts."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        site = self
        self.connections = 0

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                site.connections += 1

            def do_GET(self):
                if self.path == "/moved":
                    self.send_response(302)
                    self.send_header("Location", "/r.txt")
                    self.send_header("Content-Length", "5")
                    self.end_headers()
                    self.wfile.write(b"moved")
                    return
                fresh = self.headers.get("If-None-Match") == '"v1"'
                self.send_response(304 if fresh else 200)
                self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", "0" if fresh else "5")
                self.end_headers()
                if not fresh:
                    self.wfile.write(b"hello")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


def test_one_connection_for_304s_and_redirects():
    """Named after the bug: a 304 (and a redirect) left its connection unread, so every
    conditional request of a nightly run opened a new connection (TLS handshake and all)."""
    site = KeepAliveSite()
    try:
        fetcher = Fetcher(FAST)
        first = fetcher.get(site.url("/r.txt"))
        prior = Validators(first.etag, first.last_modified, "0" * 64)
        answers = [fetcher.get(site.url("/r.txt"), prior).status for _ in range(3)]
        moved = fetcher.get(site.url("/moved"))
        fetcher.close()
    finally:
        site.server.shutdown()
    assert (first.status, first.data, answers, moved.data) == (200, b"hello", [304] * 3, b"hello")
    assert site.connections == 1
