"""Render a listing drawn by script in headless Chromium, turning its pager page by page.

Chromium comes from the OS packages (`apt-get install chromium`), optional like
LibreOffice: without it discovery reads the static HTML only and says so
(`needs_browser`). It is driven over the DevTools protocol on a pipe
(`--remote-debugging-pipe`: no debugging port for anyone else on the machine to reach):
open the listing, wait until no request is in flight, take the page as drawn; click
its 下一页 and take it again, up to the listing's page bound. The site's own scripts
draw every page, whichever list API they call (TRS's `动静结合` search, a Vue page's
JSON list, 大汉's data proxy).

Every request the browser makes goes through sources/egress.py (the same SSRF guards,
politeness and count as the fetcher's); Chromium itself resolves no name
(`--host-resolver-rules`), so nothing can leave by another way. It runs with a fresh
profile in a temporary folder, in its own process group, ended with the listing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any

from sources.discover import Renderer
from sources.egress import EgressProxy
from sources.errors import BrowserError
from sources.http import Fetcher, numbers_from_env
from sources.pagers import NEXT_PAGE_TEXTS
from sources.pages import Page

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
UTF8_BOM = b"\xef\xbb\xbf"  # the page as drawn is UTF-8 whatever its <meta charset> says

# Click the first visible, enabled element that reads as the pager's next page; true if one
# was clicked. Anchors and buttons first: a <li> around an <a> may not carry the handler.
TURN_PAGE = """
(texts => {
  const kinds = ['a', 'button', 'input[type=button]', 'span', 'li', 'div'];
  for (const kind of kinds) {
    for (const el of document.querySelectorAll(kind)) {
      const text = (el.innerText || el.value || '').trim().toLowerCase();
      if (!texts.includes(text)) continue;
      if (!el.getClientRects().length) continue;
      if (el.disabled || /disabled|unable|gray/.test(el.className)) continue;
      el.click();
      return true;
    }
  }
  return false;
})(%s)
"""
SNAPSHOT = "[location.href, document.documentElement.outerHTML]"


@dataclass(frozen=True)
class BrowserSettings:
    """How a listing is rendered: seconds to settle and quiet, the listing's time and
    request budget; `from_env` reads XXGK_BROWSER_<FIELD>."""

    settle_timeout: float = 20.0  # a page (or a turn of its pager) has this long to settle
    quiet: float = 0.5  # seconds with no request in flight that count as settled
    render_timeout: float = 120.0  # the whole listing
    max_requests: int = 200  # requests the browser may make for one listing

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) <= 0:
                raise ValueError(
                    f"BrowserSettings.{f.name} must be > 0, got {getattr(self, f.name)!r}"
                )

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> BrowserSettings:
        return cls(**numbers_from_env(cls, "XXGK_BROWSER_", env))


def find_chromium(env: Mapping[str, str] = os.environ) -> str | None:
    """Return the Chromium to render with: $XXGK_CHROMIUM (a path; `0` or `off`: none),
    else the first of CHROMIUM_NAMES on the PATH, else None."""
    chosen = env.get("XXGK_CHROMIUM", "").strip()
    if chosen.lower() in ("0", "off", "no", "false"):
        return None
    if chosen:
        return shutil.which(chosen)
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def chromium_args(chromium: str, proxy: str, profile: str, user_agent: str) -> list[str]:
    """Given Chromium's path, the egress proxy, a profile folder and the user agent, return
    the command line: headless, every request through the proxy (loopback too), no name
    resolved by Chromium itself, none of its own background traffic."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",  # root in CI and containers; the page is from a government site
        "--remote-debugging-pipe",
        f"--user-data-dir={profile}",
        f"--proxy-server={proxy}",
        "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-breakpad",
        "--no-pings",
        "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter,"
        "AutofillServerCommunication,CertificateTransparencyComponentUpdater",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--disable-gpu",
        "--no-first-run",
        "--mute-audio",
        f"--user-agent={user_agent}",
        "about:blank",
    ]


class Cdp:
    """A DevTools protocol connection over Chromium's pipe (fd 3 in, fd 4 out, messages
    ended by NUL): `call` waits for a command's result; events are kept for `wait`."""

    def __init__(self, to_browser: int, from_browser: int):
        self._out = os.fdopen(to_browser, "wb", buffering=0)
        self._in = os.fdopen(from_browser, "rb", buffering=0)
        self._next_id = 0
        self._results: dict[int, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self._write = threading.Lock()
        self.in_flight: set[str] = set()
        self.last_activity = time.monotonic()
        self.loaded = False
        self.closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _send(self, message: dict[str, Any]) -> None:
        with self._write:
            self._out.write(json.dumps(message).encode() + b"\0")

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:  # fmt: skip
        """Send a command and return its result; raise BrowserError on its error or timeout."""
        with self._cond:
            self._next_id += 1
            msg_id = self._next_id
        message: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            self._send(message)
        except OSError as exc:
            raise BrowserError(f"Chromium is gone ({method}): {exc}") from None
        deadline = time.monotonic() + timeout
        with self._cond:
            while msg_id not in self._results:
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    raise BrowserError(f"no answer from Chromium to {method} in {timeout:g} s")
                self._cond.wait(left)
            reply = self._results.pop(msg_id)
        if "error" in reply:
            raise BrowserError(f"Chromium refused {method}: {reply['error'].get('message')}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = self._in.read(65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                raw, _, buffer = buffer.partition(b"\0")
                self._dispatch(json.loads(raw))
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def _dispatch(self, message: dict[str, Any]) -> None:
        with self._cond:
            if "id" in message:
                self._results[message["id"]] = message
                self._cond.notify_all()
                return
            method, params = message.get("method"), message.get("params", {})
            if method == "Network.requestWillBeSent":
                self.in_flight.add(params["requestId"])
            elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                self.in_flight.discard(params["requestId"])
            elif method == "Page.loadEventFired":
                self.loaded = True
            self.last_activity = time.monotonic()
            self._cond.notify_all()
        if method == "Page.javascriptDialogOpening":  # an alert() would stop the page
            session = message.get("sessionId")
            threading.Thread(
                target=self.call,
                args=("Page.handleJavaScriptDialog", {"accept": True}, session),
                daemon=True,
            ).start()

    def settle(self, quiet: float, timeout: float) -> None:
        """Wait until the page has loaded and no request has been in flight for `quiet`
        seconds, or `timeout` seconds have passed (the page is taken as it is then)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self.closed:
                now = time.monotonic()
                if now >= deadline:
                    return
                idle_for = now - self.last_activity
                if self.loaded and not self.in_flight and idle_for >= quiet:
                    return
                self._cond.wait(min(deadline - now, max(quiet - idle_for, 0.05)))

    def close(self) -> None:
        for f in (self._out, self._in):
            try:
                f.close()
            except OSError:
                pass


@contextmanager
def chromium_session(chromium: str, proxy: str, user_agent: str) -> Iterator[Cdp]:
    """Run the block with a fresh headless Chromium that reaches out only through `proxy`;
    end it and its process group after."""
    profile = tempfile.mkdtemp(prefix="xxgk-chromium-")
    to_read, to_browser = os.pipe()  # Chromium reads commands from fd 3
    from_browser, to_write = os.pipe()  # and writes replies to fd 4
    # posix_spawn puts the pipe's ends on fds 3 and 4 (a preexec_fn is not safe in a
    # process with threads); every other descriptor of ours is closed on exec
    actions = [
        (os.POSIX_SPAWN_DUP2, to_read, 3),
        (os.POSIX_SPAWN_DUP2, to_write, 4),
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    args = chromium_args(chromium, proxy, profile, user_agent)
    try:
        pid = os.posix_spawn(chromium, args, dict(os.environ), file_actions=actions, setsid=True)
    except OSError as exc:
        for fd in (to_browser, from_browser):
            os.close(fd)
        shutil.rmtree(profile, ignore_errors=True)
        raise BrowserError(f"cannot start {chromium}: {exc}") from None
    finally:
        os.close(to_read)
        os.close(to_write)
    cdp = Cdp(to_browser, from_browser)
    try:
        yield cdp
    finally:
        try:
            cdp.call("Browser.close", timeout=5)
        except BrowserError:
            pass
        wait_for_exit(pid, 5)
        try:  # its renderers and helpers, in the group it leads (not reaped yet: still ours)
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        os.waitpid(pid, 0)
        cdp.close()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for_exit(pid: int, timeout: float) -> bool:
    """Given a child's pid, wait up to `timeout` seconds for it to end, leaving it unreaped
    (its pid and process group stay ours); tell whether it ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.05)
    return False


def open_tab(cdp: Cdp) -> str:
    """Given a DevTools connection, open a blank tab and return its session, with page and
    network events on (they tell when a page has settled)."""
    target = cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})
    sid: str = session["sessionId"]
    cdp.call("Page.enable", session=sid)
    cdp.call("Network.enable", session=sid)
    return sid


def snapshot(cdp: Cdp, sid: str) -> Page:
    """Given a tab, return the page as drawn now (its URL and its DOM as UTF-8 HTML)."""
    result = cdp.call("Runtime.evaluate", {"expression": SNAPSHOT, "returnByValue": True}, sid)
    url, html = result["result"]["value"]
    return Page(url, UTF8_BOM + html.encode("utf-8"))


def turn_page(cdp: Cdp, sid: str, texts: tuple[str, ...]) -> bool:
    """Given a tab and the texts of a next-page control, click it; return whether one was."""
    expression = TURN_PAGE % json.dumps(list(texts))
    result = cdp.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, sid)
    return bool(result["result"].get("value"))


def render_listing(
    fetcher: Fetcher, chromium: str, settings: BrowserSettings, first: Page, max_pages: int
) -> list[Page]:
    """Given the run's fetcher, Chromium, the settings and a listing's first page as
    fetched, return the listing as drawn: its first page, then after each turn of its
    pager (at most `max_pages` pages; a turn that changes nothing ends it). Raise
    BrowserError when Chromium fails."""
    deadline = time.monotonic() + settings.render_timeout
    pinned = {first.url: first}
    with (
        EgressProxy(fetcher, pinned, settings.max_requests, deadline) as proxy,
        chromium_session(chromium, proxy.address, fetcher.settings.user_agent) as cdp,
    ):
        sid = open_tab(cdp)
        cdp.loaded = False
        cdp.call("Page.navigate", {"url": first.url}, sid)
        cdp.settle(settings.quiet, min(settings.settle_timeout, deadline - time.monotonic()))
        pages = [snapshot(cdp, sid)]
        while len(pages) < max_pages and time.monotonic() < deadline:
            if not turn_page(cdp, sid, NEXT_PAGE_TEXTS):
                break
            time.sleep(0.05)  # let the click's handler start its request
            cdp.loaded = True  # a handler that calls an API does not load a new document
            cdp.settle(settings.quiet, min(settings.settle_timeout, deadline - time.monotonic()))
            page = snapshot(cdp, sid)
            if page.data == pages[-1].data:
                break
            pages.append(page)
        return pages


def renderer_for(fetcher: Fetcher, env: Mapping[str, str] = os.environ) -> Renderer | None:
    """Given the run's fetcher, return discovery's renderer (None without Chromium)."""
    chromium = find_chromium(env)
    if chromium is None:
        return None
    settings = BrowserSettings.from_env(env)

    def render(first: Page, max_pages: int) -> list[Page]:
        return render_listing(fetcher, chromium, settings, first, max_pages)

    return render
