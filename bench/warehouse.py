"""Benchmark: a synthetic warehouse of N agency-years and the time of a national aggregate.

    python bench/warehouse.py --agency-years 1000000 [--db /tmp/xxgk-bench.duckdb]

Builds the real schema (load.warehouse), fills it with bench/synthetic.sql, then
times the national aggregate (requests by outcome group and year) over the
`request_outcomes` view, best of 5 runs after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from load.warehouse import Warehouse  # noqa: E402
from transform.registry import REGISTRY_VERSION  # noqa: E402

NATIONAL = """
SELECT year, outcome_group, sum(value) AS requests
FROM request_outcomes
WHERE applicant = 'total'
GROUP BY year, outcome_group
ORDER BY year, outcome_group
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--agency-years", type=int, default=1_000_000)
    ap.add_argument("--db", default="/tmp/xxgk-bench.duckdb")
    ap.add_argument("--keep", action="store_true", help="Reuse an existing bench warehouse.")
    args = ap.parse_args()
    db = Path(args.db)
    if not (args.keep and db.exists()):
        for p in (db, Path(f"{db}.wal")):
            p.unlink(missing_ok=True)
        Warehouse(db).ensure_schema()
        sql = (Path(__file__).parent / "synthetic.sql").read_text(encoding="utf-8")
        started = time.perf_counter()
        with duckdb.connect(str(db)) as con:
            con.execute(
                sql.replace("$n", str(args.agency_years)).replace(
                    "$registry_version", REGISTRY_VERSION
                )
            )
        Warehouse(db).ensure_schema()  # derives request_outcome_totals, as loading does
        with duckdb.connect(str(db)) as con:
            con.execute("CHECKPOINT")
        print(f"built {args.agency_years:,} agency-years in {time.perf_counter() - started:.1f} s")

    if args.keep:
        started = time.perf_counter()
        Warehouse(db).ensure_schema()  # a kept warehouse gets tables added since, derived once
        print(f"schema brought up to date in {time.perf_counter() - started:.1f} s")

    with duckdb.connect(str(db), read_only=True) as con:
        cells = sum(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("requests", "appeals", "active_disclosure")
        )
        print(f"cells: {cells:,}  file: {os.path.getsize(db) / 2**30:.2f} GiB")
        con.execute(NATIONAL).fetchall()
        times = []
        for _ in range(5):
            started = time.perf_counter()
            rows = con.execute(NATIONAL).fetchall()
            times.append(time.perf_counter() - started)
        print(
            f"national aggregate ({len(rows)} rows): best {min(times):.3f} s, median {sorted(times)[2]:.3f} s"
        )


if __name__ == "__main__":
    main()
