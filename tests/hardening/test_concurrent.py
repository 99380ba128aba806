"""Two `xxgk ingest` runs at once on one warehouse: the second waits, or with `--wait 0` fails
with one clear line and exit code 3; no corruption and no lost source."""

import json
import re
import time

import duckdb
import pytest

from load.lock import lock_path_of
from tests.hardening.procs import harness_env, start_xxgk, write_reports
from tests.helpers import q


def wait_for_lock_holder(db, pid: int, limit: float = 60) -> None:
    """Return once the writer lock beside `db` names process `pid` as its holder."""
    path = lock_path_of(db)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if json.loads(path.read_text(encoding="utf-8") or "{}").get("pid") == pid:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    raise AssertionError(f"process {pid} never took the writer lock of {db}")


# Reports of the first run: enough that it still holds the writer lock when the second
# run (a fresh process under Prefect: imports, a flow run) reaches it.
FIRST, SECOND = 40, 6


@pytest.mark.slow
def test_second_run_waits_or_fails_clearly_and_no_source_is_lost(prefect_harness, tmp_path):
    first_agencies = write_reports(tmp_path / "first", FIRST, seed=0, prefix="甲")
    second_agencies = write_reports(tmp_path / "second", SECOND, seed=100, prefix="乙")
    db = tmp_path / "w.duckdb"
    env = {
        **harness_env(),
        "XXGK_WORKERS": "0",
        "XXGK_LOAD_BATCH": "1",
        "COLUMNS": "400",
    }  # slow: many commits

    first = start_xxgk("ingest", str(tmp_path / "first"), "--db", str(db), cwd=tmp_path, **env)
    wait_for_lock_holder(db, first.pid)
    impatient = start_xxgk(
        "ingest", str(tmp_path / "second"), "--db", str(db), "--wait", "0", cwd=tmp_path, **env
    )
    patient = start_xxgk(
        "ingest", str(tmp_path / "second"), "--db", str(db), "--wait", "300", cwd=tmp_path, **env
    )
    out, err = impatient.communicate(timeout=300)
    assert first.poll() is None, "the first run ended before the second tried the lock"
    assert impatient.returncode == 3
    message = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(message) == 1
    assert re.fullmatch(
        rf"error: warehouse {re.escape(str(db))} is being written by pid {first.pid} "
        r"since \S+ \(xxgk ingest\); waited 0 s \(try again later, or pass a longer --wait\)",
        message[0],
    ), message
    for proc in (first, patient):
        proc.communicate(timeout=300)
        assert proc.returncode == 0

    with duckdb.connect(str(db)) as con:  # opens for writing: nothing left locked or torn
        con.execute("CHECKPOINT")
    assert q(db, "SELECT agency_id FROM reports ORDER BY 1") == [
        (a,) for a in sorted(first_agencies + second_agencies)
    ]
    assert q(db, "SELECT count(*) FROM requests")[0][0] == (FIRST + SECOND) * 25 * 7
    assert q(db, "SELECT count(*) FROM failures")[0][0] == 0
    assert q(db, "SELECT count(*) FROM sources WHERE sha256 IS NOT NULL")[0][0] == FIRST + SECOND
