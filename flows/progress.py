"""Progress of a run for whoever watches it (the CLI's progress bar); no-op by default.

The flow calls :func:`started` and :func:`advanced`; the CLI installs a listener.
Flows stay free of terminal code and Prefect parameters stay serialisable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.records import Outcome

_listener: Callable[[str, object], None] | None = None


def listen(fn: Callable[[str, object], None] | None) -> None:
    """Install (or with None, remove) the listener called as fn(event, payload)."""
    global _listener
    _listener = fn


def started(total: int) -> None:
    if _listener:
        _listener("started", total)


def advanced(outcome: Outcome) -> None:
    if _listener:
        _listener("advanced", outcome)
