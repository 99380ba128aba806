"""The fetch stage: a source's bytes, kept in the raw store before anything else reads them.

`fetch_attempt` is one try. A transient error (5xx, 429, timeout, reset, refused) is
raised while retries are left so the caller can retry; any other error, or the last
transient one, becomes the `Fetched.failure`. Retrying follows one policy,
`FetchSettings.retries` tries after the first with `FetchSettings.retry_delays()`:
Prefect task retries under Prefect (flows/ingest.py), `fetch_with_retries` here
without it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from common.media import sniff_media_type
from common.rawstore import RawStore
from sources.errors import FetchError, HttpStatus, SourceError, UnsupportedSource
from sources.http import Download, Fetcher, filename_of
from sources.resolve import SourceItem, read_local
from spec.failures import Failure
from spec.kinds import SourceRole
from spec.sources import SourceRow, Validators


@dataclass(frozen=True)
class Fetched:
    """A source's answer: its bytes (kept in the raw store under `sha256`) and validators,
    or its failure."""

    item: SourceItem
    data: bytes | None = None  # None once handed on: `read_bytes` takes them from the store
    sha256: str | None = None  # what the bytes are kept under in the raw store
    filename: str | None = None  # from the last hop's URL or its Content-Disposition
    media_type: str | None = None  # sniffed from the bytes, not the Content-Type
    http_status: int | None = None  # None for a local file
    etag: str | None = None  # this and last_modified: for the next conditional request
    last_modified: str | None = None
    failure: Failure | None = None
    final_url: str | None = None  # the URL that answered, after redirects

    def as_item(self, item: SourceItem) -> Fetched:
        """Return this answer as the answer to another item (a discovered article page)."""
        return replace(self, item=item)

    def stored_sha256(self) -> str:
        """Return the sha256 its bytes are kept under in the raw store; raise ValueError for
        a failed answer (it has none)."""
        if self.sha256 is None:
            raise ValueError(f"{self.item.uri} has no bytes in the raw store (a failed fetch)")
        return self.sha256

    def validators(self) -> Validators:
        """Return what a later conditional request needs of this answer (and what it kept)."""
        return Validators(self.etag, self.last_modified, self.sha256, self.media_type)


def is_transient(exc: BaseException) -> bool:
    """Tell whether an error is worth another try (the one retry condition, with or without Prefect)."""
    return bool(getattr(exc, "transient", False))


def failed(item: SourceItem, error: SourceError) -> Fetched:
    """Given an item and the error that stopped it, return its failed answer."""
    status = error.status if isinstance(error, HttpStatus) else None
    failure = Failure(item.uri, "fetch", error.code, error.detail, found_via=item.found_via)
    return Fetched(item, http_status=status, failure=failure)


def local_to_fetched(item: SourceItem, store: RawStore) -> Fetched:
    """Given a local file's item, return its bytes kept in the store; raise SourceError."""
    data, name = read_local(item), filename_of(item.uri)
    return Fetched(item, data, store.put(data), name, sniff_media_type(data, name))


def download_to_fetched(
    item: SourceItem, url: str, store: RawStore, fetcher: Fetcher, prior: Validators | None
) -> Fetched:
    """Given a URL's item and what we kept of it, return its bytes kept in the store; raise FetchError.

    A 304 takes the bytes from the raw store; if they are gone, the URL is asked again
    without validators.
    """
    download = fetcher.get(url, prior)
    if download.not_modified and prior and prior.sha256 and prior.sha256 in store:
        return not_modified(item, download, prior, prior.sha256, store)
    if download.not_modified:  # the kept bytes are gone: ask again, unconditionally
        download = fetcher.get(url)
    data = download.data
    if data is None:  # Fetcher.get answers 304 to a conditional request only
        raise HttpStatus(304, f"HTTP 304 from {url} to an unconditional request")
    return Fetched(
        item,
        data,
        store.put(data),
        download.filename,
        sniff_media_type(data, download.filename),
        download.status,
        download.etag,
        download.last_modified,
        final_url=download.url or url,
    )


def not_modified(
    item: SourceItem, download: Download, prior: Validators, kept: str, store: RawStore
) -> Fetched:
    """Given a 304, what we kept and the sha256 of the bytes kept, return the Fetched of the
    bytes in the store (not read again when their type is known: `data` is then None,
    `read_bytes` reads them)."""
    data: bytes | None = None
    if prior.media_type:
        media_type = prior.media_type
    else:
        data = store.get(kept)
        media_type = sniff_media_type(data, download.filename)
    return Fetched(
        item,
        data,
        kept,
        download.filename,
        media_type,
        download.status,
        download.etag or prior.etag,
        download.last_modified or prior.last_modified,
        final_url=download.url or item.url,
    )


def read_bytes(fetched: Fetched, raw_root: str) -> bytes:
    """Given a good Fetched, return its bytes (from the raw store if it does not carry them)."""
    if fetched.data is not None:
        return fetched.data
    return RawStore(raw_root).get(fetched.stored_sha256())


def fetch_attempt(
    item: SourceItem,
    raw_root: str,
    fetcher: Fetcher | None = None,
    prior: Validators | None = None,
    retry_left: bool = False,
) -> Fetched:
    """Given a source, try once to get its bytes into the raw store and return its Fetched.

    A transient FetchError is raised when `retry_left`; every other error is the failure.
    """
    if item.error:
        return failed(item, item.error)
    store = RawStore(raw_root)
    try:
        if item.path is not None:
            return local_to_fetched(item, store)
        if item.url is None:
            raise UnsupportedSource(f"{item.uri} is neither a local file nor a URL")
        if fetcher is None:
            raise UnsupportedSource(f"fetching {item.url} needs a Fetcher")
        return download_to_fetched(item, item.url, store, fetcher, prior)
    except FetchError as exc:
        if retry_left and is_transient(exc):
            raise
        return failed(item, exc)
    except SourceError as exc:
        return failed(item, exc)


def retrying(
    attempt: Callable[[bool], Fetched],
    delays: list[float],
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """Given one try (called with whether a retry is left) and the delays before each retry,
    return the first answer; a transient error raised by a try waits its delay and tries again."""
    for delay in delays:
        try:
            return attempt(True)
        except FetchError as exc:
            if not is_transient(exc):
                raise
            sleep(delay)
    return attempt(False)


def fetch_with_retries(
    item: SourceItem,
    raw_root: str,
    fetcher: Fetcher | None = None,
    prior: Validators | None = None,
) -> Fetched:
    """Given a source, return its Fetched after the retries of `fetcher.settings` (no Prefect)."""
    delays = fetcher.settings.retry_delays() if fetcher and item.url else []
    return retrying(lambda left: fetch_attempt(item, raw_root, fetcher, prior, left), delays)


def source_row(fetched: Fetched, role: SourceRole, key: tuple[str, int] | None = None) -> SourceRow:
    """Given a fetched source, return its `sources` row; `key` (the agency-year loaded) wins."""
    item = fetched.item
    agency_id, year = key or (item.overrides.get("agency_id"), item.overrides.get("year"))
    source = (item.uri, role, agency_id, year, item.found_via, item.portal, fetched.http_status)
    if fetched.failure:
        return SourceRow(*source, None, None, fetched.failure.error)
    return SourceRow(*source, fetched.final_url, fetched.validators())
