"""One writer per warehouse: an advisory lock file beside the DuckDB file.

DuckDB allows one writing process per file. A second `xxgk ingest` on the same
warehouse waits for the lock (up to `wait` seconds) and then fails with a clear
message naming the run that holds it; it never interleaves its writes.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from load.errors import WarehouseBusy


def lock_path_of(db: str | Path) -> Path:
    return Path(f"{Path(db).resolve()}.lock")


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
        return f"pid {info.get('pid')} since {info.get('since')} ({info.get('what')})"
    except (OSError, ValueError):
        return "another process"


@contextmanager
def writer_lock(db: str | Path, wait: float = 30.0, what: str = "xxgk"):
    """Hold the warehouse's writer lock for the block; raise WarehouseBusy after `wait` seconds."""
    path = lock_path_of(db)
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
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock, also when the process is killed
