"""A local Prefect server for `xxgk serve`, and stopping every process a run started.

Prefect's ephemeral server cannot run schedules ("Cannot schedule flows on an
ephemeral server"), so a served deployment needs a real `prefect server start`.
With no PREFECT_API_URL, `xxgk serve` starts one here: on loopback, on a free port
(or the one asked for), with its own PREFECT_HOME and SQLite database, the UI on;
waits until `/api/health` answers; and stops the server's whole process group when
it stops. Importing this module does not import prefect.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from flows.errors import ServerFailed

HOST = "127.0.0.1"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def free_port(host: str = HOST) -> int:
    """Return a TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def server_env(home: Path, port: int) -> dict[str, str]:
    """Given the server's home and port, return its environment: SQLite in `home`, UI on."""
    return {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        "PREFECT_API_URL": f"http://{HOST}:{port}/api",
        "PREFECT_SERVER_API_HOST": HOST,
        "PREFECT_SERVER_API_PORT": str(port),
        # flows/settings.py turns the UI off for the ephemeral server; this one is for people
        "PREFECT_UI_ENABLED": "true",
        "PREFECT_SERVER_UI_ENABLED": "true",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }


def answers(api_url: str, timeout: float = 2.0) -> bool:
    """Tell whether the Prefect API at `api_url` says it is healthy."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_until_healthy(
    api_url: str, process: subprocess.Popen[bytes], timeout: float, log: Path
) -> None:
    """Return once the server answers; raise ServerFailed if it exits or takes over `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(
                f"the Prefect server exited with code {process.returncode}; see {log}"
            )
        if answers(api_url):
            return
        time.sleep(0.25)
    raise ServerFailed(
        f"the Prefect server did not answer at {api_url} in {timeout:g} s; see {log}"
    )


def _die_with_parent() -> None:
    """In the server's process before it runs: get SIGTERM when the process that started it
    dies, even by SIGKILL (Linux prctl PR_SET_PDEATHSIG), so no server outlives `xxgk serve`."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def stop_group(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """Stop a process started in its own session and every process of its group."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with suppress(ProcessLookupError):  # members that outlived the leader
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def local_server(home: Path, port: int | None = None, timeout: float = 180.0) -> Iterator[str]:
    """Run the block with a Prefect server on loopback (SQLite under `home`); yield its API URL.

    The server runs in its own process group, stopped (all of it) when the block ends.
    """
    port = port or free_port()
    api_url = f"http://{HOST}:{port}/api"
    if answers(api_url, timeout=0.5):
        raise ServerFailed(f"port {port} is taken by another server; pass another --port")
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "server.log"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", HOST]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            env=server_env(home, port),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one
            preexec_fn=_die_with_parent,
        )
    try:
        wait_until_healthy(api_url, process, timeout, log_path)
        yield api_url
    finally:
        stop_group(process)


def descendants(pid: int) -> list[int]:
    """Given a process id, return the ids of every process below it (from /proc), nearest first."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                parent = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop(0)
        found.append(child)
        todo.extend(children.get(child, []))
    return found


def _status(pid: int) -> dict[str, str]:
    """Given a process id, return its /proc status fields (empty when it is gone)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as fh:
            return dict(line.rstrip("\n").split(":\t", 1) for line in fh if ":\t" in line)
    except OSError:
        return {}


def _alive(pid: int) -> bool:
    """Tell whether a process runs (a zombie waiting to be reaped does not)."""
    state = _status(pid).get("State", "Z")
    return not state.startswith(("Z", "X"))


def _ignores_sigterm(pid: int) -> bool:
    """Tell whether a process ignores SIGTERM (multiprocessing's resource tracker does: it
    leaves when its parent does)."""
    mask = int(_status(pid).get("SigIgn", "0"), 16)
    return bool(mask & (1 << (signal.SIGTERM - 1)))


def stop_descendants(grace: float = 15.0) -> None:
    """Stop every process this one started, and theirs: SIGTERM, then SIGKILL for those still
    there after `grace` seconds (at once for those that ignore SIGTERM)."""
    pids = descendants(os.getpid())
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not any(_alive(pid) and not _ignores_sigterm(pid) for pid in pids):
            break
        time.sleep(0.1)
    for pid in pids:
        if _alive(pid):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
