"""A small fake government website on loopback: pages, files, ETags, and faults on demand.

A real HTTP server (http.server in a thread, HTTP/1.0, one connection per request)
that logs every request it answers, so tests count requests and 304s server-side.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LAST_MODIFIED = "Wed, 31 Jan 2024 08:00:00 GMT"


@dataclass
class Resource:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    # None | "404" | "500" | "flaky" (500 once, then fine) | "slow" | "reset" | "redirect"
    # | "stream" (no Content-Length, body sent in chunks)
    fault: str | None = None
    location: str | None = None  # for "redirect"
    etag: bool = True  # False: only Last-Modified validates
    delay: float = 0.0  # for "slow"
    headers: dict = field(default_factory=dict)  # extra response headers (Content-Disposition)
    redirect_status: int = 302  # for "redirect": 301, 302, 307 ...
    # answers built per request: (method, query, request body) -> (body, content type), for
    # a list API or a page numbered by its query (?page=2)
    handler: Callable[[str, str, bytes], tuple[bytes, str]] | None = None


@dataclass(frozen=True)
class Hit:
    path: str
    status: int | str  # an HTTP status, or "reset" / "slow" when no answer was sent
    conditional: bool
    at: float


class FakeSite:
    """Serve `routes` on 127.0.0.1; `hits` logs every request."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Resource] = {}
        self.hits: list[Hit] = []
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                site._answer(self)

            def do_POST(self):
                size = int(self.headers.get("Content-Length") or 0)
                site._answer(self, self.rfile.read(size) if size else b"")

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes = b"", **kw) -> str:
        self.routes[path] = Resource(body, **kw)
        return self.url(path)

    def start(self) -> FakeSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self, path: str | None = None, status=None, conditional=None) -> int:
        return sum(
            1
            for h in self.hits
            if (path is None or h.path == path)
            and (status is None or h.status == status)
            and (conditional is None or h.conditional == conditional)
        )

    def _log(self, path: str, status, conditional: bool) -> None:
        with self._lock:
            self.hits.append(Hit(path, status, conditional, time.monotonic()))

    def _answer(self, h: BaseHTTPRequestHandler, posted: bytes = b"") -> None:
        path, query = urlsplit(h.path).path, urlsplit(h.path).query
        conditional = bool(h.headers.get("If-None-Match") or h.headers.get("If-Modified-Since"))
        res = self.routes.get(path)
        if res is not None and res.handler is not None:
            body, content_type = res.handler(h.command, query, posted)
            res = Resource(body, content_type, fault=None if body else "404", etag=res.etag)
        with self._lock:
            self._served[path] = self._served.get(path, 0) + 1
            nth = self._served[path]
        fault = res.fault if res else "404"
        if fault == "flaky" and nth == 1:
            fault = "500"
        if fault in ("404", "500"):
            self._log(path, int(fault), conditional)
            body = f"<html><body>{fault}</body></html>".encode()
            h.send_response(int(fault))
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return
        if fault == "reset":
            self._log(path, "reset", conditional)
            # SO_LINGER 0 then close: the kernel sends RST, the client sees a reset
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
            h.close_connection = True
            h.wfile = _Sink()
            return
        if fault == "slow":
            self._log(path, "slow", conditional)
            time.sleep(res.delay)
            h.wfile = _Sink()  # the client has given up by now
            return
        if fault == "redirect":
            self._log(path, res.redirect_status, conditional)
            h.send_response(res.redirect_status)
            h.send_header("Location", res.location)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        etag = '"' + hashlib.sha1(res.body).hexdigest()[:16] + '"'
        if (res.etag and h.headers.get("If-None-Match") == etag) or (
            not res.etag and h.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self._log(path, 304, conditional)
            h.send_response(304)
            if res.etag:
                h.send_header("ETag", etag)
            h.end_headers()
            return
        self._log(path, 200, conditional)
        h.send_response(200)
        h.send_header("Content-Type", res.content_type)
        if res.etag:
            h.send_header("ETag", etag)
        h.send_header("Last-Modified", LAST_MODIFIED)
        for name, value in res.headers.items():
            h.send_header(name, value)
        if fault == "stream":  # HTTP/1.0 without Content-Length: the body ends when we close
            h.end_headers()
            try:
                for i in range(0, len(res.body), 16384):
                    h.wfile.write(res.body[i : i + 16384])
            except OSError:
                pass  # the client stopped reading at its size limit
            return
        h.send_header("Content-Length", str(len(res.body)))
        h.end_headers()
        h.wfile.write(res.body)


class _Sink:
    """A write end that swallows what the handler's epilogue flushes after we cut the line."""

    closed = False

    def write(self, data):
        return len(data)

    def flush(self):
        pass

    def close(self):
        pass


def page(
    title: str, links: list[tuple[str, str]], *, charset: str = "utf-8", body: str = ""
) -> bytes:
    """Given a title and (text, href) links, return an HTML page in `charset`, declared in a meta."""
    items = "\n".join(f'<li><a href="{href}">{text}</a></li>' for text, href in links)
    html = (
        f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" '
        f'content="text/html; charset={charset}"><title>{title}</title></head>\n'
        f"<body><h1>{title}</h1><ul>\n{items}\n</ul>{body}</body></html>\n"
    )
    return html.encode(charset)
