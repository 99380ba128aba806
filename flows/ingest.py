"""The ingestion flow: sources → fetch → extract → transform and check → load.

Thin wiring: every step is a call into sources/, extract/, transform/ or load/.
A source that fails at any stage becomes a `failures` row and the run goes on.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field

from prefect import flow, task
from prefect.cache_policies import NONE
from prefect.utilities.annotations import quote

from extract.dispatch import extract_document
from extract.errors import ExtractError
from extract.records import Report
from flows import settings  # noqa: F401  (sets Prefect defaults before prefect is imported)
from load.rawstore import RawStore, sha256_of
from load.warehouse import Warehouse
from sources.errors import SourceError, UnsupportedSource
from sources.resolve import SourceItem, read_local, resolve_sources
from transform.errors import MissingKey
from transform.frames import ReportFrames, SourceMeta, report_to_frames

LOAD_BATCH = 50


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


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    rows_written: int = 0

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


@task(cache_policy=NONE)
def fetch(item: SourceItem, raw_root: str) -> Fetched:
    """Read a source's bytes and keep them in the raw store before anything else."""
    if item.error:
        return Fetched(
            item, failure=_failed(item.uri, None, "fetch", item.error.code, item.error.detail)
        )
    try:
        if item.path is not None:
            data = read_local(item)
        else:
            raise UnsupportedSource(f"fetching {item.url} is not supported yet")
    except SourceError as exc:
        return Fetched(item, failure=_failed(item.uri, None, "fetch", exc.code, exc.detail))
    sha = RawStore(raw_root).put(data)
    return Fetched(item, data, sha)


@task(cache_policy=NONE)
def extract(fetched: Fetched) -> Report | Outcome:
    """Extract a report from fetched bytes, or say why not."""
    name = fetched.item.path.name if fetched.item.path else fetched.item.uri
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


def run_items(items: list[SourceItem], db: str, raw_root: str, force: bool) -> Summary:
    """Push items through fetch → extract → transform → load; every failure is recorded."""
    warehouse = Warehouse(db)
    summary = Summary()
    pending: list[tuple[ReportFrames, Outcome]] = []

    def flush() -> None:
        if not pending:
            return
        written, failures = load(db, [f for f, _ in pending])
        summary.rows_written += written
        failed = {f.uri for f in failures}
        for failure in failures:
            warehouse.record_failure(
                failure.uri, failure.sha256, failure.stage, failure.error, failure.detail
            )
            summary.outcomes.append(failure)
        summary.outcomes.extend(o for _, o in pending if o.uri not in failed)
        pending.clear()

    for item in items:
        started = time.perf_counter()
        fetched = fetch(item, raw_root)
        result: Report | ReportFrames | Outcome | None = fetched.failure
        if result is None and not force:
            key = _unchanged(warehouse, fetched)
            if key:
                summary.outcomes.append(Outcome(item.uri, "unchanged", fetched.sha256, key=key))
                continue
        if result is None:
            result = extract(fetched)
        if isinstance(result, Report):
            # quote(): Prefect would otherwise visit every cell of the report looking for
            # futures (about 0.1 s a document).
            result = transform(quote(result), fetched)
        if isinstance(result, Outcome):
            result.seconds = time.perf_counter() - started
            warehouse.record_failure(
                result.uri, result.sha256, result.stage, result.error, result.detail
            )
            summary.outcomes.append(result)
            continue
        outcome = Outcome(item.uri, result.report["status"], fetched.sha256, key=result.key)
        outcome.seconds = time.perf_counter() - started
        pending.append((result, outcome))
        if len(pending) >= LOAD_BATCH:
            flush()
    flush()
    return summary


@flow(name="ingest")
def ingest(sources: list[str], db: str = settings.DEFAULT_DB, force: bool = False) -> Summary:
    """Ingest report files, folders, manifests and URLs into the warehouse at `db`."""
    Warehouse(db).ensure_schema()
    items = resolve(sources)
    return run_items(items, db, str(settings.raw_root_for(db)), force)


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
                    src["source_uri"], path=store.path_of(src["sha256"]), overrides=overrides
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
