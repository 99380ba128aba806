"""Memory given back to the system between the large steps of a worker.

onnxruntime frees the tensors of each run (a scanned page's detection needs about 330
MiB, a batch of long prose lines about 300 MiB) into the C heap, and glibc keeps most
of it there: a worker process would go on holding its largest page's working set, and
the next run's peak comes on top of it. :func:`release_memory` asks glibc to return the
free memory (``malloc_trim``); it costs a few milliseconds, and where the C library has
no such call (musl, macOS) it does nothing. What is given back is faulted in afresh when
used again: about 1 s of system time more a page (of 6-7 s of CPU), for 60-120 MiB less
at each worker's peak.

Recognition runs many times a page (batches of six crops, 25-30 a page), each mapping
its block afresh: given back and faulted in again around every run, that cost 1.3-2 s of
system time a page. Its session keeps its memory in onnxruntime's arena instead
(:class:`ArenaSession`), given back once a page is read (:meth:`ArenaSession.shrink`):
a page's recognition then faults its memory in once, and a worker holds no more between
pages than it did.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from functools import cache
from typing import Any

SHRINK = "memory.enable_memory_arena_shrinkage"  # onnxruntime's run option: after the run,
# give back the arena's memory no tensor holds ("cpu:0": the CPU's arena)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """Return glibc's ``malloc_trim``, or None where the C library has none."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None
    return trim


def release_memory() -> bool:
    """Give the C heap's free memory back to the system; return whether it could."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


TURN_WAIT = 30.0  # seconds a run waits for its turn at most (a killed worker's is never given)
_turns: Any = None  # a lock the workers of a pool share, or None: every run goes at once


def take_turns(lock: Any) -> None:
    """Given a lock shared by the worker processes (multiprocessing's), make their
    sessions' largest runs take turns with it: two workers' page detections, the largest
    block each maps, never stand in memory at once."""
    global _turns
    _turns = lock


class ReleasingSession:
    """An onnxruntime ``InferenceSession`` that gives the C heap's free memory back to the
    system (:func:`release_memory`) before and after every run; otherwise the session
    itself. Before, too: a run's tensors are one block onnxruntime maps afresh (its
    memory pattern), which cannot reuse what the page's images and the previous runs
    freed into the heap; that memory would stay under the run's peak (on a 144 dpi page,
    detection peaked 50-90 MiB higher). A session made with ``turns`` runs in its turn
    among the workers (:func:`take_turns`), waiting TURN_WAIT seconds at most."""

    def __init__(self, session: Any, turns: bool = False):
        self.session, self.turns = session, turns

    def run(self, *args: Any, **kwargs: Any) -> Any:
        lock: Any = _turns if self.turns else None
        held = lock is not None and lock.acquire(timeout=TURN_WAIT)
        release_memory()
        try:
            return self.session.run(*args, **kwargs)
        finally:
            release_memory()
            if held:
                lock.release()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


class ArenaSession:
    """An onnxruntime ``InferenceSession`` made with its CPU memory arena on (its runs
    reuse one another's memory, never mapped afresh), which :meth:`shrink` gives back to
    the system; otherwise the session itself. ``probe`` is the least input it takes (the
    run that shrinks it, a few milliseconds)."""

    def __init__(self, session: Any, probe: dict[str, Any]):
        self.session, self.probe = session, probe

    def run(self, *args: Any, **kwargs: Any) -> Any:
        return self.session.run(*args, **kwargs)

    def shrink(self) -> None:
        """Give the memory the arena holds back to the system (a run of the probe, told to
        shrink the arena once done), then the C heap's free memory."""
        from onnxruntime import RunOptions

        options = RunOptions()
        options.add_run_config_entry(SHRINK, "cpu:0")
        self.session.run(None, self.probe, options)
        release_memory()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)
