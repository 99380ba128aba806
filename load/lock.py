"""One writer per warehouse: an advisory lock file beside the DuckDB file.

A run writes its own working copy and publishes it over the warehouse (load/publish.py),
so two runs must not overlap. A second `xxgk ingest` on the same warehouse waits for
the lock (up to `wait` seconds) and then fails with a clear message naming the run that
holds it; it never interleaves its writes. Readers take no part in this lock.

The lock is re-entrant within one thread: `xxgk ingest` takes it before it starts the
Prefect flow (a busy warehouse is then one line, not a failed flow run's traceback), and
the flow's own taking of it, in the same thread, passes through.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from load.errors import WarehouseBusy

_held = threading.local()  # .paths: the lock files this thread holds


def lock_path_of(db: str | Path) -> Path:
    return Path(f"{Path(db).resolve()}.lock")


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
        return f"pid {info.get('pid')} since {info.get('since')} ({info.get('what')})"
    except (OSError, ValueError):
        return "another process"


@contextmanager
def writer_lock(db: str | Path, wait: float = 30.0, what: str = "xxgk") -> Iterator[None]:
    """Hold the warehouse's writer lock for the block; raise WarehouseBusy after `wait` seconds.
    Within a block of this thread holding it already, pass through."""
    path = lock_path_of(db)
    held: set[Path] = _held.__dict__.setdefault("paths", set())
    if path in held:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"warehouse {db} is being written by {_holder(path)}; "
                        f"waited {wait:g} s (try again later, or pass a longer --wait)"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            json.dumps(
                {
                    "pid": os.getpid(),
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                    "what": what,
                }
            ).encode(),
            0,
        )
        held.add(path)
        try:
            yield
        finally:
            held.discard(path)
    finally:
        os.close(fd)  # closing the descriptor releases the flock, also when the process is killed
