"""Helpers shared by test modules: repository paths, the seed reports' golden values, and
read-only queries of a warehouse. Test modules import these from here, never from one
another (nor from conftest.py, which pytest loads on its own)."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
SEEDS = sorted(SAMPLES.glob("0*.txt"))
SHARED_SPEC = REPO.parent / "shared" / "spec"
GOLDEN = Path(__file__).resolve().parent / "golden"

# ---------------------------------------------------------------- the seed reports

# What each seed's heading says: (agency, year, template).
EXPECTED_META = {
    "000_76d1d7d14147d7ef": ("偃师区科学技术局", 2024, "2021"),
    "002_7775110d8bfba866": ("保定市科学技术局", 2024, "2021"),
}
# The golden files name the warehouse's tables; a Cell names the extract stage's.
_CELL_TABLE = {"requests": "requests", "appeals": "appeals", "active_disclosure": "active"}


def golden_rows(stem: str) -> list[dict[str, str]]:
    """Given a seed's file stem, return the rows of its golden CSV (table, row, col, raw, value)."""
    with open(GOLDEN / f"{stem}.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def golden(stem: str) -> dict[tuple[str, str, str], str]:
    """Given a seed's file stem, return its cells' raw text keyed (Cell.table, row, col)."""
    return {(_CELL_TABLE[r["table"]], r["row"], r["col"]): r["raw"] for r in golden_rows(stem)}


# ---------------------------------------------------------------- the warehouse

# The tables one report's load writes, as `xxgk` tests compare them.
FACT_TABLES = ["reports", "requests", "appeals", "active_disclosure", "report_sections", "checks"]
# The tables a load writes, agencies first (checks are dumped after them).
LOAD_TABLES = ("agencies", "reports", "requests", "appeals", "active_disclosure", "report_sections")


def q(db, sql: str, *params):
    """Given a warehouse path, a query and its ? parameters, return its rows (read-only)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def snapshot(db) -> dict[str, list]:
    """Given a warehouse, return each fact table's rows sorted (reports without loaded_at)."""
    return {
        t: sorted(
            q(
                db,
                f"SELECT * EXCLUDE (loaded_at) FROM {t}"
                if t == "reports"
                else f"SELECT * FROM {t}",
            ),
            key=repr,
        )
        for t in FACT_TABLES
    }


def dump(db) -> dict[str, list]:
    """Given a warehouse, return every row of the tables a load writes, checks too, every
    column (loaded_at included): for before/after comparisons of a load."""
    out = {t: q(db, f"SELECT * FROM {t} ORDER BY ALL") for t in LOAD_TABLES}
    out["checks"] = q(db, "SELECT * FROM checks ORDER BY ALL")
    return out


def failures_by_name(db) -> list[tuple[str, str, str]]:
    """Given a warehouse, return its failures as (file name, stage, error), by file name."""
    return q(
        db, "SELECT regexp_extract(source_uri, '[^/]+$'), stage, error FROM failures ORDER BY 1"
    )


# ---------------------------------------------------------------- other processes

_HOLD_LOCK = """
import sys, time
sys.path.insert(0, {repo!r})
from load.lock import writer_lock
with writer_lock({db!r}, what={what!r}):
    print("locked", flush=True)
    time.sleep(120)
"""


@contextmanager
def lock_held_elsewhere(db, what: str) -> Iterator[subprocess.Popen]:
    """Given a warehouse path and what holds it, run the block while another process holds its
    writer lock (yielded: that process, killed when the block ends)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK.format(repo=str(REPO), db=str(db), what=what)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
