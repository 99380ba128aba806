"""The ingestion flow: sources → fetch → extract → transform and check → load.

Thin wiring: every step is a call into sources/, extract/, transform/ or load/.
A source that fails at any stage becomes a `failures` row and the run goes on.

Where the work runs:
- fetches: a thread pool of this process (IO-bound; per-host limits in sources/http.py);
- extract + transform (`extract_transform`, CPU-bound): one Prefect task per document on
  the flow's task runner. Locally the task hands the document to a pool of limited worker
  processes (flows/workers.py: time and memory limits, parallel across cores); with
  `--runner dask` the task runs on Dask workers (prefect-dask), on one machine or many;
- load: this process only, in batches, one transaction each (DuckDB has one writer).
"""

from __future__ import annotations

import os
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.context import TaskRunContext
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from extract.dispatch import sniff_media_type
from flows import (
    progress,
    settings,  # noqa: F401  (Prefect defaults; flows/cli.py imports it first)
)
from flows.runreport import summary_to_markdown
from flows.workers import DEFAULT_TIMEOUT, Job, JobFailure, WorkerPool, run_in_process
from load.lock import lock_path_of, writer_lock
from load.rawstore import RawStore
from load.warehouse import Warehouse
from sources.discover import Missed, discover
from sources.errors import FetchError, HttpStatus, SourceError, UnsupportedSource
from sources.http import Fetcher, FetchSettings, Validators, filename_of
from sources.resolve import SourceItem, read_local, resolve_sources
from transform.frames import ReportFrames

LOAD_BATCH = int(os.environ.get("XXGK_LOAD_BATCH", "50"))
# Documents per extraction task: amortises Prefect's per-task-run bookkeeping.
EXTRACT_BATCH = int(os.environ.get("XXGK_EXTRACT_BATCH", "8"))
FETCH_WINDOW = 8  # fetches in flight at once (threads); the per-host limit is in sources/http.py


@dataclass
class Outcome:
    """What became of one source."""

    uri: str
    status: str  # valid | inconsistent | partial | failed | unchanged | kept
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
    # load.warehouse.KeptReading: re-reads not loaded because the loaded reading was better
    kept: list = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        progress.advanced(outcome)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[o.status] = out.get(o.status, 0) + 1
        return out


def _failed(uri: str, sha: str | None, stage: str, error: str, detail: str) -> Outcome:
    return Outcome(uri, "failed", sha, stage, error, detail)


@task(cache_policy=NONE)
def resolve(sources: list[str], db: str) -> list[SourceItem]:
    """Resolve SOURCE arguments, never taking the warehouse's own files for sources."""
    own = [Path(db), Path(f"{db}.wal"), lock_path_of(db), settings.raw_root_for(db)]
    return resolve_sources(sources, exclude=tuple(own))


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


# The run's pool of limited worker processes (local runner); None under Dask.
_POOL: WorkerPool | None = None


@contextmanager
def worker_pool(workers: int, timeout: float):
    """Run the block with this process's worker pool started (none when workers == 0)."""
    global _POOL
    _POOL = WorkerPool(workers, timeout) if workers > 0 else None
    try:
        yield
    finally:
        pool, _POOL = _POOL, None
        if pool is not None:
            pool.close()


@task(cache_policy=NONE)
def extract_transform(jobs: list[Job]) -> list[ReportFrames | JobFailure]:
    """Extract and transform a batch of documents: spread over the run's worker pool when
    there is one, else one after another here (a Dask worker, or --workers 0)."""
    if _POOL is not None:
        return [result for _, result in _POOL.map(jobs)]
    return run_in_process(jobs)


@task(cache_policy=NONE)
def load(
    db: str, batch: list[ReportFrames], force: bool = False
) -> tuple[int, list[Outcome], list]:
    """Load a batch in one transaction; if it fails, load one by one and report the failures.

    Returns rows written, failures, and the re-reads kept out because the loaded reading
    of the same file was better (`force` loads them anyway).
    """
    warehouse = Warehouse(db)
    try:
        result = warehouse.replace_reports(batch, force=force)
        return result.rows_written, [], list(result.kept)
    except Exception:
        written, failures, kept = 0, [], []
        for frames in batch:
            try:
                result = warehouse.replace_reports([frames], force=force)
                written += result.rows_written
                kept += result.kept
            except Exception as exc:
                uri, sha = frames.report["source_uri"], frames.report["sha256"]
                failures.append(_failed(uri, sha, "load", "load_error", _one_line(exc)))
        return written, failures, kept


def _one_line(exc: Exception) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno}" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _unchanged(loaded: dict, fetched: Fetched) -> tuple[str, int] | None:
    """Return the loaded agency-year if these exact bytes are already loaded under the same key."""
    keys = loaded.get(fetched.sha256, [])
    want_id, want_year = fetched.item.overrides.get("agency_id"), fetched.item.overrides.get("year")
    for agency_id, year in keys:
        if (want_id in (None, agency_id)) and (want_year in (None, year)):
            return agency_id, year
    return None


def _prior(states: dict, uri: str) -> Validators | None:
    """Given a source URI, return what we kept of its last good answer, for a conditional request."""
    state = states.get(uri)
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
    extract_window: int = 8,
    replace_worse: bool | None = None,
) -> Summary:
    """Push items through (discover →) fetch → extract → transform → load; every failure is recorded.

    `force` re-extracts sources already loaded; `replace_worse` (default: `force`) loads a
    re-read even when it is worse than the loaded reading of the same file.

    Fetches run up to FETCH_WINDOW at a time in a thread pool; extractions up to
    `extract_window` at a time on the flow's task runner; everything that touches the
    warehouse stays on this thread.
    """
    warehouse = Warehouse(db)
    summary = Summary()
    pending: list[tuple[ReportFrames, Outcome]] = []
    sources_seen: list[tuple[bool, dict]] = []  # `sources` rows, written with each load batch
    loaded, states = warehouse.loaded_keys(), warehouse.source_states()  # one query each per run
    batch: list[tuple[Fetched, Job]] = []  # documents waiting to be sent for extraction together
    extracting: deque[tuple[list[Fetched], object, float]] = deque()
    store = RawStore(raw_root)
    fetch_runner = ThreadPoolTaskRunner(max_workers=FETCH_WINDOW).__enter__()
    fetch_task = fetch
    if fetcher is not None:
        fetch_task = fetch.with_options(
            retries=fetcher.settings.retries,
            retry_delay_seconds=fetcher.settings.retry_delays(),
        )
    last_page: dict[str, Fetched] = {}  # the article page discovery fetched last

    def flush() -> None:
        if sources_seen:
            warehouse.record_sources(sources_seen)
            sources_seen.clear()
        if not pending:
            return
        # quote(): Prefect would otherwise walk every record of every report looking for futures.
        replace = force if replace_worse is None else replace_worse
        written, failures, kept = load(db, quote([f for f, _ in pending]), replace)
        summary.rows_written += written
        summary.kept += kept
        kept_keys = {((k.agency_id, k.year), k.sha256) for k in kept}
        failed = {f.uri for f in failures}
        for failure in failures:
            fail(failure)
        for _, o in pending:
            if (o.key, o.sha256) in kept_keys:
                o.status = "kept"
            if o.uri not in failed:
                summary.add(o)
        pending.clear()

    def fail(outcome: Outcome) -> None:
        warehouse.record_failure(
            outcome.uri, outcome.sha256, outcome.stage, outcome.error, outcome.detail
        )
        summary.add(outcome)

    def note_source(fetched: Fetched, role: str = "document", key=None) -> None:
        if fetched.item.kind == "stored":
            return  # a rerun reads the raw store, not the source: keep its validators
        sources_seen.append((fetched.failure is None, _source_row(fetched, role, key)))

    def get_page(url: str, via: str | None, role: str, listing: SourceItem) -> bytes:
        item = SourceItem(url, url=url, overrides=listing.overrides, kind=role, found_via=via)
        prior = _prior(states, url)
        fetched = _settle(item, lambda: fetch_task(item, raw_root, fetcher, prior))
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
        item = fetched.item
        if fetched.failure is not None:
            if item.found_via:
                fetched.failure.detail = f"{fetched.failure.detail} (found via {item.found_via})"
            note_source(fetched)
            fail(fetched.failure)
            return
        if not force:
            key = _unchanged(loaded, fetched)
            if key:
                note_source(fetched, key=key)
                summary.add(Outcome(item.uri, "unchanged", fetched.sha256, key=key))
                return
        name = fetched.filename or (item.path.name if item.path else item.uri)
        job = Job(
            item.uri, str(store.path_of(fetched.sha256)), name, fetched.sha256, dict(item.overrides)
        )
        batch.append((fetched, job))
        if len(batch) >= EXTRACT_BATCH:
            send_batch()

    def send_batch() -> None:
        """Send the waiting documents to extraction as one task (one Prefect task run per batch)."""
        if not batch:
            return
        jobs = [job for _, job in batch]
        future = extract_transform.submit(jobs)
        extracting.append(([fetched for fetched, _ in batch], future, time.perf_counter()))
        batch.clear()
        if len(extracting) >= extract_window:
            settle_extraction()

    def settle_extraction() -> None:
        batch_fetched, future, started = extracting.popleft()
        try:
            results = future.result()
        except Exception as exc:  # the task itself failed (a lost Dask worker, say)
            results = [
                JobFailure(f.item.uri, f.sha256, "extract", "internal_error", _one_line(exc))
                for f in batch_fetched
            ]
        seconds = (time.perf_counter() - started) / max(len(batch_fetched), 1)
        for fetched, result in zip(batch_fetched, results, strict=True):
            settle_document(fetched, result, seconds)

    def settle_document(fetched: Fetched, result, seconds: float) -> None:
        item = fetched.item
        if isinstance(result, JobFailure):
            via = f" (found via {item.found_via})" if item.found_via else ""
            outcome = _failed(
                item.uri, result.sha256, result.stage, result.error, result.detail + via
            )
            outcome.seconds = seconds
            note_source(fetched)
            fail(outcome)
            return
        note_source(fetched, key=result.key)
        outcome = Outcome(item.uri, result.report["status"], fetched.sha256, key=result.key)
        outcome.seconds = seconds
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
            if entry.url is None:  # a local file: read here, no task (retries are for HTTP)
                window.append((entry, fetch.fn(entry, raw_root)))
            else:
                prior = _prior(states, entry.uri)
                params = {"item": entry, "raw_root": raw_root, "fetcher": fetcher, "prior": prior}
                window.append((entry, fetch_runner.submit(fetch_task, params)))
        if len(window) >= FETCH_WINDOW:
            settle_oldest()
    try:
        while window:
            settle_oldest()
        send_batch()
        while extracting:
            settle_extraction()
        flush()
    finally:
        fetch_runner.__exit__(None, None, None)
    return summary


def _publish(summary: Summary, title: str) -> None:
    """Attach the run's Markdown summary to the flow run as a Prefect artifact."""
    try:
        create_markdown_artifact(
            markdown=summary_to_markdown(summary, title), key="xxgk-run-summary"
        )
    except Exception:  # an artifact is a courtesy: never fail a run over it
        pass


@flow(name="ingest", task_runner=ThreadPoolTaskRunner(max_workers=4))
def ingest(
    sources: list[str],
    db: str = settings.DEFAULT_DB,
    force: bool = False,
    workers: int = 2,
    doc_timeout: float = DEFAULT_TIMEOUT,
    wait: float = 30.0,
) -> Summary:
    """Ingest report files, folders, manifests (with discovery) and URLs into the warehouse at `db`.

    `workers` local processes extract documents (0: in this process; ignored under Dask),
    each document limited to `doc_timeout` seconds; a second run on the same warehouse
    waits up to `wait` seconds for the first to finish.
    """
    with writer_lock(db, wait, what="xxgk ingest"):
        Warehouse(db).ensure_schema()
        items = resolve(sources, db)
        progress.started(len(items))
        fetcher = Fetcher(FetchSettings.from_env()) if any(i.url for i in items) else None
        try:
            with worker_pool(_local_workers(workers), doc_timeout):
                summary = run_items(
                    items, db, str(settings.raw_root_for(db)), force, fetcher, _window(workers)
                )
        finally:
            if fetcher is not None:
                fetcher.close()
        if fetcher is not None:
            summary.http = dict(sorted(fetcher.requests.items()))
    _publish(summary, "xxgk ingest")
    return summary


@flow(name="rerun", task_runner=ThreadPoolTaskRunner(max_workers=4))
def rerun(
    agency_id: str,
    year: int | None = None,
    db: str = settings.DEFAULT_DB,
    workers: int = 2,
    doc_timeout: float = DEFAULT_TIMEOUT,
    wait: float = 30.0,
    force: bool = False,
) -> Summary:
    """Re-extract an agency's (or agency-year's) stored source files from the raw store and reload.

    A re-read worse than the loaded reading of the same file is not loaded unless `force`.
    """
    with writer_lock(db, wait, what="xxgk rerun"):
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
                            f"sha256 {src['sha256']} is not in the raw store {raw_root}",
                            "missing_raw",
                        ),
                    )
                )
        with worker_pool(_local_workers(workers), doc_timeout):
            summary = run_items(
                items, db, str(raw_root), True, None, _window(workers), replace_worse=force
            )
    _publish(summary, f"xxgk rerun {agency_id}")
    return summary


def _local_workers(workers: int) -> int:
    """Given the requested workers, return how many local worker processes to start (0 under Dask)."""
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    runner = getattr(ctx, "task_runner", None) if ctx else None
    return 0 if runner is not None and "Dask" in type(runner).__name__ else workers


def _window(workers: int) -> int:
    """Given the worker count, return how many documents to keep in extraction at once."""
    return max(4, 3 * max(workers, 1))


def runner_for(runner: str, workers: int, dask_address: str | None = None):
    """Given --runner local|dask, return the task runner extraction runs on."""
    if runner == "local":
        return ThreadPoolTaskRunner(max_workers=_window(workers))
    if runner != "dask":
        raise ValueError(f"unknown runner {runner!r}: local or dask")
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": max(workers, 1),
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
        }
    )


__all__ = ["ingest", "rerun", "runner_for", "Summary", "Outcome"]
