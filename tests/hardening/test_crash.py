"""`kill -9` during the load, then a rerun: the warehouse holds exactly the rows of a clean run
(the rerun takes up the killed run's working copy: its committed batches are not redone)."""

import os
import signal

import duckdb
import pytest

from load.publish import work_paths
from tests.hardening.procs import harness_env, start_xxgk, table_contents, write_reports
from tests.helpers import q

REPORTS = 20


@pytest.mark.slow
def test_kill_during_load_then_rerun_equals_clean_run(cli, prefect_harness, tmp_path):
    folder = tmp_path / "in"
    agencies = write_reports(folder, REPORTS)
    db = tmp_path / "crashed.duckdb"
    proc = start_xxgk(
        "ingest",
        str(folder),
        "--db",
        str(db),
        cwd=tmp_path,
        XXGK_LOAD_BATCH="2",
        XXGK_WORKERS="0",
        **harness_env(),
    )
    loads = 0
    for line in proc.stderr:  # Prefect logs each finished load task (a committed batch)
        if "Task run 'load-" in line and "Completed" in line:
            loads += 1
            if loads == 3:
                os.kill(proc.pid, signal.SIGKILL)  # the next batch is being extracted or loaded
                break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    proc.stderr.close()
    proc.stdout.close()

    # nothing was published (readers never see a run half done); the run's working copy
    # holds the committed batches, nothing else, and opens for writing after the kill
    assert not db.exists()
    work = work_paths(db).work
    with duckdb.connect(str(work)) as con:
        con.execute("CHECKPOINT")
    loaded = q(work, "SELECT count(*) FROM reports")[0][0]
    assert 6 <= loaded < REPORTS
    assert q(work, "SELECT count(*) FROM requests")[0][0] == loaded * 25 * 7

    rerun = cli("ingest", str(folder), "--db", str(db))
    assert f"│   {REPORTS} │" in rerun.output
    clean = tmp_path / "clean.duckdb"
    cli("ingest", str(folder), "--db", str(clean))

    assert table_contents(db) == table_contents(clean)
    assert q(db, "SELECT agency_id FROM reports ORDER BY 1") == [(a,) for a in sorted(agencies)]
    assert q(db, "SELECT count(*) FROM reports GROUP BY agency_id, year HAVING count(*) > 1") == []
    assert q(db, "SELECT count(*) FROM failures")[0][0] == 0
