"""The browser's only way out: an HTTP proxy on 127.0.0.1 that applies the fetcher's guards
to every request the browser makes (sources/browser.py).

- Every request is checked as the fetcher checks its own (`check_url`: http and https
  only, no loopback, private or link-local address unless XXGK_ALLOW_PRIVATE_HOSTS
  allows it); a redirect goes back to the browser, so each hop is a request checked
  anew. An https tunnel (CONNECT) is opened to the very addresses that were checked:
  the name is resolved once, here, never by the browser.
- Plain http requests go through `Fetcher.forward`: the host's gate (requests in
  flight, delay between starts), the size limit and deadline, the run's answer count.
  A tunnel's start waits for the host's gate too.
- The listing page itself is answered from the bytes discovery already holds (asked for
  once, conditionally); pictures, fonts, style sheets and media are answered empty,
  unasked; past `budget` requests, every request is refused.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from sources.errors import BlockedAddress, FetchError, UnsupportedScheme
from sources.http import HOP_HEADERS, Fetcher, checked_addresses
from sources.pages import Page, page_text

# Asked for by a page, never needed to read its list.
SKIPPED_SUFFIXES = (
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".svg", ".ico",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".css",
    ".mp3", ".mp4", ".webm", ".ogg", ".avi", ".flv", ".swf",
)  # fmt: skip
# The browser maker's own services (updates, time, sign-in): what Chromium asks for by
# itself, never what a government page needs; refused, whatever the flags left on.
BROWSER_SERVICES = (
    "google.com", "googleapis.com", "gstatic.com", "gvt1.com", "gvt2.com",
    "googleusercontent.com", "chrome.com", "chromium.org",
)  # fmt: skip
MAX_REQUEST_BODY = 1024 * 1024  # what a list call posts is small
RELAY_CHUNK = 64 * 1024


class EgressProxy:
    """A proxy for one browser session: `address` to give the browser, `refused` lists
    the requests it refused and why, `asked` counts the requests it passed on."""

    def __init__(self, fetcher: Fetcher, pinned: Mapping[str, Page], budget: int, deadline: float):
        self.fetcher, self.pinned, self.budget, self.deadline = fetcher, pinned, budget, deadline
        self.refused: list[tuple[str, str]] = []
        self.asked = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_CONNECT(self) -> None:
                proxy.tunnel(self)

            def do_GET(self) -> None:
                proxy.relay(self)

            do_POST = do_HEAD = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> EgressProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _take(self, url: str) -> str | None:
        """Given a URL the browser asks for, count it; return why it is refused, if it is."""
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            if any(host == d or host.endswith("." + d) for d in BROWSER_SERVICES):
                why = "the browser's own service, not the page's"
            elif time.monotonic() > self.deadline:
                why = "the listing's rendering time is over"
            elif self.asked >= self.budget:
                why = f"over the {self.budget} requests a listing's rendering may make"
            else:
                self.asked += 1
                return None
            self.refused.append((url, why))
            return why

    def _refuse(self, h: BaseHTTPRequestHandler, url: str, status: int, why: str) -> None:
        with self._lock:
            if (url, why) not in self.refused:
                self.refused.append((url, why))
        self._answer(h, status, [("Content-Type", "text/plain; charset=utf-8")], why.encode())

    def relay(self, h: BaseHTTPRequestHandler) -> None:
        """Answer one plain http request of the browser (`h.path` is the absolute URL)."""
        url = h.path
        if url in self.pinned:
            return self._answer(h, 200, [("Content-Type", "text/html; charset=utf-8")],
                                page_text(self.pinned[url]).encode("utf-8"))  # fmt: skip
        if urlsplit(url).path.lower().endswith(SKIPPED_SUFFIXES):
            return self._answer(h, 204, [], b"")
        why = self._take(url)
        if why:
            return self._refuse(h, url, 429, why)
        declared = (h.headers.get("Content-Length") or "0").strip()
        size = int(declared) if declared.isdigit() else 0
        if size > MAX_REQUEST_BODY:
            return self._refuse(h, url, 413, f"a {size}-byte request body")
        body = h.rfile.read(size) if size else None
        headers = {
            k: v
            for k, v in h.headers.items()
            if k.lower() not in HOP_HEADERS
            and k.lower() not in ("host", "user-agent", "accept-encoding", "proxy-authorization")
        }
        try:
            answer = self.fetcher.forward(h.command, url, headers, body)
        except (BlockedAddress, UnsupportedScheme) as exc:
            return self._refuse(h, url, 403, f"{exc.code}: {exc.detail}")
        except FetchError as exc:
            return self._refuse(h, url, 502, f"{exc.code}: {exc.detail}")
        self._answer(h, answer.status, answer.headers, b"" if h.command == "HEAD" else answer.data)

    @staticmethod
    def _answer(
        h: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], data: bytes
    ) -> None:
        h.send_response(status)
        for name, value in headers:
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def tunnel(self, h: BaseHTTPRequestHandler) -> None:
        """Open the https tunnel the browser asks for (`h.path` is host:port), to the
        addresses checked, and relay it until either side closes."""
        host, _, port_text = h.path.rpartition(":")
        url = f"https://{h.path}/"
        why = self._take(url)
        if why:
            return self._refuse(h, url, 429, why)
        s = self.fetcher.settings
        try:
            name, addresses = checked_addresses(url, s.allow_private, s.allowed_addresses)
            port = int(port_text)
        except (BlockedAddress, UnsupportedScheme) as exc:
            return self._refuse(h, url, 403, f"{exc.code}: {exc.detail}")
        except (FetchError, ValueError) as exc:
            return self._refuse(h, url, 502, f"cannot reach {host}: {exc}")
        try:
            with self.fetcher.gate.slot(name):
                upstream = socket.create_connection((addresses[0], port), s.connect_timeout)
        except OSError as exc:
            return self._refuse(h, url, 502, f"cannot connect to {host}: {exc}")
        self.fetcher.count_answer("CONNECT")
        h.send_response(200, "Connection Established")
        h.end_headers()
        h.close_connection = True
        with upstream:
            pipe(h.connection, upstream, s.read_timeout, self.deadline)


def pipe(a: socket.socket, b: socket.socket, idle: float, deadline: float) -> None:
    """Relay bytes both ways between two sockets until one closes, nothing moves for `idle`
    seconds, or the deadline passes."""
    ends = {a: b, b: a}
    while time.monotonic() < deadline:
        ready, _, _ = select.select(list(ends), [], [], idle)
        if not ready:
            return
        for sock in ready:
            try:
                data = sock.recv(RELAY_CHUNK)
                if not data:
                    return
                ends[sock].sendall(data)
            except OSError:
                return
