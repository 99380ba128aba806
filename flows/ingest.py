"""The ingestion flow: sources → fetch → extract → transform and check → load.

Thin wiring: every step is a call into sources/, extract/, transform/ or load/.
A source that fails at any stage becomes a `failures` row and the run goes on.
"""

from __future__ import annotations

import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from prefect import flow, task
from prefect.cache_policies import NONE
from prefect.context import TaskRunContext

from extract.dispatch import extract_document, sniff_media_type
from extract.errors import ExtractError
from extract.records import Report
from flows import settings  # noqa: F401  (sets Prefect defaults before prefect is imported)
from load.rawstore import RawStore, sha256_of
from load.warehouse import Warehouse
from sources.discover import Missed, discover
from sources.errors import FetchError, HttpStatus, SourceError, UnsupportedSource
from sources.http import Fetcher, FetchSettings, Validators, filename_of
from sources.resolve import SourceItem, read_local, resolve_sources
from transform.errors import MissingKey
from transform.frames import ReportFrames, SourceMeta, report_to_frames

LOAD_BATCH = 50
FETCH_WINDOW = 8  # fetches in flight at once (threads); the per-host limit is in sources/http.py


@dataclass
class Outcome:
    """What became of one source."""

    uri: str
    status: str  # valid | inconsistent | partial | failed | unchanged
    sha256: str | None = None
    stage: str | None = None
    error: str | None = None
    detail: str | None = None
    key: tuple[str, int] | None = None
    seconds: float = 0.0


@dataclass
class Fetched:
    item: SourceItem
    data: bytes | None = None
    sha256: str | None = None
    failure: Outcome | None = None
    filename: str | None = None
    media_type: str | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    rows_written: int = 0
    http: dict[str, int] = field(default_factory=dict)  # answers by status or error code

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[o.status] = out.get(o.status, 0) + 1
        return out


def _failed(uri: str, sha: str | None, stage: str, error: str, detail: str) -> Outcome:
    return Outcome(uri, "failed", sha, stage, error, detail)


@task(cache_policy=NONE)
def resolve(sources: list[str]) -> list[SourceItem]:
    return resolve_sources(sources)


def _is_transient(task, task_run, state) -> bool:
    """Prefect retry condition: retry a fetch only on a transient error (5xx, timeout, reset)."""
    exc = state.result(raise_on_failure=False)
    return bool(getattr(exc, "transient", False))


def _retries_left() -> bool:
    """Tell whether the running task run will be retried if it fails now."""
    ctx = TaskRunContext.get()
    if ctx is None or ctx.task_run is None:
        return False
    return ctx.task_run.run_count <= ctx.task.retries


@task(cache_policy=NONE, retry_condition_fn=_is_transient)
def fetch(
    item: SourceItem,
    raw_root: str,
    fetcher: Fetcher | None = None,
    prior: Validators | None = None,
) -> Fetched:
    """Read a source's bytes and keep them in the raw store before anything else.

    A transient fetch error is raised while retries are left (Prefect retries the task);
    any other, or the last, becomes `failure`.
    """
    if item.error:
        return Fetched(
            item, failure=_failed(item.uri, None, "fetch", item.error.code, item.error.detail)
        )
    store = RawStore(raw_root)
    try:
        if item.path is not None:
            data, name = read_local(item), filename_of(item.uri)
            return Fetched(item, data, store.put(data), None, name, sniff_media_type(data, name))
        if fetcher is None:
            raise UnsupportedSource(f"fetching {item.url} needs a Fetcher")
        download = fetcher.get(item.url, prior)
        if download.not_modified and prior and prior.sha256 in store:
            data = store.get(prior.sha256)
        elif download.not_modified:  # the kept bytes are gone: ask again, unconditionally
            download = fetcher.get(item.url)
            data = download.data
        else:
            data = download.data
    except FetchError as exc:
        if exc.transient and _retries_left():
            raise  # Prefect retries the task after its backoff
        return Fetched(
            item,
            failure=_failed(item.uri, None, "fetch", exc.code, exc.detail),
            http_status=getattr(exc, "status", None),
        )
    except SourceError as exc:
        return Fetched(item, failure=_failed(item.uri, None, "fetch", exc.code, exc.detail))
    return Fetched(
        item,
        data,
        store.put(data),
        None,
        download.filename,
        sniff_media_type(data, download.filename),
        download.status,
        download.etag or (prior.etag if prior and download.not_modified else None),
        download.last_modified
        or (prior.last_modified if prior and download.not_modified else None),
    )


@task(cache_policy=NONE)
def extract(fetched: Fetched) -> Report | Outcome:
    """Extract a report from fetched bytes, or say why not."""
    name = fetched.filename or (fetched.item.path.name if fetched.item.path else fetched.item.uri)
    try:
        return extract_document(fetched.data, name)
    except ExtractError as exc:
        return _failed(fetched.item.uri, fetched.sha256, "extract", exc.code, exc.detail)
    except Exception as exc:  # an extractor bug must not stop the run
        return _failed(
            fetched.item.uri, fetched.sha256, "extract", "internal_error", _one_line(exc)
        )


@task(cache_policy=NONE)
def transform(report: Report, fetched: Fetched) -> ReportFrames | Outcome:
    """Turn a report into long frames with checks and status, or say why not."""
    meta = SourceMeta(fetched.item.uri, fetched.sha256, **fetched.item.overrides)
    try:
        return report_to_frames(report, meta)
    except MissingKey as exc:
        return _failed(fetched.item.uri, fetched.sha256, "transform", exc.code, exc.detail)
    except Exception as exc:
        return _failed(
            fetched.item.uri, fetched.sha256, "transform", "internal_error", _one_line(exc)
        )


@task(cache_policy=NONE)
def load(db: str, batch: list[ReportFrames]) -> tuple[int, list[Outcome]]:
    """Load a batch in one transaction; if it fails, load one by one and report the failures."""
    warehouse = Warehouse(db)
    try:
        return warehouse.replace_reports(batch), []
    except Exception:
        written, failures = 0, []
        for frames in batch:
            try:
                written += warehouse.replace_reports([frames])
            except Exception as exc:
                uri, sha = frames.report["source_uri"], frames.report["sha256"]
                failures.append(_failed(uri, sha, "load", "load_error", _one_line(exc)))
        return written, failures


def _one_line(exc: Exception) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno}" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _unchanged(warehouse: Warehouse, fetched: Fetched) -> tuple[str, int] | None:
    """Return the loaded agency-year if these exact bytes are already loaded under the same key."""
    keys = warehouse.loaded_keys_for_sha(fetched.sha256)
    want_id, want_year = fetched.item.overrides.get("agency_id"), fetched.item.overrides.get("year")
    for agency_id, year in keys:
        if (want_id in (None, agency_id)) and (want_year in (None, year)):
            return agency_id, year
    return None


def _prior(warehouse: Warehouse, uri: str) -> Validators | None:
    """Given a source URI, return what we kept of its last good answer, for a conditional request."""
    state = warehouse.source_state(uri)
    return Validators(**state) if state else None


def _source_row(fetched: Fetched, role: str, key: tuple[str, int] | None = None) -> dict:
    """Given a fetched source, return its `sources` row; `key` (agency-year loaded) wins."""
    item = fetched.item
    agency_id, year = key or (item.overrides.get("agency_id"), item.overrides.get("year"))
    row = {
        "uri": item.uri,
        "agency_id": agency_id,
        "year": year,
        "http_status": fetched.http_status,
        "found_via": item.found_via,
        "role": role,
    }
    if fetched.failure:
        return {**row, "error": fetched.failure.error}
    return {
        **row,
        "etag": fetched.etag,
        "last_modified": fetched.last_modified,
        "sha256": fetched.sha256,
        "media_type": fetched.media_type,
    }


def _settle(item: SourceItem, call) -> Fetched:
    """Given an item and a call returning its Fetched, return it; an error after the last retry
    becomes the item's failure."""
    try:
        return call()
    except FetchError as exc:  # transient, and the retries are spent
        return Fetched(
            item,
            failure=_failed(item.uri, None, "fetch", exc.code, exc.detail),
            http_status=exc.status if isinstance(exc, HttpStatus) else None,
        )
    except Exception as exc:
        return Fetched(
            item, failure=_failed(item.uri, None, "fetch", "internal_error", _one_line(exc))
        )


def run_items(
    items: Iterable[SourceItem],
    db: str,
    raw_root: str,
    force: bool,
    fetcher: Fetcher | None = None,
) -> Summary:
    """Push items through (discover →) fetch → extract → transform → load; every failure is recorded.

    Fetches run up to FETCH_WINDOW at a time in Prefect's thread pool; everything that
    touches the warehouse stays on this thread.
    """
    warehouse = Warehouse(db)
    summary = Summary()
    pending: list[tuple[ReportFrames, Outcome]] = []
    fetch_task = fetch
    if fetcher is not None:
        fetch_task = fetch.with_options(
            retries=fetcher.settings.retries,
            retry_delay_seconds=fetcher.settings.retry_delays(),
        )
    last_page: dict[str, Fetched] = {}  # the article page discovery fetched last

    def flush() -> None:
        if not pending:
            return
        written, failures = load(db, [f for f, _ in pending])
        summary.rows_written += written
        failed = {f.uri for f in failures}
        for failure in failures:
            fail(failure)
        summary.outcomes.extend(o for _, o in pending if o.uri not in failed)
        pending.clear()

    def fail(outcome: Outcome) -> None:
        warehouse.record_failure(
            outcome.uri, outcome.sha256, outcome.stage, outcome.error, outcome.detail
        )
        summary.outcomes.append(outcome)

    def note_source(fetched: Fetched, role: str = "document", key=None) -> None:
        if fetched.item.kind == "stored":
            return  # a rerun reads the raw store, not the source: keep its validators
        if fetched.failure:
            warehouse.record_source_failure(_source_row(fetched, role))
        else:
            warehouse.record_source(_source_row(fetched, role, key))

    def get_page(url: str, via: str | None, role: str, listing: SourceItem) -> bytes:
        item = SourceItem(url, url=url, overrides=listing.overrides, kind=role, found_via=via)
        fetched = _settle(item, lambda: fetch_task(item, raw_root, fetcher, _prior(warehouse, url)))
        note_source(fetched, role)
        if fetched.failure:
            raise SourceError(fetched.failure.detail, fetched.failure.error)
        last_page.clear()
        last_page[url] = fetched
        return fetched.data

    def expand(items: Iterable[SourceItem]) -> Iterator[SourceItem | Fetched]:
        for item in items:
            if item.kind != "listing":
                yield item
                continue
            if fetcher is None:
                yield SourceItem(item.uri, error=UnsupportedSource("discovery needs a Fetcher"))
                continue
            for found in discover(
                item.url,
                lambda url, via, role, listing=item: get_page(url, via, role, listing),
                year=item.overrides.get("year"),
                max_pages=fetcher.settings.max_pages,
            ):
                if isinstance(found, Missed):
                    via = f" (found via {found.found_via})" if found.found_via else ""
                    stage = "fetch" if found.error.code != "nothing_discovered" else "discover"
                    fail(
                        _failed(found.url, None, stage, found.error.code, found.error.detail + via)
                    )
                    continue
                doc = SourceItem(
                    found.url, url=found.url, overrides=item.overrides, found_via=found.found_via
                )
                if found.role == "article" and found.url in last_page:
                    page = last_page.pop(found.url)  # the article is the report: no second request
                    page.item = doc
                    yield page
                else:
                    yield doc

    def process(fetched: Fetched) -> None:
        started = time.perf_counter()
        item = fetched.item
        result: Report | ReportFrames | Outcome | None = fetched.failure
        if result is not None and item.found_via:
            result.detail = f"{result.detail} (found via {item.found_via})"
        if result is None and not force:
            key = _unchanged(warehouse, fetched)
            if key:
                note_source(fetched, key=key)
                summary.outcomes.append(Outcome(item.uri, "unchanged", fetched.sha256, key=key))
                return
        if result is None:
            result = extract(fetched)
        if isinstance(result, Report):
            result = transform(result, fetched)
        if isinstance(result, Outcome):
            result.seconds = time.perf_counter() - started
            note_source(fetched)
            fail(result)
            return
        note_source(fetched, key=result.key)
        outcome = Outcome(item.uri, result.report["status"], fetched.sha256, key=result.key)
        outcome.seconds = time.perf_counter() - started
        pending.append((result, outcome))
        if len(pending) >= LOAD_BATCH:
            flush()

    window: deque[tuple[SourceItem, object]] = deque()

    def settle_oldest() -> None:
        item, future = window.popleft()
        if isinstance(future, Fetched):
            process(future)
        else:
            process(_settle(item, future.result))

    for entry in expand(items):
        if isinstance(entry, Fetched):
            window.append((entry.item, entry))
        else:
            prior = _prior(warehouse, entry.uri) if entry.url else None
            window.append((entry, fetch_task.submit(entry, raw_root, fetcher, prior)))
        if len(window) >= FETCH_WINDOW:
            settle_oldest()
    while window:
        settle_oldest()
    flush()
    return summary


@flow(name="ingest")
def ingest(sources: list[str], db: str = settings.DEFAULT_DB, force: bool = False) -> Summary:
    """Ingest report files, folders, manifests (with discovery) and URLs into the warehouse at `db`."""
    Warehouse(db).ensure_schema()
    items = resolve(sources)
    fetcher = Fetcher(FetchSettings.from_env()) if any(i.url for i in items) else None
    try:
        summary = run_items(items, db, str(settings.raw_root_for(db)), force, fetcher)
    finally:
        if fetcher is not None:
            fetcher.close()
    if fetcher is not None:
        summary.http = dict(sorted(fetcher.requests.items()))
    return summary


@flow(name="rerun")
def rerun(agency_id: str, year: int | None = None, db: str = settings.DEFAULT_DB) -> Summary:
    """Re-extract an agency's (or agency-year's) stored source files from the raw store and reload."""
    warehouse = Warehouse(db)
    warehouse.ensure_schema()
    raw_root = settings.raw_root_for(db)
    store = RawStore(raw_root)
    items = []
    for src in warehouse.sources_of_agency(agency_id, year):
        overrides = {
            k: src[k]
            for k in ("agency_id", "agency_name", "region_code", "level", "year")
            if src.get(k)
        }
        if src["sha256"] in store:
            items.append(
                SourceItem(
                    src["source_uri"],
                    path=store.path_of(src["sha256"]),
                    overrides=overrides,
                    kind="stored",
                )
            )
        else:
            items.append(
                SourceItem(
                    src["source_uri"],
                    overrides=overrides,
                    error=SourceError(
                        f"sha256 {src['sha256']} is not in the raw store {raw_root}", "missing_raw"
                    ),
                )
            )
    return run_items(items, db, str(raw_root), force=True)


__all__ = ["ingest", "rerun", "Summary", "Outcome", "sha256_of"]
