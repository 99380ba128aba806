"""The writer lock: a second writer waits, then fails naming the holder; a killed holder frees it."""

import time

import pytest

from load.errors import WarehouseBusy
from load.lock import writer_lock
from tests.helpers import lock_held_elsewhere


@pytest.fixture
def holder(tmp_path):
    db = str(tmp_path / "w.duckdb")
    with lock_held_elsewhere(db, "holder") as proc:
        yield db, proc


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
