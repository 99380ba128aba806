"""The load stage: a batch of reports into the warehouse, in one transaction.

If the batch fails, each report is loaded on its own so that one bad report costs
only itself: it comes back as a LoadFailure and the run goes on.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from load.warehouse import KeptReading, Warehouse


@dataclass(frozen=True)
class LoadFailure:
    """A report the warehouse refused: its source and why, in one line."""

    uri: str
    sha256: str
    detail: str


@dataclass(frozen=True)
class Loaded:
    """What a load did: rows written, the reports that could not be loaded, and the re-reads
    kept out because the reading already loaded from the same file was better."""

    written: int = 0
    failures: list[LoadFailure] = field(default_factory=list)
    kept: list[KeptReading] = field(default_factory=list)


def one_line(exc: BaseException) -> str:
    """Given an exception, return its type, message and where it was raised, on one line."""
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"[:500]


def load_batch(db: str, batch: list, force: bool = False) -> Loaded:
    """Given a warehouse path and ReportRows, load them in one transaction, else one by one.
    A re-read worse than the loaded reading of the same file is kept out unless `force`."""
    warehouse = Warehouse(db)
    try:
        result = warehouse.replace_reports(batch, force=force)
        return Loaded(result.rows_written, [], list(result.kept))
    except Exception:  # a database error of any kind: find the report that causes it
        written, failures, kept = 0, [], []
        for frames in batch:
            try:
                result = warehouse.replace_reports([frames], force=force)
                written += result.rows_written
                kept += result.kept
            except Exception as exc:
                uri, sha = frames.report["source_uri"], frames.report["sha256"]
                failures.append(LoadFailure(uri, sha, one_line(exc)))
        return Loaded(written, failures, kept)
