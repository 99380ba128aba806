"""Re-reads never lose a good report: compare a new reading of a file with the loaded one.

A reading is what one extraction of one file gave: its status and how many value
cells it found. Status order: valid > inconsistent > partial; at the same status,
more cells is better. A re-read of the same bytes (same sha256) that is worse than
the loaded reading keeps the loaded rows, unless forced; a different file always
replaces. load/warehouse.py applies the verdict and records it in `report_attempts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from spec.kinds import AttemptReason, ReportStatus

STATUS_RANK: dict[str, int] = {"partial": 0, "inconsistent": 1, "valid": 2}

# report_attempts.reason, by what the comparison found
WORSE_STATUS: Final = "worse_status"  # the re-read has a worse status: the loaded rows are kept
FEWER_CELLS: Final = "fewer_cells"  # same status, fewer cells: the loaded rows are kept
FORCED: Final = "forced"  # worse, but --force: the re-read replaced the loaded rows
BETTER: Final = "better"  # better status or more cells: the re-read replaced the loaded rows
MERGE_CONFLICT: Final = "merge_conflict"  # two ids merged, both with the year: the older dropped


@dataclass(frozen=True)
class Reading:
    """One extraction of one file for one agency-year: what it found."""

    sha256: str
    status: ReportStatus
    cells: int
    extractor_version: str | None = None


@dataclass(frozen=True)
class Verdict:
    """Whether to load a new reading, and the reason to record (None: nothing worth noting)."""

    load: bool
    reason: AttemptReason | None = None


def rank(reading: Reading) -> tuple[int, int]:
    """Given a reading, return a key that orders readings from worse to better."""
    return STATUS_RANK.get(reading.status, -1), reading.cells or 0


def judge_reread(new: Reading, loaded: Reading | None, force: bool = False) -> Verdict:
    """Given a new reading, the loaded reading of the same agency-year (or None) and --force,
    return whether to load the new one and why.

    Nothing loaded, or loaded from other bytes: load, nothing to note. Same bytes: a worse
    reading is kept out (WORSE_STATUS, FEWER_CELLS) unless forced (FORCED); a better one
    replaces (BETTER); an equal one replaces silently (same rows).
    """
    if loaded is None or loaded.sha256 != new.sha256:
        return Verdict(True)
    new_rank, old_rank = rank(new), rank(loaded)
    if new_rank < old_rank:
        if force:
            return Verdict(True, FORCED)
        return Verdict(False, WORSE_STATUS if new_rank[0] < old_rank[0] else FEWER_CELLS)
    if new_rank > old_rank:
        return Verdict(True, BETTER)
    return Verdict(True)
