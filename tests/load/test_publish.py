"""Publishing (load/publish.py) on real DuckDB files: a run works on its own copy and replaces
the published file whole; a run that fails publishes nothing and the next takes its work up,
unless the published file changed since; what an older xxgk left is published whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import duckdb
import pytest

from load.publish import published_warehouse, publishing, work_paths
from load.warehouse import Warehouse, schema_version
from spec.failures import Failure
from tests.helpers import REPO, q


def python_child(code: str, arg: str) -> subprocess.Popen:
    """Start `python -c CODE ARG` in the repository, talking to it through stdin and stdout."""
    return subprocess.Popen(
        [sys.executable, "-c", code, arg],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def note(work, uri: str) -> None:
    """Given a working copy, record a failure of `uri` in it (a write a run makes)."""
    Warehouse(work).record_failures([Failure(uri, "fetch", "http_404", f"{uri} is gone")])


def noted(db) -> list[str]:
    return [u for (u,) in q(db, "SELECT source_uri FROM failures ORDER BY 1")]


@pytest.fixture
def db(tmp_path):
    """A warehouse published once, holding the failure of `a`."""
    path = tmp_path / "warehouse.duckdb"
    with publishing(path) as work:
        Warehouse(work).ensure_schema()
        note(work, "a")
    return path


def test_a_publish_replaces_the_file_and_leaves_nothing_beside_it(db):
    inode = db.stat().st_ino
    with publishing(db) as work:
        assert work == work_paths(db).work and work.parent.parent == db.parent
        note(work, "b")
        assert noted(db) == ["a"]  # the published file is not written during the run
    assert noted(db) == ["a", "b"]
    assert db.stat().st_ino != inode  # a new file: readers of the old one keep theirs
    assert sorted(p.name for p in db.parent.iterdir()) == [".xxgk", "warehouse.duckdb"]
    assert list(work.parent.iterdir()) == []


def test_a_reader_keeps_the_file_it_opened_until_it_reconnects(db):
    reader = python_child(
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(con.execute('SELECT count(*) FROM failures').fetchone()[0], flush=True)\n"
        "sys.stdin.readline()\n"
        "print(con.execute('SELECT count(*) FROM failures').fetchone()[0], flush=True)\n"
        "con.close()\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print(con.execute('SELECT count(*) FROM failures').fetchone()[0], flush=True)\n",
        str(db),
    )
    assert reader.stdout.readline().strip() == "1"
    with publishing(db) as work:  # the reader's shared lock is on the old file: no conflict
        note(work, "b")
    out, _ = reader.communicate("\n", timeout=60)
    assert out.split() == ["1", "2"]  # the same connection: the old state; reconnected: the new


def test_a_run_that_fails_publishes_nothing_and_the_next_takes_its_loads_up(db):
    with pytest.raises(RuntimeError), publishing(db) as work:
        note(work, "b")
        raise RuntimeError("a bug midway")
    assert noted(db) == ["a"]
    assert work_paths(db).work.exists()
    with publishing(db) as work:
        note(work, "c")
    assert noted(db) == ["a", "b", "c"]


def test_a_working_copy_older_than_the_published_file_is_dropped(db):
    with pytest.raises(RuntimeError), publishing(db) as work:
        note(work, "b")
        raise RuntimeError("a bug midway")
    note(db, "z")  # the published file written since (an older xxgk, a read-write session)
    with publishing(db) as work:
        note(work, "c")
    assert noted(db) == ["a", "c", "z"]  # b's run began from a state that is gone


def test_a_working_copy_someone_holds_open_is_dropped(db, tmp_path):
    with pytest.raises(RuntimeError), publishing(db) as work:
        note(work, "b")
        raise RuntimeError("a bug midway")
    holder = python_child(
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "print('open', flush=True)\n"
        "sys.stdin.readline()\n",
        str(work_paths(db).work),
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with publishing(db) as work:  # the held file is unlinked; a fresh copy is made
            note(work, "c")
    finally:
        holder.communicate("\n", timeout=60)
    assert noted(db) == ["a", "c"]


def test_what_an_older_xxgk_left_in_a_wal_is_published_whole(tmp_path):
    """An older xxgk wrote the warehouse in place; killed, it left committed rows in the WAL."""
    db = tmp_path / "warehouse.duckdb"
    Warehouse(db).ensure_schema()
    writer = python_child(
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "con.execute(\"SET checkpoint_threshold = '1GB'\")\n"
        'con.execute("INSERT INTO failures (source_uri, stage, error, detail, occurred_at)'
        " VALUES ('w', 'fetch', 'timeout', 'in the WAL only', now())\")\n"
        "print('committed', flush=True)\n"
        "sys.stdin.readline()\n",
        str(db),
    )
    assert writer.stdout.readline().strip() == "committed"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert (tmp_path / "warehouse.duckdb.wal").exists()

    with publishing(db) as work:
        note(work, "b")
    assert not (tmp_path / "warehouse.duckdb.wal").exists()
    assert noted(db) == ["b", "w"]


def test_a_reader_brings_an_older_warehouse_up_to_date_by_a_publish(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    Warehouse(db).ensure_schema()
    with duckdb.connect(str(db)) as con:  # as an older xxgk left it
        con.execute("DROP VIEW prefecture_year_summary")
        con.execute("DROP MACRO xxgk_schema_version")

    run = python_child(  # a run is writing: read the warehouse as it is, do not wait
        "import sys, time\n"
        "from load.lock import writer_lock\n"
        "with writer_lock(sys.argv[1], what='nightly'):\n"
        "    print('locked', flush=True)\n"
        "    sys.stdin.readline()\n",
        str(db),
    )
    try:
        assert run.stdout.readline().strip() == "locked"
        stale = published_warehouse(db)
        assert stale.stored_schema_version() is None
    finally:
        run.communicate("\n", timeout=60)
    assert not work_paths(db).work.exists()

    reader = published_warehouse(db)
    assert reader.read_only
    assert reader.stored_schema_version() == schema_version()
    assert reader.rows("SELECT count(*) FROM prefecture_year_summary") == (["count_star()"], [(0,)])
    with pytest.raises(Exception, match="read-only"):
        reader.rows("DELETE FROM failures")
