"""The ingestion stages as generators over one stream of records, chained in `run_items`:

    items → discover_listings → fetch_documents → triage → extract_documents → load_settled
            SourceItem|Fetched  Fetched           ToExtract  Settled             Summary
            |Settled            |Settled          |Settled

Each stage turns its own record type into the next and passes the others on; a source
ends as one `Settled` record (flows/records.py). Where a stage's work runs is the
`Stages` object's business, so these functions are the one code path with or without
Prefect:
- fetches: up to FETCH_WINDOW at a time (IO-bound; per-host limits in sources/http.py);
  local files are read in the stream, with no thread or task;
- extract + transform (CPU-bound): batches of EXTRACT_BATCH documents, up to
  `Run.extract_window` batches at once;
- load: this process only, in batches of LOAD_BATCH reports, one transaction each;
  `sources` and `failures` rows every SOURCES_BATCH and at the end.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from common.rawstore import RawStore
from flows.records import Outcome, Pending, Run, Settled, Stages, Summary, ToExtract
from flows.scope import not_another_body
from flows.workers import Job
from load.warehouse import Warehouse
from sources.browser import renderer_for
from sources.discover import discover
from sources.errors import SourceError, UnsupportedSource
from sources.fetch import Fetched, failed, fetch_attempt, read_bytes
from sources.fetch import source_row as fetched_to_source_row
from sources.pages import Page
from sources.resolve import SourceItem
from spec.failures import Failure, one_line
from spec.kinds import SourceRole
from spec.sources import SourceRow

if TYPE_CHECKING:
    from transform.frames import ReportRows

LOAD_BATCH = int(os.environ.get("XXGK_LOAD_BATCH", "50"))
# Documents per extraction task: amortises Prefect's per-task-run bookkeeping.
EXTRACT_BATCH = int(os.environ.get("XXGK_EXTRACT_BATCH", "8"))
# fetches in flight at once (threads); the per-host limit is in sources/http.py
FETCH_WINDOW = int(os.environ.get("XXGK_FETCH_WINDOW", "8"))
# `sources` and `failures` rows written per transaction (a transaction costs more than rows)
SOURCES_BATCH = int(os.environ.get("XXGK_SOURCES_BATCH", "5000"))


def note_source(fetched: Fetched, key: tuple[str, int] | None = None) -> SourceRow | None:
    """Given a fetched source, return its `sources` row (its role: the item's kind); none for
    a rerun's stored file (it keeps its validators)."""
    role = fetched.item.kind
    if role == "stored":
        return None
    return fetched_to_source_row(fetched, role, key)


def settle_fetch(item: SourceItem, get: Callable[[], Fetched]) -> Fetched:
    """Given an item and a call returning its Fetched, return it; an error raised after the last
    retry, or any unexpected one, becomes the item's failure."""
    try:
        return get()
    except SourceError as exc:  # transient, and the (Prefect) retries are spent
        return failed(item, exc)
    except Exception as exc:
        return failed(item, SourceError(one_line(exc), "internal_error"))


class PageGetter:
    """Discovery's page getter: fetch a listing or article page, keeping each answer so that
    the stream can record it."""

    def __init__(self, listing: SourceItem, run: Run, stages: Stages):
        self.listing, self.run, self.stages = listing, run, stages
        self.answers: list[Fetched] = []

    def __call__(self, url: str, via: str | None, role: SourceRole) -> Page:
        item = self.listing.discovered(url, via, role)
        fetched = settle_fetch(item, self.stages.fetch(item, self.run.prior(url)).result)
        self.answers.append(fetched)
        if fetched.failure:
            raise SourceError(fetched.failure.detail, fetched.failure.error)
        return Page(fetched.final_url or url, read_bytes(fetched, self.run.raw_root))

    def drain(self) -> list[Fetched]:
        """Return the pages fetched since the last drain, oldest first."""
        answers, self.answers = self.answers, []
        return answers


def listing_to_documents(
    listing: SourceItem, run: Run, stages: Stages
) -> Iterator[SourceItem | Fetched | Settled]:
    """Given a listing, yield the documents discovery finds, each page fetched on the way
    (as Settled), and what it missed."""
    if run.fetcher is None or listing.url is None:
        need = "a Fetcher" if listing.url else "a listing URL"
        yield SourceItem(listing.uri, error=UnsupportedSource(f"discovery needs {need}"))
        return
    get_page = PageGetter(listing, run, stages)
    max_pages = run.fetcher.settings.max_pages
    year = listing.overrides.get("year")
    render = renderer_for(run.fetcher)
    for found in discover(listing.url, get_page, year=year, max_pages=max_pages, render=render):
        pages = get_page.drain()
        yield from (Settled(source=note_source(page)) for page in pages)
        if isinstance(found, Failure):
            yield Settled(Outcome.failed(found))
            continue
        doc = listing.discovered(found.url, found.found_via)
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
        else:
            yield from listing_to_documents(item, run, stages)


def fetch_documents(
    stream: Iterable[SourceItem | Fetched | Settled], run: Run, stages: Stages
) -> Iterator[Fetched | Settled]:
    """Given the stream, fetch each document (up to FETCH_WINDOW URLs at once, in order);
    local files are read here, with no task: retries are for HTTP."""
    window: deque[tuple[SourceItem, Pending[Fetched]]] = deque()
    for entry in stream:
        if not isinstance(entry, SourceItem):
            yield entry
        elif entry.url is None:
            yield settle_fetch(entry, partial(fetch_attempt, entry, run.raw_root))
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
        return Settled(Outcome.failed(fetched.failure), note_source(fetched))
    key = None if run.force else run.unchanged_key(fetched)
    if key is not None:
        outcome = Outcome(item.uri, "unchanged", fetched.sha256, key=key)
        return Settled(outcome, note_source(fetched, key=key))
    name = fetched.filename or (item.path.name if item.path else item.uri)
    sha256 = fetched.stored_sha256()
    raw_path = str(RawStore(run.raw_root).path_of(sha256))
    job = Job(item.uri, raw_path, name, sha256, dict(item.overrides), item.found_via)
    return ToExtract(replace(fetched, data=None), job)


def triage(stream: Iterable[Fetched | Settled], run: Run) -> Iterator[ToExtract | Settled]:
    """Given the stream, settle what needs no extraction and pass the rest on as jobs."""
    for entry in stream:
        yield fetched_to_next(entry, run) if isinstance(entry, Fetched) else entry


def extracted_to_settled(doc: ToExtract, result: ReportRows | Failure, seconds: float) -> Settled:
    """Given a document and its extraction result, return it settled."""
    fetched, item = doc.fetched, doc.fetched.item
    if not isinstance(result, Failure):
        result = not_another_body(result, item, doc.job)
    if isinstance(result, Failure):
        return Settled(Outcome.failed(result, seconds), note_source(fetched))
    outcome = Outcome(item.uri, result.report.status, fetched.sha256, result.key, seconds)
    return Settled(outcome, note_source(fetched, key=result.key), result)


@dataclass(frozen=True)
class Extraction:
    """A batch of documents being extracted."""

    docs: list[ToExtract]
    pending: Pending[list[ReportRows | Failure]]
    started: float

    @classmethod
    def submit(cls, docs: list[ToExtract], stages: Stages) -> Extraction:
        return cls(docs, stages.extract([d.job for d in docs]), time.perf_counter())

    def settle(self) -> Iterator[Settled]:
        """Wait for the batch and yield each document settled; a lost task fails them all."""
        try:
            results = self.pending.result()
        except Exception as exc:  # the task itself failed (a lost Dask worker, say)
            results = [d.job.failure("extract", "internal_error", one_line(exc)) for d in self.docs]
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

    sources: list[SourceRow] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def add(self, settled: Settled) -> None:
        if settled.source is not None:
            self.sources.append(settled.source)
        if settled.outcome is not None and settled.outcome.failure is not None:
            self.failures.append(settled.outcome.failure)

    def __len__(self) -> int:
        return len(self.sources) + len(self.failures)


def write_notes(warehouse: Warehouse, notes: Notes) -> Notes:
    """Write the notes to the warehouse; return empty ones."""
    warehouse.record_sources(notes.sources)
    warehouse.record_failures(notes.failures)
    return Notes()


def load_reports(
    stages: Stages, summary: Summary, notes: Notes, reports: list[tuple[Outcome, ReportRows]]
) -> None:
    """Load the reports (each with its outcome) in one transaction; count them in, or the ones
    refused as failures."""
    if not reports:
        return
    loaded = stages.load([frames for _, frames in reports])
    summary.rows_written += loaded.written
    summary.kept += loaded.kept
    refused = {f.source_uri for f in loaded.failures}
    kept = {((k.agency_id, k.year), k.sha256) for k in loaded.kept}
    for failure in loaded.failures:
        notes.failures.append(failure)
        summary.add(Outcome.failed(failure))
    for outcome, _ in reports:
        if (outcome.key, outcome.sha256) in kept:  # the loaded reading of these bytes was better
            outcome = replace(outcome, result="kept")
        if outcome.uri not in refused:
            summary.add(outcome)


def load_settled(stream: Iterable[Settled], stages: Stages, warehouse: Warehouse) -> Summary:
    """Given the settled stream, load the reports in batches of LOAD_BATCH, write what is known
    of the sources every SOURCES_BATCH, and return the Summary."""
    summary, notes = Summary(), Notes()
    reports: list[tuple[Outcome, ReportRows]] = []
    for settled in stream:
        notes.add(settled)
        if settled.outcome is not None and settled.frames is not None:
            reports.append((settled.outcome, settled.frames))
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


def run_items(
    items: Iterable[SourceItem], run: Run, stages: Stages, warehouse: Warehouse
) -> Summary:
    """Push items through discovery, fetching, extraction and loading; return the Summary.

    Every failure is recorded and the run goes on.
    """
    stream = discover_listings(items, run, stages)
    fetched = fetch_documents(stream, run, stages)
    to_extract = triage(fetched, run)
    settled = extract_documents(to_extract, run, stages)
    return load_settled(settled, stages, warehouse)
