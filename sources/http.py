"""Fetch one URL politely: timeouts, bounded redirects, a size limit, conditional requests.

Retries are not done here: a transient failure raises a FetchError with
``transient = True`` and the flow's Prefect task retries it (flows/ingest.py).
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from email.message import Message
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from sources.errors import (
    BadRedirect,
    BlockedAddress,
    ConnectFailed,
    ConnectionReset,
    DownloadTooLarge,
    FetchError,
    FetchTimeout,
    HttpStatus,
    TooManyRedirects,
    UnsupportedScheme,
)
from spec.sources import Validators

if TYPE_CHECKING:  # httpx is imported by the functions that fetch: a run of local files
    import httpx  # never needs it (about 0.2 s of start-up)

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024


def numbers_from_env(
    cls: type, prefix: str, env: Mapping[str, str], skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Given a settings dataclass, the prefix of its variables and the environment, return
    the values of its numeric fields (all but `skip`) set there as <prefix><FIELD>; raise
    ValueError for one that is not a number."""
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        raw = env.get(f"{prefix}{f.name.upper()}")
        if raw is None or f.name in skip:
            continue
        kind = int if f.type in ("int", int) else float
        try:
            kwargs[f.name] = kind(raw)
        except ValueError:
            raise ValueError(f"{prefix}{f.name.upper()}={raw!r} is not a number") from None
    return kwargs


@dataclass(frozen=True)
class FetchSettings:
    """How to fetch: timeouts (s), limits, politeness, retries; `from_env` reads XXGK_HTTP_*."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 300.0  # a server trickling bytes forever still ends
    max_bytes: int = 200 * 1024 * 1024
    max_redirects: int = 5
    per_host: int = 2  # requests in flight to one host
    delay: float = 1.0  # seconds between request starts to one host
    retries: int = 3  # on transient failures only
    backoff: float = 2.0  # first retry delay; doubles each retry
    max_pages: int = 10  # listing pages followed per listing_url (discovery)
    allow_private: bool = False
    # non-public addresses allowed one by one (XXGK_ALLOW_PRIVATE_HOSTS=127.0.0.1,::1)
    allowed_addresses: tuple[str, ...] = ()
    user_agent: str = "xxgk/0.1 (government disclosure report collector)"

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
                raise ValueError(f"FetchSettings.{f.name} must be >= 0, got {value!r}")
        if self.per_host < 1:
            raise ValueError(f"FetchSettings.per_host must be >= 1, got {self.per_host!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> FetchSettings:
        """Given the environment, return settings with XXGK_HTTP_<FIELD> values applied."""
        not_numbers = ("allow_private", "allowed_addresses", "user_agent")
        kwargs = numbers_from_env(cls, "XXGK_HTTP_", env, skip=not_numbers)
        if env.get("XXGK_HTTP_USER_AGENT"):
            kwargs["user_agent"] = env["XXGK_HTTP_USER_AGENT"]
        allow = env.get("XXGK_ALLOW_PRIVATE_HOSTS", "").strip()
        kwargs["allow_private"] = allow == "1"
        if allow not in ("", "0", "1"):
            kwargs["allowed_addresses"] = tuple(a.strip() for a in allow.split(",") if a.strip())
        return cls(**kwargs)

    def retry_delays(self) -> list[float]:
        """Return the delay before each retry: exponential backoff from `backoff`."""
        return [self.backoff * 2**i for i in range(self.retries)]


@dataclass
class Download:
    """One URL's answer: its bytes (None when 304 Not Modified), validators, and the file's
    name (from the last hop's URL or Content-Disposition)."""

    status: int
    data: bytes | None
    etag: str | None
    last_modified: str | None
    filename: str
    url: str = ""  # the URL that answered, after redirects

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# Headers of one connection, not of the answer; httpx has undone the content encoding.
HOP_HEADERS = frozenset(
    ("connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length")
    + ("proxy-authenticate", "proxy-connection", "te", "trailer", "upgrade")
)


@dataclass(frozen=True)
class Answer:
    """A server's answer to one request a browser made through the egress proxy."""

    status: int
    headers: list[tuple[str, str]]
    data: bytes


def address_is_blocked(address: str) -> bool:
    """Given an IP address, tell whether it is loopback, private, link-local or otherwise not public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is loopback too
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_multicast
        or ip.is_reserved
        or not ip.is_global
    )


def host_addresses(host: str) -> list[str]:
    """Given a host name or IP literal, return the addresses it resolves to."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectFailed(f"cannot resolve {host}: {exc}", code="dns_error") from None
    return sorted({str(info[4][0]) for info in infos})  # AF_INET/AF_INET6: a str


def check_url(url: str, allow_private: bool, allowed: tuple[str, ...] = ()) -> str:
    """Given a URL, return its host; raise UnsupportedScheme or BlockedAddress if we must not fetch it.

    `allowed` lists non-public addresses fetched anyway (a local mirror, a test server).
    """
    return checked_addresses(url, allow_private, allowed, resolve=False)[0]


def checked_addresses(
    url: str, allow_private: bool, allowed: tuple[str, ...] = (), *, resolve: bool = True
) -> tuple[str, list[str]]:
    """Given a URL, return its host and the addresses it may be reached at (none when neither
    checking nor `resolve` needed them); raise UnsupportedScheme or BlockedAddress.

    A caller that connects by itself (the browser's egress proxy) connects to these very
    addresses, so a name cannot resolve to a public address for the check and to a private
    one for the connection.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsupportedScheme(f"only http and https are fetched, not {parts.scheme or 'no'}:")
    host = parts.hostname
    if not host:
        raise UnsupportedScheme(f"no host in {url}")
    addresses = host_addresses(host) if resolve or not allow_private else []
    if not allow_private:
        blocked = [a for a in addresses if address_is_blocked(a) and a not in allowed]
        if blocked:
            raise BlockedAddress(
                f"{host} resolves to {', '.join(blocked)}: loopback/private/link-local "
                "hosts are refused unless XXGK_ALLOW_PRIVATE_HOSTS=1"
            )
    return host.lower(), addresses


def conditional_headers(prior: Validators | None) -> dict[str, str]:
    """Given what we kept of a URL, return the headers that make the request conditional."""
    if prior is None or not prior.sha256:
        return {}
    headers = {}
    if prior.etag:
        headers["If-None-Match"] = prior.etag
    if prior.last_modified:
        headers["If-Modified-Since"] = prior.last_modified
    return headers


def filename_of(url: str, content_disposition: str | None = None) -> str:
    """Given a URL and its Content-Disposition, return the file's name (it breaks .doc/.wps ties)."""
    if content_disposition:
        msg = Message()
        msg["content-disposition"] = content_disposition
        name = msg.get_filename()
        if name:
            return name.rsplit("/", 1)[-1]
    path = unquote(urlsplit(url).path)
    return path.rsplit("/", 1)[-1] or "index.html"


def transport_error_to_fetch_error(exc: httpx.TransportError, url: str) -> FetchError:
    """Given an httpx transport error, return the FetchError with its stable code."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return FetchTimeout(f"{type(exc).__name__} fetching {url}")
    if isinstance(exc, httpx.ConnectError):
        return ConnectFailed(f"cannot connect to {url}: {exc}")
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
        return ConnectionReset(f"{type(exc).__name__} fetching {url}: {exc}")
    return FetchError(f"{type(exc).__name__} fetching {url}: {exc}", code="transport_error")


class HostGate:
    """At most `per_host` requests in flight to one host, their starts `delay` seconds apart."""

    def __init__(self, per_host: int, delay: float):
        self.per_host, self.delay = per_host, delay
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            sem = self._slots.setdefault(host, threading.Semaphore(self.per_host))
        with sem:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self.delay
            if start > now:
                time.sleep(start - now)
            yield


_SIZE_RE = re.compile(r"^\s*(\d+)\s*$")


def _finish(response: httpx.Response) -> None:
    """Read the rest of a small answer (a 304, a redirect) so that its connection goes back
    to the pool: an answer left unread closes its connection, and the next request to the
    host opens a new one (and a new TLS handshake)."""
    declared = _SIZE_RE.match(response.headers.get("content-length", ""))
    if response.status_code == 304 or (declared and int(declared.group(1)) <= CHUNK):
        response.read()


class Fetcher:
    """An HTTP client for the whole run: one connection pool, one politeness gate."""

    def __init__(self, settings: FetchSettings | None = None):
        import httpx

        self.settings = settings or FetchSettings.from_env()
        s = self.settings
        self.client = httpx.Client(
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": s.user_agent},
            trust_env=False,
        )
        self.gate = HostGate(s.per_host, s.delay)
        self.requests: Counter[str] = Counter()  # answers by status ("200", "304") or error code
        self._count_lock = threading.Lock()

    def count_answer(self, key: str) -> None:
        """Count one answer (a status, an error code, a browser's tunnel) with the run's."""
        with self._count_lock:
            self.requests[key] += 1

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, prior: Validators | None = None) -> Download:
        """Given a URL and what we kept of it, return its Download; raise FetchError.

        Redirects are followed by hand so that each hop is checked (scheme, address)
        and counted; a 304 answers only a conditional request.
        """
        import httpx

        s = self.settings
        headers = conditional_headers(prior)
        current, hops = url, 0
        while True:
            host = check_url(current, s.allow_private, s.allowed_addresses)
            with self.gate.slot(host):
                try:
                    with self.client.stream("GET", current, headers=headers) as response:
                        status = response.status_code
                        self.count_answer(str(status))
                        if status in REDIRECT_STATUSES:
                            location = response.headers.get("location")
                            if not location:
                                raise BadRedirect(f"{status} from {current} without a Location")
                            hops += 1
                            if hops > s.max_redirects:
                                raise TooManyRedirects(
                                    f"more than {s.max_redirects} redirects from {url}"
                                )
                            current = urljoin(current, location)
                            _finish(response)
                            continue
                        if status == 304 and headers:
                            _finish(response)
                            return self._download(current, response, None)
                        if status >= 400 or status == 304:
                            raise HttpStatus(status, f"HTTP {status} from {current}")
                        data = self._read_body(response, current)
                        return self._download(current, response, data)
                except httpx.TransportError as exc:
                    error = transport_error_to_fetch_error(exc, current)
                    self.count_answer(error.code)
                    raise error from None

    def _read_body(self, response: httpx.Response, url: str) -> bytes:
        """Given a streaming response, return its body; stop at the size limit or the deadline."""
        s = self.settings
        declared = _SIZE_RE.match(response.headers.get("content-length", ""))
        if declared and int(declared.group(1)) > s.max_bytes:
            raise DownloadTooLarge(f"{url} declares {declared.group(1)} bytes, over {s.max_bytes}")
        deadline = time.monotonic() + s.total_timeout
        chunks, size = [], 0
        for chunk in response.iter_bytes(CHUNK):
            size += len(chunk)
            if size > s.max_bytes:
                raise DownloadTooLarge(f"{url} is over {s.max_bytes} bytes")
            if time.monotonic() > deadline:
                raise FetchTimeout(f"{url} took over {s.total_timeout}s")
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _download(final: str, response: httpx.Response, data: bytes | None) -> Download:
        """Given the last hop's URL, its response and body, return the Download."""
        return Download(
            status=response.status_code,
            data=data,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            filename=filename_of(final, response.headers.get("content-disposition")),
            url=final,
        )

    def forward(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> Answer:
        """Given one request of a browser (sources/egress.py), return the server's answer to
        it; raise FetchError.

        One hop only: a redirect goes back to the browser, whose next request is checked
        again. The same guards as `get`: scheme and address, the host's gate, the size
        limit and the deadline; answers are counted with the run's.
        """
        import httpx

        host = check_url(url, self.settings.allow_private, self.settings.allowed_addresses)
        with self.gate.slot(host):
            try:
                request = self.client.build_request(method, url, headers=headers, content=body)
                response = self.client.send(request, stream=True)
                try:
                    self.count_answer(str(response.status_code))
                    data = self._read_body(response, url)
                finally:
                    response.close()
            except httpx.TransportError as exc:
                error = transport_error_to_fetch_error(exc, url)
                self.count_answer(error.code)
                raise error from None
        kept = [(k, v) for k, v in response.headers.items() if k.lower() not in HOP_HEADERS]
        return Answer(response.status_code, kept, data)
