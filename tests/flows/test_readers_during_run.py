"""Analysts and runs share the warehouse (issue 21), with real processes: a reader holding the
warehouse open never breaks a run, a reader opening it mid-run sees the last complete state,
a killed run publishes nothing, and a writer that cannot get the lock or cannot publish says
so in one line with its exit code."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from load.lock import writer_lock
from load.publish import work_paths
from tests.docgen.pdf import PdfStyle, render_pdf
from tests.docgen.truth import random_truth
from tests.hardening.procs import (
    harness_env,
    start_xxgk,
    table_contents,
    write_reports,
    xxgk_command,
)
from tests.helpers import REPO, lock_held_elsewhere, q

# A notebook on the warehouse: one read-only connection, kept open, asked again and again
# until the stop file appears; then every answer (when, how many reports) and every error.
READER = """
import json, os, sys, time
import duckdb
db, stop = sys.argv[1], sys.argv[2]
con = duckdb.connect(db, read_only=True)
print("open", flush=True)
answers, errors = [], []
while not os.path.exists(stop):
    try:
        answers.append((time.time(), con.execute("SELECT count(*) FROM reports").fetchone()[0]))
    except Exception as exc:
        errors.append(str(exc))
    time.sleep(0.02)
print(json.dumps({"answers": answers, "errors": errors}), flush=True)
"""


def plain_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Return an environment with no Prefect server: `xxgk` runs the pipeline in its process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "no-profile")  # no ~/.prefect profile's API URL
    env["COLUMNS"] = "400"
    return env | extra


def xxgk(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `xxgk ARGS` in its own process to the end."""
    return subprocess.run(
        [*xxgk_command(), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


def write_pdf_reports(folder: Path, n: int, seed: int) -> list[str]:
    """Write `n` generated PDF reports of distinct agencies into `folder`; return the agencies."""
    folder.mkdir(parents=True, exist_ok=True)
    agencies = []
    for i in range(n):
        agency = f"第{seed + i}号测试局"  # a name a PDF's heading reads back whole
        truth = random_truth(random.Random(seed + i), "2021", agency=agency, year=2024)
        pdf = PdfStyle(ruled=i % 2 == 0)
        (folder / f"r{i:03d}.pdf").write_bytes(render_pdf(truth, pdf=pdf))
        agencies.append(truth.agency)
    return agencies


def start_batched_ingest(folder: Path, db: Path) -> subprocess.Popen:
    """Start `xxgk ingest FOLDER` in its own process under the Prefect harness, loading
    batches of two."""
    return start_xxgk(
        "ingest",
        str(folder),
        "--db",
        str(db),
        cwd=db.parent,
        XXGK_LOAD_BATCH="2",
        XXGK_WORKERS="0",
        **harness_env(),
    )


def wait_for_loads(proc: subprocess.Popen, n: int) -> None:
    """Return once the run (under Prefect, logging at INFO) has committed `n` load batches."""
    loads = 0
    for line in proc.stderr:  # Prefect logs each finished load task (a committed batch)
        if "Task run 'load-" in line and "Completed" in line:
            loads += 1
            if loads == n:
                return
    raise AssertionError(f"the run ended after {loads} load batches")


def test_reader_holding_the_warehouse_for_the_whole_run(tmp_path):
    env = plain_env(tmp_path)
    (first,) = write_reports(tmp_path / "first", 1, seed=0, prefix="先")
    (second,) = write_reports(tmp_path / "second", 1, seed=1, prefix="后")
    db = tmp_path / "warehouse.duckdb"
    assert (
        xxgk("ingest", str(tmp_path / "first"), "--db", str(db), env=env, cwd=tmp_path).returncode
        == 0
    )

    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        started = time.time()
        run = xxgk("ingest", str(tmp_path / "second"), "--db", str(db), env=env, cwd=tmp_path)
        ended = time.time()
        time.sleep(0.3)
        stop.touch()
        seen = json.loads(reader.stdout.readline())
        reader.wait(30)
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()
        reader.stdout.close()

    # the run did not notice the reader
    assert run.returncode == 0, run.stderr
    assert "│    1 │     1 │" in run.stdout
    # the reader answered throughout, from the state it opened, and never failed
    assert seen["errors"] == []
    during = [t for t, _ in seen["answers"] if started <= t <= ended]
    assert len(during) >= 10
    times = [started, *during, ended]
    assert max(b - a for a, b in zip(times, times[1:], strict=False)) < 1.5
    assert {n for _, n in seen["answers"]} == {1}
    # a new connection sees the new report
    assert q(db, "SELECT name FROM agencies ORDER BY name") == sorted([(first,), (second,)])
    assert q(db, "SELECT count(*) FROM requests")[0][0] == 2 * 25 * 7


PDFS = 24


@pytest.mark.slow
def test_reader_opening_mid_run_sees_the_last_complete_state(prefect_harness, tmp_path):
    before_agencies = write_reports(tmp_path / "before", 3, seed=10, prefix="旧")
    new_agencies = write_pdf_reports(tmp_path / "pdfs", PDFS, seed=200)
    db = tmp_path / "warehouse.duckdb"
    env = plain_env(tmp_path)
    assert (
        xxgk("ingest", str(tmp_path / "before"), "--db", str(db), env=env, cwd=tmp_path).returncode
        == 0
    )
    before = table_contents(db)

    proc = start_batched_ingest(tmp_path / "pdfs", db)
    try:
        wait_for_loads(proc, 3)  # six PDFs are in the run's working copy by now
        assert proc.poll() is None
        # a reader opening now gets the state before the run, whole
        assert table_contents(db) == before
        assert q(db, "SELECT name FROM agencies ORDER BY 1") == [
            (a,) for a in sorted(before_agencies)
        ]
        # the working copy is the run's alone: DuckDB's lock turns a reader away from it
        with pytest.raises(duckdb.IOException, match="lock"):
            duckdb.connect(str(work_paths(db).work), read_only=True)
        wait_for_loads(proc, 3)
        assert table_contents(db) == before
    finally:
        out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]

    assert q(db, "SELECT name FROM agencies ORDER BY 1") == [
        (a,) for a in sorted(before_agencies + new_agencies)
    ]
    assert q(db, "SELECT count(*) FROM requests")[0][0] == (3 + PDFS) * 25 * 7
    assert list(work_paths(db).work.parent.iterdir()) == []  # a published run leaves nothing


@pytest.mark.slow
def test_kill_9_mid_run_keeps_the_last_complete_state(cli, prefect_harness, tmp_path):
    write_reports(tmp_path / "before", 2, seed=20, prefix="昨")
    agencies = write_reports(tmp_path / "tonight", 20, seed=40, prefix="今")
    db = tmp_path / "warehouse.duckdb"
    cli("ingest", str(tmp_path / "before"), "--db", str(db))
    before = table_contents(db)

    proc = start_batched_ingest(tmp_path / "tonight", db)
    wait_for_loads(proc, 3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    assert table_contents(db) == before  # the published state: the last complete one

    # the next run takes up the killed run's committed batches and publishes everything
    rerun = cli("ingest", str(tmp_path / "tonight"), "--db", str(db))
    counts = re.search(r"│\s+20 │\s+(\d+) │\s+0 │\s+0 │\s+(\d+) │\s+0 │", rerun.output)
    valid, unchanged = map(int, counts.groups())
    assert valid + unchanged == 20 and unchanged >= 6  # 3 batches of 2 were not redone
    clean = tmp_path / "clean.duckdb"
    cli("ingest", str(tmp_path / "before"), "--db", str(clean))
    cli("ingest", str(tmp_path / "tonight"), "--db", str(clean))
    assert table_contents(db) == table_contents(clean)
    assert q(db, "SELECT count(*) FROM reports")[0][0] == 22
    assert {a for (a,) in q(db, "SELECT name FROM agencies")} >= set(agencies)


@pytest.fixture
def lock_holder(tmp_path):
    """Another xxgk writer on the warehouse: a process holding its writer lock."""
    db = str(tmp_path / "warehouse.duckdb")
    with lock_held_elsewhere(db, "nightly") as proc:
        yield db, proc


@pytest.mark.parametrize("prefect", [False, True], ids=["plain", "prefect"])
def test_writer_without_the_lock_says_one_line_exit_3(lock_holder, prefect, tmp_path, request):
    db, holder = lock_holder
    write_reports(tmp_path / "in", 1)
    env = plain_env(tmp_path)
    if prefect:  # under Prefect too: the CLI takes the lock before any flow run starts
        request.getfixturevalue("prefect_harness")
        env |= harness_env()
    run = xxgk("ingest", str(tmp_path / "in"), "--db", db, "--wait", "0.5", env=env, cwd=tmp_path)
    assert run.returncode == 3
    assert run.stderr.splitlines() == [
        f"error: warehouse {db} is being written by pid {holder.pid} since "
        + re.search(r"since (\S+) \(nightly\)", run.stderr).group(1)
        + " (nightly); waited 0.5 s (try again later, or pass a longer --wait)"
    ]
    assert not Path(db).exists()


def test_dask_hint_is_printed_literally(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['prefect_dask'] = None  # the dask extra not installed\n"
        "from flows.cli import app\n"
        "app(sys.argv[1:])\n"
    )
    db = str(tmp_path / "warehouse.duckdb")
    write_reports(tmp_path / "in", 1)
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "ingest",
            str(tmp_path / "in"),
            "--db",
            db,
            "--runner",
            "dask",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=plain_env(tmp_path),
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "error: --runner dask needs prefect-dask: pip install -e '.[dask]'"
    ]


def unwritable(folder: Path):
    """Make the folder's entries unchangeable for the block (its files stay writable): chmod for
    a user, `chattr +i` for root (whom permissions do not stop); skip where neither can."""
    from contextlib import contextmanager

    @contextmanager
    def block():
        if os.geteuid() != 0:
            folder.chmod(0o555)
            try:
                yield
            finally:
                folder.chmod(0o755)
            return
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"cannot make a folder unwritable to root here: {made.stderr.strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)

    return block()


@pytest.mark.slow
def test_a_night_that_cannot_publish_fails_clearly_and_the_next_publishes(
    prefect_harness, tmp_path
):
    """The served deployment's flow: a run that cannot publish (its folder cannot be written)
    is a failed Prefect flow run saying so, the published state stays; the next run, the
    folder writable again, takes the failed run's loads up and publishes."""
    from flows.ingest import ingest as ingest_flow
    from flows.settings import RunOptions
    from load.errors import PublishFailed

    data = tmp_path / "data"
    db = str(data / "warehouse.duckdb")
    first = write_reports(tmp_path / "night1", 1, seed=60, prefix="一")
    second = write_reports(tmp_path / "night2", 2, seed=70, prefix="二")
    third = write_reports(tmp_path / "night3", 1, seed=80, prefix="三")
    options = RunOptions(db, workers=0)
    done = ingest_flow([str(tmp_path / "night1")], options, return_state=True)
    assert done.is_completed()
    before = table_contents(db)

    with unwritable(data):
        failed = ingest_flow([str(tmp_path / "night2")], options, return_state=True)
        assert failed.is_failed()
        assert f"could not publish the run to {db}: [Errno " in failed.message
        assert isinstance(failed.result(raise_on_failure=False), PublishFailed)
        assert table_contents(db) == before
        # from the command line: one line, exit 5
        env = plain_env(tmp_path)
        run = xxgk("ingest", str(tmp_path / "night3"), "--db", db, env=env, cwd=tmp_path)
        assert run.returncode == 5
        notice, line = run.stderr.splitlines()  # it took up the loads night 2 left, then failed
        assert notice == (
            f"taking up the loads of a run that did not publish ({work_paths(db).work})"
        )
        assert line.startswith(f"error: could not publish the run to {db}: [Errno ")
        assert line.endswith(
            f"{db} still holds the last published state (the run's loads stay in "
            f"{work_paths(db).work}: the next run takes them up)"
        )
        assert table_contents(db) == before

    nextnight = ingest_flow([str(tmp_path / "night3")], options, return_state=True)
    assert nextnight.is_completed()
    assert q(db, "SELECT name FROM agencies ORDER BY 1") == [
        (a,) for a in sorted(first + second + third)
    ]
    assert q(db, "SELECT count(*) FROM requests")[0][0] == 4 * 25 * 7
    with writer_lock(db, wait=0):  # nothing left holding it
        pass
