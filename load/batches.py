"""The load stage: a batch of reports into the warehouse, in one transaction.

If the batch fails, each report is loaded on its own so that one bad report costs
only itself: it comes back as a Failure (stage ``load``) and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from load.warehouse import KeptReading, Warehouse
from spec.failures import Failure, one_line

if TYPE_CHECKING:
    from transform.frames import ReportRows


@dataclass(frozen=True)
class Loaded:
    """What a load did: rows written, the reports that could not be loaded, and the re-reads
    kept out because the reading already loaded from the same file was better."""

    written: int = 0
    failures: list[Failure] = field(default_factory=list)
    kept: list[KeptReading] = field(default_factory=list)


def load_batch(db: str, batch: list[ReportRows], force: bool = False) -> Loaded:
    """Given a warehouse path and ReportRows, load them in one transaction, else one by one.
    A re-read worse than the loaded reading of the same file is kept out unless `force`."""
    warehouse = Warehouse(db)
    try:
        result = warehouse.replace_reports(batch, force=force)
        return Loaded(result.rows_written, [], list(result.kept))
    except Exception:  # a database error of any kind: find the report that causes it
        written = 0
        failures: list[Failure] = []
        kept: list[KeptReading] = []
        for report in batch:
            try:
                result = warehouse.replace_reports([report], force=force)
                written += result.rows_written
                kept += result.kept
            except Exception as exc:
                uri, sha = report.report.source_uri, report.report.sha256
                failures.append(Failure(uri, "load", "load_error", one_line(exc), sha))
        return Loaded(written, failures, kept)
