"""Helpers for tests that run `xxgk` as real processes and read the warehouse afterwards."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.docgen.layout import Style
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth
from tests.helpers import REPO


def xxgk_command() -> list[str]:
    exe = shutil.which("xxgk", path=str(REPO / ".venv" / "bin")) or shutil.which("xxgk")
    return [exe] if exe else [sys.executable, "-m", "flows.cli"]


def start_xxgk(*args: str, cwd: Path, **env: str) -> subprocess.Popen:
    """Start `xxgk ARGS` in its own process; stdout and stderr piped."""
    return subprocess.Popen(
        [*xxgk_command(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, **env},
    )


def write_reports(folder: Path, n: int, seed: int = 0, prefix: str = "局") -> list[str]:
    """Write `n` generated text reports of distinct agencies into `folder`; return the agencies."""
    folder.mkdir(parents=True, exist_ok=True)
    agencies = []
    for i in range(n):
        truth = random_truth(random.Random(seed + i), "2021", agency=f"{prefix}{i:03d}", year=2024)
        (folder / f"r{i:03d}.txt").write_bytes(render_text(truth, Style()))
        agencies.append(truth.agency)
    return agencies


def table_contents(db) -> dict[str, list]:
    """Given a warehouse, return every base table's rows (timestamp columns left out), sorted."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        ]
        out = {}
        for table in tables:
            cols = [
                c
                for c, kind in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if not kind.startswith(("TIMESTAMP", "DATE", "TIME"))
            ]
            select = ", ".join(f'"{c}"' for c in cols)
            out[table] = sorted(con.execute(f"SELECT {select} FROM {table}").fetchall(), key=repr)
        return out


def harness_env() -> dict[str, str]:
    """Return the environment that points a child `xxgk` at this session's Prefect test server
    (saves it starting its own)."""
    from prefect.settings import PREFECT_API_URL

    return {"PREFECT_API_URL": PREFECT_API_URL.value(), "PREFECT_LOGGING_LEVEL": "INFO"}
