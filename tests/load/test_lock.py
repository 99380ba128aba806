"""The writer lock: a second writer waits, then fails naming the holder; a killed holder frees it."""

import subprocess
import sys
import time

import pytest

from load.errors import WarehouseBusy
from load.lock import writer_lock

HOLD = """
import sys, time
sys.path.insert(0, {repo!r})
from load.lock import writer_lock
with writer_lock({db!r}, what="holder"):
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def holder(tmp_path):
    from tests.helpers import REPO

    db = str(tmp_path / "w.duckdb")
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD.format(repo=str(REPO), db=db)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "locked"
    yield db, proc
    proc.kill()
    proc.wait()


def test_second_writer_fails_with_a_clear_message(holder):
    db, proc = holder
    started = time.monotonic()
    with pytest.raises(WarehouseBusy) as exc:
        with writer_lock(db, wait=0.5):
            pass
    assert time.monotonic() - started >= 0.5
    assert f"pid {proc.pid}" in str(exc.value) and "(holder)" in str(exc.value)


def test_lock_is_free_after_the_holder_is_killed(holder):
    db, proc = holder
    proc.kill()
    proc.wait()
    with writer_lock(db, wait=5):
        pass


def test_lock_is_reentrant_after_release(tmp_path):
    db = tmp_path / "w.duckdb"
    with writer_lock(db, wait=0):
        pass
    with writer_lock(db, wait=0):
        pass
