"""Publishing: analysts read a file that a run never writes, only replaces whole.

The warehouse analysts open (`--db`, `data/warehouse.duckdb`) is the *published* state:
a complete DuckDB file that xxgk never opens for writing. A run (`xxgk ingest`,
`rerun`, the nightly flow), holding the writer lock (load/lock.py):

1. makes its working copy `.xxgk/<name>.work` beside the warehouse: a copy of the
   published file (a reflink where the filesystem shares blocks, else the kernel's own
   copy), flushed to disk; or, when the last run died before it published and nothing
   was published since, that run's working copy as it was left (its committed batches
   kept: resumed, not redone);
2. loads into the working copy only, holding it open for the whole run: DuckDB's lock
   keeps every other process out of it, so no reader ever sees a run half done;
3. at the end: CHECKPOINT, close, fsync, and `os.replace` over the published path
   (atomic on POSIX), then fsync the folder.

A reader never holds a lock the writer needs (the writer never opens the published
path), and a reader's open connection keeps the file it opened (its inode) until it
reconnects. A run that fails or is killed publishes nothing: the published file stays
the last complete one, and the raw store holds every byte fetched.

Disk: between runs, the warehouse alone; during a run, twice it (the working copy),
plus any older published file a reader still holds open.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from load.errors import LoadError, PublishFailed
from load.lock import writer_lock
from load.sqlfiles import statements
from load.warehouse import Warehouse, schema_version

log = logging.getLogger(__name__)

WORK_DIR = ".xxgk"  # beside the warehouse: same filesystem, so the rename is atomic
FICLONE = 0x40049409  # linux/fs.h ioctl: the copy shares the source's blocks (btrfs, XFS)


@dataclass(frozen=True)
class WorkPaths:
    """Where runs on one warehouse work: the published file, the working copy and its WAL,
    the copy being made, and the note of which published file the working copy began as."""

    published: Path
    work: Path
    wal: Path
    partial: Path
    origin: Path


def work_paths(db: str | Path) -> WorkPaths:
    """Given the warehouse's path (a symlink's target is what gets replaced), return its WorkPaths."""
    published = Path(db).resolve()
    work = published.parent / WORK_DIR / f"{published.name}.work"
    return WorkPaths(published, work, wal_of(work), Path(f"{work}.partial"), Path(f"{work}.json"))


def wal_of(path: Path) -> Path:
    return Path(f"{path}.wal")


def identity_of(path: Path) -> list[int] | None:
    """Given a path, return what tells its file from any later one there (device, inode, size,
    modification time), or None when there is no file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def fsync_path(path: Path) -> None:
    """Flush a file's (or a folder's entries') changes to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_file(src: Path, dst: Path) -> None:
    """Given two paths, copy src's bytes to dst and flush them to disk: a reflink where the
    filesystem can (no bytes copied), else the kernel's own copy (sendfile)."""
    try:
        with open(src, "rb") as fin, open(dst, "wb") as fout:
            fcntl.ioctl(fout.fileno(), FICLONE, fin.fileno())
    except OSError:  # ext4, tmpfs, or across filesystems: copy the bytes
        shutil.copyfile(src, dst)
    fsync_path(dst)


def write_note(path: Path, note: dict[str, Any]) -> None:
    """Given a path and a note, write it as JSON atomically (a temporary file, then a rename)."""
    tmp = Path(f"{path}.tmp")
    tmp.write_text(json.dumps(note), encoding="utf-8")
    os.replace(tmp, path)


def origin_of(paths: WorkPaths) -> list[int] | None | bool:
    """Return the identity of the published file the working copy began as (None: none was
    published yet), or False when that is not known."""
    try:
        note = json.loads(paths.origin.read_text(encoding="utf-8"))
        published: list[int] | None | bool = note["published"]  # as write_note wrote it
        return published
    except (OSError, ValueError, KeyError):
        return False


def discard_work(paths: WorkPaths) -> None:
    """Remove a working copy, its WAL, its note and any copy being made."""
    for path in (paths.work, paths.wal, paths.partial, Path(f"{paths.wal}.partial"), paths.origin):
        path.unlink(missing_ok=True)


def resumable(paths: WorkPaths) -> bool:
    """Tell whether the working copy left by a run that did not publish can be taken up: it
    began as the file published now (nothing was published since)."""
    return paths.work.exists() and origin_of(paths) == identity_of(paths.published)


def copy_published(paths: WorkPaths) -> str:
    """Make a fresh working copy of the published file (with its WAL, should a writer have
    left one; none when nothing was published yet); return "copied" or "new"."""
    discard_work(paths)
    published = identity_of(paths.published)
    if published is not None:
        stale_wal = wal_of(paths.published)
        if stale_wal.exists():  # left by an older xxgk, or a session that wrote the file
            copy_file(stale_wal, Path(f"{paths.wal}.partial"))
            os.replace(Path(f"{paths.wal}.partial"), paths.wal)
        copy_file(paths.published, paths.partial)
        os.replace(paths.partial, paths.work)
    note = {"published": published, "since": datetime.now(UTC).isoformat(timespec="seconds")}
    write_note(paths.origin, note | {"pid": os.getpid()})
    fsync_path(paths.work.parent)
    return "new" if published is None else "copied"


def hold_open(work: Path) -> sa.Connection:
    """Given the working copy, open it and return the connection that keeps it open (and
    locked to other processes) for the run; the run's own connections share its database."""
    conn = Warehouse(work).engine.connect()
    conn.exec_driver_sql("SELECT 1").fetchall()
    return conn


def open_work(paths: WorkPaths) -> tuple[sa.Connection, str]:
    """Make or take up the working copy and hold it open; return the holding connection and
    how it was made: resumed, copied or new."""
    paths.work.parent.mkdir(exist_ok=True)
    if resumable(paths):
        try:
            held = hold_open(paths.work)
            log.warning("taking up the loads of a run that did not publish (%s)", paths.work)
            return held, "resumed"
        except sa.exc.DBAPIError as exc:  # damaged, or some session holds it: start afresh
            log.warning("not resuming %s (%s): copying the published warehouse", paths.work, exc)
    how = copy_published(paths)
    return hold_open(paths.work), how


def replace_published(paths: WorkPaths) -> None:
    """Given a closed and checkpointed working copy, put it in the published file's place
    atomically and durably."""
    if paths.wal.exists():
        raise OSError(f"{paths.wal} is still there: the working copy was not closed cleanly")
    fsync_path(paths.work)
    stale_wal = wal_of(paths.published)
    if stale_wal.exists():  # written on the old file by a session that opened it read-write;
        # DuckDB would replay it onto the new file
        log.warning("removing %s: changes made to the published file are not kept", stale_wal)
        stale_wal.unlink()
    os.replace(paths.work, paths.published)
    fsync_path(paths.published.parent)
    paths.origin.unlink(missing_ok=True)


def _failed(what: str, paths: WorkPaths, exc: BaseException) -> PublishFailed:
    """Given what could not be done and why, return the one-line error that says what is kept."""
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
    return PublishFailed(
        f"could not {what}: {reason}; {paths.published} still holds the last published state"
        f" (the run's loads stay in {paths.work}: the next run takes them up)"
    )


@contextmanager
def publishing(db: str | Path) -> Iterator[Path]:
    """Run the block on a working copy of the warehouse at `db` (yielded: its path) and publish
    it over `db` when the block ends; the caller holds the writer lock. When the block raises
    or the process dies, nothing is published and the next run takes the working copy up.

    Raises PublishFailed when the working copy cannot be made or published.
    """
    paths = work_paths(db)
    started = time.perf_counter()
    try:
        holder, how = open_work(paths)
    except (OSError, sa.exc.DBAPIError) as exc:
        raise _failed(f"make the run's working copy of {paths.published}", paths, exc) from exc
    prepared = time.perf_counter()
    try:
        yield paths.work
        finishing = time.perf_counter()
        try:
            holder.exec_driver_sql(statements("publish.sql")["checkpoint"])
            holder.close()
            replace_published(paths)
        except (OSError, sa.exc.DBAPIError) as exc:
            raise _failed(f"publish the run to {paths.published}", paths, exc) from exc
        log.info(
            "published %s (%.1f MiB; working copy %s in %.3f s, published in %.3f s)",
            paths.published,
            paths.published.stat().st_size / 2**20,
            how,
            prepared - started,
            time.perf_counter() - finishing,
        )
    finally:
        holder.close()


def published_warehouse(db: str | Path) -> Warehouse:
    """Given the published warehouse's path, return it opened read-only. When an older xxgk
    published it, first bring its schema up to date, by a publish as a run makes one (only
    if no run is writing; else it is read as it is, and that run publishes the new schema)."""
    warehouse = Warehouse(db, read_only=True)
    if warehouse.stored_schema_version() == schema_version():
        return warehouse
    with contextlib.suppress(LoadError), writer_lock(db, 0, what="xxgk schema upgrade"):
        with publishing(db) as work:
            Warehouse(work).ensure_schema()
    return warehouse
