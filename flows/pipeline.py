"""The ingestion pipeline as plain functions: resolve → (discover →) fetch → extract and
transform → load. Library first: `xxgk ingest` and `xxgk rerun` call `ingest` and
`rerun` here, and so does the Prefect flow (flows/ingest.py).

The stages are generators over one stream of records, chained top-down in `run_items`:

    items → discover_listings → fetch_documents → triage → extract_documents → load_settled
            SourceItem|Fetched  Fetched           ToExtract  Settled             Summary
            |Settled            |Settled          |Settled

Each stage turns its own record type into the next and passes the others on; a source
ends as one `Settled` record (its outcome, its `sources` row, its report if extracted).
Where a stage's work runs is the `Stages` object's business: `PlainStages` here
(threads, the worker pool, plain calls; no Prefect imported), or the same functions as
Prefect tasks (flows/ingest.py `prefect_stages`). The work has one code path either way.

Where the work runs:
- fetches: up to FETCH_WINDOW at a time on threads (IO-bound; per-host limits in
  sources/http.py); local files are read in the stream, no thread;
- extract + transform (CPU-bound): batches of EXTRACT_BATCH documents handed to a pool of
  limited worker processes (flows/workers.py), or to Dask workers under Prefect;
- load: this process only, in batches of LOAD_BATCH, one transaction each.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from flows import progress, settings
from flows.workers import DEFAULT_TIMEOUT, Job, JobFailure, WorkerPool, extract_batch
from load.batches import Loaded, load_batch, one_line
from load.lock import lock_path_of, writer_lock
from load.rawstore import RawStore
from load.warehouse import Warehouse
from sources.discover import Missed, discover
from sources.errors import DiscoveryError, SourceError, UnsupportedSource
from sources.fetch import (
    Fetched,
    FetchFailure,
    failed,
    fetch_attempt,
    fetch_with_retries,
    read_bytes,
)
from sources.fetch import source_row as fetched_to_source_row
from sources.http import Fetcher, FetchSettings, Validators
from sources.resolve import SourceItem, resolve_sources

if TYPE_CHECKING:
    from transform.frames import ReportFrames

LOAD_BATCH = int(os.environ.get("XXGK_LOAD_BATCH", "50"))
# Documents per extraction task: amortises Prefect's per-task-run bookkeeping.
EXTRACT_BATCH = int(os.environ.get("XXGK_EXTRACT_BATCH", "8"))
FETCH_WINDOW = 8  # fetches in flight at once (threads); the per-host limit is in sources/http.py
# `sources` rows written per transaction when no report comes along (a quiet night)
SOURCES_BATCH = int(os.environ.get("XXGK_SOURCES_BATCH", "5000"))


# ------------------------------------------------------------------ records


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
class Summary:
    """What a run did: an outcome per source, rows written, HTTP answers by status or error."""

    outcomes: list[Outcome] = field(default_factory=list)
    rows_written: int = 0
    http: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        progress.advanced(outcome)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[o.status] = out.get(o.status, 0) + 1
        return out


@dataclass(frozen=True)
class Settled:
    """A source's last word in the stream: its outcome (none for a listing or article page),
    its `sources` row as (answered well, row) (none for a rerun's stored file), and its
    report when one was extracted."""

    outcome: Outcome | None = None
    source: tuple[bool, dict] | None = None
    frames: ReportFrames | None = None


@dataclass(frozen=True)
class ToExtract:
    """A fetched document that needs extracting, and the job that says where its bytes are."""

    fetched: Fetched
    job: Job


@dataclass(frozen=True)
class Run:
    """What every stage of one run reads: where things are, and the warehouse as the run began."""

    db: str
    raw_root: str
    force: bool = False
    fetcher: Fetcher | None = None
    loaded: Mapping[str, list[tuple[str, int]]] = field(default_factory=dict)  # sha -> keys
    states: Mapping[str, dict] = field(default_factory=dict)  # uri -> validators
    extract_window: int = 4  # extraction batches in flight

    def prior(self, uri: str) -> Validators | None:
        """Given a source URI, return what we kept of its last good answer."""
        state = self.states.get(uri)
        return Validators(**state) if state else None

    def unchanged_key(self, fetched: Fetched) -> tuple[str, int] | None:
        """Return the agency-year these exact bytes are already loaded under, if the source's
        manifest values agree with it."""
        overrides = fetched.item.overrides
        want_id, want_year = overrides.get("agency_id"), overrides.get("year")
        for agency_id, year in self.loaded.get(fetched.sha256, []):
            if want_id in (None, agency_id) and want_year in (None, year):
                return agency_id, year
        return None


class Pending(Protocol):
    """A stage's work under way: a concurrent.futures.Future or a PrefectFuture."""

    def result(self): ...


class Stages(Protocol):
    """How the stages' work is run: here (PlainStages) or as Prefect tasks."""

    def fetch(self, item: SourceItem, prior: Validators | None) -> Pending: ...

    def extract(self, jobs: list[Job]) -> Pending: ...

    def load(self, batch: list[ReportFrames]) -> Loaded: ...


StagesFactory = Callable[[Run, int, float], AbstractContextManager[Stages]]


# ------------------------------------------------------------------ stages


def failed_outcome(item: SourceItem, sha: str | None, stage: str, code: str, detail: str):
    """Given a source that yielded nothing, return its failed Outcome (naming the page that led
    to it)."""
    via = f" (found via {item.found_via})" if item.found_via else ""
    return Outcome(item.uri, "failed", sha, stage, code, detail + via)


def note_source(fetched: Fetched, role: str = "document", key=None) -> tuple[bool, dict] | None:
    """Given a fetched source, return its `sources` row; none for a rerun (it keeps its validators)."""
    if fetched.item.kind == "stored":
        return None
    return fetched.failure is None, fetched_to_source_row(fetched, role, key)


def settle_fetch(item: SourceItem, get: Callable[[], Fetched]) -> Fetched:
    """Given an item and a call returning its Fetched, return it; an error raised after the last
    retry, or any unexpected one, becomes the item's failure."""
    try:
        return get()
    except SourceError as exc:  # transient, and the (Prefect) retries are spent
        return failed(item, exc)
    except Exception as exc:
        return Fetched(item, failure=FetchFailure("internal_error", one_line(exc)))


class PageGetter:
    """Discovery's page getter: fetch a listing or article page, keeping each answer so that
    the stream can record it."""

    def __init__(self, listing: SourceItem, run: Run, stages: Stages):
        self.listing, self.run, self.stages = listing, run, stages
        self.answers: list[Fetched] = []

    def __call__(self, url: str, via: str | None, role: str) -> bytes:
        item = SourceItem(url, url=url, overrides=self.listing.overrides, kind=role, found_via=via)
        fetched = settle_fetch(item, self.stages.fetch(item, self.run.prior(url)).result)
        self.answers.append(fetched)
        if fetched.failure:
            raise SourceError(fetched.failure.detail, fetched.failure.code)
        return read_bytes(fetched, self.run.raw_root)

    def drain(self) -> list[Fetched]:
        """Return the pages fetched since the last drain, oldest first."""
        answers, self.answers = self.answers, []
        return answers


def missed_to_outcome(missed: Missed) -> Outcome:
    """Given a page or file discovery could not get, return its failed Outcome."""
    via = f" (found via {missed.found_via})" if missed.found_via else ""
    stage = "discover" if isinstance(missed.error, DiscoveryError) else "fetch"
    return Outcome(missed.url, "failed", None, stage, missed.error.code, missed.error.detail + via)


def listing_to_documents(
    listing: SourceItem, run: Run, stages: Stages
) -> Iterator[SourceItem | Fetched | Settled]:
    """Given a listing, yield the documents discovery finds, each page fetched on the way
    (as Settled), and what it missed."""
    get_page = PageGetter(listing, run, stages)
    max_pages = run.fetcher.settings.max_pages
    year = listing.overrides.get("year")
    for found in discover(listing.url, get_page, year=year, max_pages=max_pages):
        pages = get_page.drain()
        yield from (Settled(source=note_source(page, page.item.kind)) for page in pages)
        if isinstance(found, Missed):
            yield Settled(missed_to_outcome(found))
            continue
        doc = SourceItem(
            found.url, url=found.url, overrides=listing.overrides, found_via=found.found_via
        )
        if found.role == "article" and pages and pages[-1].item.uri == found.url:
            yield pages[-1].as_item(doc)  # the article is the report: no second request
        else:
            yield doc


def discover_listings(
    items: Iterable[SourceItem], run: Run, stages: Stages
) -> Iterator[SourceItem | Fetched | Settled]:
    """Given items, pass documents on and replace each listing by what discovery finds."""
    for item in items:
        if item.kind != "listing":
            yield item
        elif run.fetcher is None:
            yield SourceItem(item.uri, error=UnsupportedSource("discovery needs a Fetcher"))
        else:
            yield from listing_to_documents(item, run, stages)


def fetch_documents(
    stream: Iterable[SourceItem | Fetched | Settled], run: Run, stages: Stages
) -> Iterator[Fetched | Settled]:
    """Given the stream, fetch each document (up to FETCH_WINDOW URLs at once, in order);
    local files are read here, with no task: retries are for HTTP."""
    window: deque[tuple[SourceItem, Pending]] = deque()
    for entry in stream:
        if not isinstance(entry, SourceItem):
            yield entry
        elif entry.url is None:
            yield settle_fetch(entry, lambda entry=entry: fetch_attempt(entry, run.raw_root))
        else:
            window.append((entry, stages.fetch(entry, run.prior(entry.uri))))
            if len(window) >= FETCH_WINDOW:
                item, pending = window.popleft()
                yield settle_fetch(item, pending.result)
    while window:
        item, pending = window.popleft()
        yield settle_fetch(item, pending.result)


def fetched_to_next(fetched: Fetched, run: Run) -> ToExtract | Settled:
    """Given a fetched source, return it settled (failed, or its bytes already loaded) or the
    job that extracts it (its bytes left in the raw store, not carried along)."""
    item = fetched.item
    if fetched.failure is not None:
        code, detail = fetched.failure.code, fetched.failure.detail
        return Settled(failed_outcome(item, None, "fetch", code, detail), note_source(fetched))
    key = None if run.force else run.unchanged_key(fetched)
    if key is not None:
        outcome = Outcome(item.uri, "unchanged", fetched.sha256, key=key)
        return Settled(outcome, note_source(fetched, key=key))
    name = fetched.filename or (item.path.name if item.path else item.uri)
    raw_path = str(RawStore(run.raw_root).path_of(fetched.sha256))
    job = Job(item.uri, raw_path, name, fetched.sha256, dict(item.overrides))
    return ToExtract(replace(fetched, data=None), job)


def triage(stream: Iterable[Fetched | Settled], run: Run) -> Iterator[ToExtract | Settled]:
    """Given the stream, settle what needs no extraction and pass the rest on as jobs."""
    for entry in stream:
        yield fetched_to_next(entry, run) if isinstance(entry, Fetched) else entry


def extracted_to_settled(doc: ToExtract, result, seconds: float) -> Settled:
    """Given a document and its extraction result, return it settled."""
    fetched, item = doc.fetched, doc.fetched.item
    if isinstance(result, JobFailure):
        outcome = failed_outcome(item, result.sha256, result.stage, result.error, result.detail)
        outcome.seconds = seconds
        return Settled(outcome, note_source(fetched))
    outcome = Outcome(item.uri, result.report["status"], fetched.sha256, key=result.key)
    outcome.seconds = seconds
    return Settled(outcome, note_source(fetched, key=result.key), result)


@dataclass(frozen=True)
class Extraction:
    """A batch of documents being extracted."""

    docs: list[ToExtract]
    pending: Pending
    started: float

    @classmethod
    def submit(cls, docs: list[ToExtract], stages: Stages) -> Extraction:
        return cls(docs, stages.extract([d.job for d in docs]), time.perf_counter())

    def settle(self) -> Iterator[Settled]:
        """Wait for the batch and yield each document settled; a lost task fails them all."""
        try:
            results = self.pending.result()
        except Exception as exc:  # the task itself failed (a lost Dask worker, say)
            results = [
                JobFailure(d.job.uri, d.job.sha256, "extract", "internal_error", one_line(exc))
                for d in self.docs
            ]
        seconds = (time.perf_counter() - self.started) / max(len(self.docs), 1)
        for doc, result in zip(self.docs, results, strict=True):
            yield extracted_to_settled(doc, result, seconds)


def extract_documents(
    stream: Iterable[ToExtract | Settled], run: Run, stages: Stages
) -> Iterator[Settled]:
    """Given the stream, extract the documents in batches of EXTRACT_BATCH, up to
    `run.extract_window` batches at once, and yield every source settled."""
    batch: list[ToExtract] = []
    in_flight: deque[Extraction] = deque()
    for entry in stream:
        if isinstance(entry, Settled):
            yield entry
            continue
        batch.append(entry)
        if len(batch) >= EXTRACT_BATCH:
            in_flight.append(Extraction.submit(batch, stages))
            batch = []
            if len(in_flight) >= run.extract_window:
                yield from in_flight.popleft().settle()
    if batch:
        in_flight.append(Extraction.submit(batch, stages))
    while in_flight:
        yield from in_flight.popleft().settle()


@dataclass
class Notes:
    """What the run has to say of its sources, written every SOURCES_BATCH and at the end (a
    transaction costs more than thousands of rows): `sources` rows and `failures` rows."""

    sources: list[tuple[bool, dict]] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)

    def add(self, settled: Settled) -> None:
        if settled.source is not None:
            self.sources.append(settled.source)
        if settled.outcome is not None and settled.outcome.status == "failed":
            self.failed(settled.outcome)

    def failed(self, outcome: Outcome) -> None:
        o = outcome
        self.failures.append(
            {
                "source_uri": o.uri,
                "sha256": o.sha256,
                "stage": o.stage,
                "error": o.error,
                "detail": o.detail,
            }
        )

    def __len__(self) -> int:
        return len(self.sources) + len(self.failures)


def write_notes(warehouse: Warehouse, notes: Notes) -> Notes:
    """Write the notes to the warehouse; return empty ones."""
    warehouse.record_sources(notes.sources)
    warehouse.record_failures(notes.failures)
    return Notes()


def load_reports(stages: Stages, summary: Summary, notes: Notes, reports: list[Settled]) -> None:
    """Load the reports in one transaction; count them in, or the ones refused as failures."""
    if not reports:
        return
    loaded = stages.load([s.frames for s in reports])
    summary.rows_written += loaded.written
    refused = {f.uri for f in loaded.failures}
    for f in loaded.failures:
        outcome = Outcome(f.uri, "failed", f.sha256, "load", "load_error", f.detail)
        notes.failed(outcome)
        summary.add(outcome)
    for settled in reports:
        if settled.outcome.uri not in refused:
            summary.add(settled.outcome)


def load_settled(stream: Iterable[Settled], stages: Stages, warehouse: Warehouse) -> Summary:
    """Given the settled stream, load the reports in batches of LOAD_BATCH, write what is known
    of the sources every SOURCES_BATCH, and return the Summary."""
    summary, notes = Summary(), Notes()
    reports: list[Settled] = []
    for settled in stream:
        notes.add(settled)
        if settled.frames is not None:
            reports.append(settled)
        elif settled.outcome is not None:
            summary.add(settled.outcome)
        if len(reports) >= LOAD_BATCH:
            load_reports(stages, summary, notes, reports)
            reports = []
        if len(notes) >= SOURCES_BATCH:
            notes = write_notes(warehouse, notes)
    load_reports(stages, summary, notes, reports)
    write_notes(warehouse, notes)
    return summary


def run_items(items: Iterable[SourceItem], run: Run, stages: Stages, warehouse: Warehouse):
    """Push items through discovery, fetching, extraction and loading; return the Summary.

    Every failure is recorded and the run goes on.
    """
    stream = discover_listings(items, run, stages)
    fetched = fetch_documents(stream, run, stages)
    to_extract = triage(fetched, run)
    settled = extract_documents(to_extract, run, stages)
    return load_settled(settled, stages, warehouse)


# ------------------------------------------------------------------ running it here


@dataclass(frozen=True)
class PlainStages:
    """The stages run here: fetches on threads with the FetchSettings retries, extraction
    batches on the worker pool (or in this process), loads as plain calls."""

    run: Run
    fetches: ThreadPoolExecutor
    extractions: ThreadPoolExecutor
    pool: WorkerPool | None

    def fetch(self, item: SourceItem, prior: Validators | None) -> Pending:
        return self.fetches.submit(
            fetch_with_retries, item, self.run.raw_root, self.run.fetcher, prior
        )

    def extract(self, jobs: list[Job]) -> Pending:
        return self.extractions.submit(extract_batch, jobs, self.pool)

    def load(self, batch: list[ReportFrames]) -> Loaded:
        return load_batch(self.run.db, batch)


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


def resolve_items(sources: list[str], db: str) -> list[SourceItem]:
    """Resolve SOURCE arguments, never taking the warehouse's own files for sources."""
    own = (Path(db), Path(f"{db}.wal"), lock_path_of(db), settings.raw_root_for(db))
    return resolve_sources(sources, exclude=own)


def open_warehouse(db: str) -> Warehouse:
    warehouse = Warehouse(db)
    warehouse.ensure_schema()
    return warehouse


def run_with(
    items: list[SourceItem],
    warehouse: Warehouse,
    force: bool,
    workers: int,
    doc_timeout: float,
    stages: StagesFactory,
) -> Summary:
    """Given resolved items and an open warehouse, run them through the stages and return the
    Summary (with the HTTP answers)."""
    progress.started(len(items))
    with fetcher_for(items) as fetcher:
        run = Run(
            str(warehouse.path),
            str(settings.raw_root_for(warehouse.path)),
            force,
            fetcher,
            warehouse.loaded_keys(),  # one query each per run
            warehouse.source_states(),
            extract_window(workers),
        )
        with stages(run, workers, doc_timeout) as running:
            summary = run_items(items, run, running, warehouse)
        if fetcher is not None:
            summary.http = dict(sorted(fetcher.requests.items()))
    return summary


def ingest(
    sources: list[str],
    db: str = settings.DEFAULT_DB,
    *,
    force: bool = False,
    workers: int = 2,
    doc_timeout: float = DEFAULT_TIMEOUT,
    wait: float = 30.0,
    stages: StagesFactory = plain_stages,
) -> Summary:
    """Ingest report files, folders, manifests (with discovery) and URLs into the warehouse at `db`.

    `workers` local processes extract documents (0: in this process), each limited to
    `doc_timeout` seconds; a second run on the same warehouse waits up to `wait`
    seconds for the first. Sources whose bytes are already loaded are skipped unless
    `force`. `stages` says where the work runs (default: here, without Prefect).
    """
    with writer_lock(db, wait, what="xxgk ingest"):
        warehouse = open_warehouse(db)
        items = resolve_items(sources, db)
        return run_with(items, warehouse, force, workers, doc_timeout, stages)


def stored_items(sources: list[dict], store: RawStore) -> list[SourceItem]:
    """Given the sources of loaded reports, return items that read them from the raw store."""
    items = []
    for src in sources:
        fields = ("agency_id", "agency_name", "region_code", "level", "year")
        overrides = {k: src[k] for k in fields if src.get(k)}
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
    db: str = settings.DEFAULT_DB,
    *,
    workers: int = 2,
    doc_timeout: float = DEFAULT_TIMEOUT,
    wait: float = 30.0,
    stages: StagesFactory = plain_stages,
) -> Summary:
    """Re-extract an agency's (or agency-year's) stored source files from the raw store and
    reload them; no request is made."""
    with writer_lock(db, wait, what="xxgk rerun"):
        warehouse = open_warehouse(db)
        store = RawStore(settings.raw_root_for(db))
        items = stored_items(warehouse.sources_of_agency(agency_id, year), store)
        return run_with(items, warehouse, True, workers, doc_timeout, stages)
