"""The ingestion pipeline as a library: `ingest` and `rerun` run resolve → (discover →)
fetch → extract and transform → load (flows/stages.py) and return a Summary.

Library first: `xxgk ingest` and `xxgk rerun` call these, and so do the Prefect flows
(flows/ingest.py), with `stages=prefect_stages`. By default the stages run here
(`PlainStages`: threads for fetching, the worker pool for extraction, plain calls for
loading), without importing Prefect.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.rawstore import RawStore
from flows import progress
from flows.records import Outcome, Pending, Run, StagesFactory, Summary
from flows.settings import RunOptions
from flows.stages import FETCH_WINDOW, run_items
from flows.workers import Job, WorkerPool, extract_batch
from load.batches import Loaded, load_batch
from load.lock import lock_path_of, writer_lock
from load.publish import publishing, work_paths
from load.warehouse import Warehouse
from sources.errors import SourceError
from sources.fetch import Fetched, fetch_with_retries
from sources.http import Fetcher, FetchSettings
from sources.resolve import MANIFEST_FIELDS, SourceItem, resolve_sources
from spec.failures import Failure
from spec.sources import Validators

if TYPE_CHECKING:
    from transform.frames import ReportRows

__all__ = ["ingest", "rerun", "RunOptions", "Summary", "Outcome", "plain_stages", "PlainStages"]


@dataclass(frozen=True)
class PlainStages:
    """The stages run here: fetches on threads with the FetchSettings retries, extraction
    batches on the worker pool (or in this process), loads as plain calls."""

    run: Run
    fetches: ThreadPoolExecutor
    extractions: ThreadPoolExecutor
    pool: WorkerPool | None

    def prestart(self) -> None:
        if self.pool is not None:
            self.pool.prestart()

    def fetch(self, item: SourceItem, prior: Validators | None) -> Pending[Fetched]:
        return self.fetches.submit(
            fetch_with_retries, item, self.run.raw_root, self.run.fetcher, prior
        )

    def extract(self, jobs: list[Job]) -> Pending[list[ReportRows | Failure]]:
        return self.extractions.submit(extract_batch, jobs, self.pool)

    def load(self, batch: list[ReportRows]) -> Loaded:
        return load_batch(self.run.db, batch, self.run.replace_worse)


@contextmanager
def worker_pool(workers: int, doc_timeout: float) -> Iterator[WorkerPool | None]:
    """Run the block with a pool of `workers` limited extraction processes (none for 0)."""
    if workers <= 0:
        yield None
        return
    with WorkerPool(workers, doc_timeout) as pool:
        yield pool


@contextmanager
def plain_stages(run: Run, workers: int, doc_timeout: float) -> Iterator[PlainStages]:
    """Run the block with the threads and worker processes of PlainStages."""
    with (
        ThreadPoolExecutor(FETCH_WINDOW, thread_name_prefix="xxgk-fetch") as fetches,
        ThreadPoolExecutor(run.extract_window, thread_name_prefix="xxgk-extract") as extractions,
        worker_pool(workers, doc_timeout) as pool,
    ):
        yield PlainStages(run, fetches, extractions, pool)


def extract_window(workers: int) -> int:
    """Given the worker count, return how many extraction batches to keep in flight."""
    return max(4, 3 * max(workers, 1))


@contextmanager
def fetcher_for(items: list[SourceItem]) -> Iterator[Fetcher | None]:
    """Run the block with an HTTP client when some item is a URL (none otherwise)."""
    if not any(item.url for item in items):
        yield None
        return
    fetcher = Fetcher(FetchSettings.from_env())
    try:
        yield fetcher
    finally:
        fetcher.close()


def resolve_items(sources: list[str], options: RunOptions) -> list[SourceItem]:
    """Resolve SOURCE arguments, never taking the warehouse's own files for sources."""
    db = options.db
    own = (
        Path(db),
        Path(f"{db}.wal"),
        lock_path_of(db),
        options.raw_root,
        work_paths(db).work.parent,
    )
    return resolve_sources(sources, exclude=own)


def open_warehouse(db: str | Path) -> Warehouse:
    warehouse = Warehouse(db)
    warehouse.ensure_schema()
    return warehouse


def expects_work(items: list[SourceItem], run: Run) -> bool:
    """Tell whether some item will likely need extracting: forced, or a source never seen."""
    return run.force or any(item.uri not in run.states for item in items if item.error is None)


def pool_size(items: list[SourceItem], workers: int) -> int:
    """Given the items and the workers asked for, return how many worker processes to start:
    no more than there are documents (a listing may hold any number)."""
    if any(item.kind == "listing" for item in items):
        return workers
    return min(workers, len(items))


def run_with(
    items: list[SourceItem],
    warehouse: Warehouse,
    options: RunOptions,
    stages: StagesFactory,
    *,
    reextract: bool = False,
) -> Summary:
    """Given resolved items, an open warehouse (the run's working copy) and the run's options,
    run them through the stages and return the Summary (with the HTTP answers). Bytes
    already loaded are extracted again when `reextract` or `options.force`; a re-read worse
    than the loaded reading of the same file is kept out unless `options.force`."""
    progress.started(len(items))
    with fetcher_for(items) as fetcher:
        run = Run(
            str(warehouse.path),
            str(options.raw_root),
            reextract or options.force,
            fetcher,
            warehouse.loaded_keys(),  # one query each per run
            warehouse.source_states(),
            extract_window(options.workers),
            options.force,
        )
        with stages(run, pool_size(items, options.workers), options.doc_timeout) as running:
            if expects_work(items, run):
                running.prestart()
            summary = run_items(items, run, running, warehouse)
        if fetcher is not None:
            summary.http = dict(sorted(fetcher.requests.items()))
    return summary


def ingest(
    sources: list[str],
    options: RunOptions = RunOptions(),
    *,
    stages: StagesFactory = plain_stages,
) -> Summary:
    """Ingest report files, folders, manifests (with discovery) and URLs into the warehouse at
    `options.db`.

    `options.workers` local processes extract documents (0: in this process), each limited
    to `options.doc_timeout` seconds; a second run on the same warehouse waits up to
    `options.wait` seconds for the first. Sources whose bytes are already loaded are skipped
    unless `options.force`. `stages` says where the work runs (default: here, without
    Prefect). The run loads a working copy and publishes it over the warehouse at the end
    (load/publish.py).
    """
    db = options.db
    with writer_lock(db, options.wait, what="xxgk ingest"), publishing(db) as work:
        warehouse = open_warehouse(work)
        return run_with(resolve_items(sources, options), warehouse, options, stages)


def stored_items(sources: list[dict[str, Any]], store: RawStore) -> list[SourceItem]:
    """Given the sources of loaded reports, return items that read them from the raw store."""
    items = []
    for src in sources:
        overrides = {k: src[k] for k in MANIFEST_FIELDS if src.get(k)}
        uri, sha = src["source_uri"], src["sha256"]
        if sha in store:
            path = store.path_of(sha)
            items.append(SourceItem(uri, path=path, overrides=overrides, kind="stored"))
        else:
            missing = SourceError(
                f"sha256 {sha} is not in the raw store {store.root}", "missing_raw"
            )
            items.append(SourceItem(uri, overrides=overrides, error=missing))
    return items


def rerun(
    agency_id: str,
    year: int | None = None,
    options: RunOptions = RunOptions(),
    *,
    stages: StagesFactory = plain_stages,
) -> Summary:
    """Re-extract an agency's (or agency-year's) stored source files from the raw store and
    reload them; no request is made. A re-read worse than the loaded reading of the same
    file is not loaded (it is recorded in `report_attempts`) unless `options.force`."""
    db = options.db
    with writer_lock(db, options.wait, what="xxgk rerun"), publishing(db) as work:
        warehouse = open_warehouse(work)
        store = RawStore(options.raw_root)
        items = stored_items(warehouse.sources_of_agency(agency_id, year), store)
        return run_with(items, warehouse, options, stages, reextract=True)
