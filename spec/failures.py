"""The one record of a source that yielded no report, whichever stage stopped it.

Discovery, fetching, extraction, transformation and loading each return a `Failure`
(never raise one out of the run); the run keeps it as the source's outcome and writes
it as a `failures` row (the contract's columns: ``source_uri``, ``sha256``, ``stage``,
``error``, ``detail``, ``occurred_at``).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Stage = Literal["discover", "fetch", "extract", "transform", "load"]


@dataclass(frozen=True)
class Failure:
    """Why a source yielded no report: the stage that stopped it, a stable error code
    (``empty_file``, ``http_status``, ``timeout`` ...), one line of detail, and the source
    (its URI, the sha256 of its bytes when it had some, the page that led to it)."""

    source_uri: str
    stage: Stage
    error: str  # a stable code (docs/data-dictionary.md, `failures`)
    detail: str  # one line a person reads
    sha256: str | None = None
    found_via: str | None = None

    @property
    def full_detail(self) -> str:
        """The detail, with the page that led to the source when there was one."""
        via = f" (found via {self.found_via})" if self.found_via else ""
        return self.detail + via

    def to_row(self) -> dict[str, str | None]:
        """Return the failure as a `failures` row."""
        return {
            "source_uri": self.source_uri,
            "sha256": self.sha256,
            "stage": self.stage,
            "error": self.error,
            "detail": self.full_detail,
        }


def one_line(exc: BaseException) -> str:
    """Given an exception, return its type, message and where it was raised, on one line
    (the detail of an ``internal_error``)."""
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"[:500]
