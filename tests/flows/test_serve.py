"""`xxgk serve` with no Prefect server configured: it starts a real local one, the schedule
fires, the scheduled runs load the warehouse, and stopping it leaves no process behind."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import psutil
import pytest

from flows.server import answers, free_port, local_server
from tests.docgen.compare import expected_values, warehouse_values
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth
from tests.flows.prefect_api import deployment, deployment_runs, run_summaries
from tests.hardening.procs import xxgk_command
from tests.helpers import REPO, q

INTERVAL = 10  # seconds between scheduled runs


def completed(runs: list) -> list:
    return [r for r in runs if r.state is not None and r.state.is_completed()]


def wait_for_completed_runs(api_url: str, proc: subprocess.Popen, n: int, limit: float) -> list:
    """Return the deployment's runs once `n` of them completed; fail if serve dies or time runs out."""
    deadline = time.monotonic() + limit
    runs: list = []
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"xxgk serve exited with {proc.returncode}"
        if answers(api_url):
            try:
                runs = deployment_runs(api_url)
            except Exception:  # the deployment is not registered yet
                runs = []
            if len(completed(runs)) >= n:
                return runs
        time.sleep(2)
    states = [(r.name, r.state_name) for r in runs]
    raise AssertionError(f"fewer than {n} completed runs in {limit:g} s: {states}")


@pytest.mark.slow
def test_serve_fires_on_schedule_against_its_own_server_and_stops_cleanly(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    truths = [
        random_truth(random.Random(70 + i), "2021", agency=f"定时{i}号局", year=2024)
        for i in range(3)
    ]
    for i, truth in enumerate(truths):
        (folder / f"r{i}.txt").write_bytes(render_text(truth))
    db = tmp_path / "w.duckdb"
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "no-profile")  # no ~/.prefect profile's API URL either
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*xxgk_command(), "serve", str(folder), "--db", str(db)]
            + ["--interval", str(INTERVAL), "--port", str(port), "--workers", "1"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
        )
    try:
        runs = wait_for_completed_runs(api_url, proc, n=2, limit=240)
        summaries = run_summaries(api_url)
        started = psutil.Process(proc.pid).children(recursive=True)
        assert any("prefect" in " ".join(p.cmdline()) for p in started)  # the server is ours
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=90) == 0, log.read_text(errors="replace")[-3000:]
    finally:
        if proc.poll() is None:  # the test failed early: still stop it as an operator would
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    # every process serve started is gone: the server (and its uvicorn), flow runs, workers
    gone, alive = psutil.wait_procs(started, timeout=30)
    assert [(p.pid, p.name()) for p in alive] == []
    for p in psutil.process_iter(["cmdline"]):
        assert f"--port {port}" not in " ".join(p.info["cmdline"] or []), p
    assert not answers(api_url)
    # stopped as on Ctrl-C: Prefect 3.8's own SIGTERM handler never awaited its stop()
    assert "was never awaited" not in log.read_text(errors="replace")

    done = completed(runs)
    assert len(done) >= 2 and all(r.auto_scheduled for r in done)  # the schedule fired them
    for run in done[:2]:  # each run's summary: 3 loaded, then 3 unchanged
        assert "Sources seen: **3**" in summaries[run.id]
    assert "| valid | 3 |" in summaries[done[0].id]
    assert "| unchanged | 3 |" in summaries[done[1].id]
    assert q(db, "SELECT agency_id, status FROM reports ORDER BY 1") == [
        (t.agency, "valid") for t in sorted(truths, key=lambda t: t.agency)
    ]
    for truth in truths:
        assert warehouse_values(str(db), truth.agency, truth.year) == expected_values(truth)
    assert q(db, "SELECT count(*) FROM requests")[0][0] == 3 * 25 * 7
    assert q(db, "SELECT count(*) FROM failures")[0][0] == 0
    assert (tmp_path / "prefect" / "prefect.db").is_file()  # its home: beside the warehouse


@pytest.mark.slow
def test_local_server_dies_with_the_process_that_started_it(tmp_path):
    """Even a SIGKILLed `xxgk serve` (no handler runs) leaves no Prefect server behind."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from flows.server import local_server\n"
        "with local_server(Path(sys.argv[1])) as url:\n"
        "    print(url, flush=True)\n"
        "    time.sleep(600)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / "prefect")],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    server: list = []
    try:
        api_url = proc.stdout.readline().strip()
        assert answers(api_url)
        server = psutil.Process(proc.pid).children(recursive=True)
        assert server
        proc.kill()
        proc.wait()
        gone, alive = psutil.wait_procs(server, timeout=30)
        assert [(p.pid, p.name()) for p in alive] == []
        assert not answers(api_url)
    finally:
        for p in [*server, psutil.Process(proc.pid)] if proc.poll() is None else server:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()  # whatever the outcome, leave nothing running
        proc.wait()
        proc.stdout.close()


@pytest.mark.slow
def test_serve_uses_the_configured_server_and_pauses_its_schedule(tmp_path):
    """With PREFECT_API_URL set, serve starts no server of its own; stopped, it pauses the
    schedule there: no future run left scheduled for a runner that is gone (a run already
    due when it stopped stays, and runs when serve starts again)."""
    folder = tmp_path / "in"
    folder.mkdir()
    truth = random_truth(random.Random(80), "2019", agency="共享服务器局", year=2020)
    (folder / "r.txt").write_bytes(render_text(truth))
    db = tmp_path / "w.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    with local_server(tmp_path / "team-server") as api_url:  # a team's `prefect server start`
        env["PREFECT_API_URL"] = api_url
        proc = subprocess.Popen(
            [*xxgk_command(), "serve", str(folder), "--db", str(db)]
            + ["--interval", str(INTERVAL), "--workers", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=tmp_path,
        )
        try:
            wait_for_completed_runs(api_url, proc, n=1, limit=240)
            started = psutil.Process(proc.pid).children(recursive=True)
            proc.send_signal(signal.SIGTERM)
            stopping = datetime.now(UTC)
            assert proc.wait(timeout=90) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert deployment(api_url).paused
        left = [
            r.expected_start_time
            for r in deployment_runs(api_url)
            if r.state_name == "Scheduled" and r.expected_start_time > stopping
        ]
    gone, alive = psutil.wait_procs(started, timeout=30)
    assert [(p.pid, p.name()) for p in alive] == []
    assert not (tmp_path / "prefect").exists()  # no server of its own beside the warehouse
    assert left == []
    assert warehouse_values(str(db), truth.agency, truth.year) == expected_values(truth)
