"""Publish benchmark: what the published-snapshot scheme (load/publish.py) costs a run.

Every `xxgk ingest` runs in a child process, from a shell's point of view, with no
Prefect server, and logs what its publish took (load.publish's INFO line: making the
working copy, then checkpoint, fsync and rename). In order:

- one text report into a new warehouse (`--repeat` times, each a new folder), then the
  same again with nothing changed: the end-to-end seconds (goals: < 3 s and < 2 s) and
  the publish's share (goal < 1 s);
- N generated PDFs (default 300, `--workers`) into a new warehouse, then N other PDFs
  into that warehouse (the working copy is a copy of the first N): wall seconds and the
  publish's share (goal < 10 % of the run);
- one text report into that 2N-report warehouse (goal: publish < 1 s);
- the file's bytes per agency-year, and with `--big PATH` (a warehouse such as
  `bench/warehouse.py --agency-years 1000000` builds) the publish of that file timed
  in this process on a copy of it: what a run on a warehouse that size pays.

Usage: python bench/publish_bench.py [N] [--workers W] [--repeat R] [--keep DIR] [--big PATH]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

GOAL_ONE_FILE_S, GOAL_UNCHANGED_S, GOAL_PUBLISH_S, GOAL_SHARE = 3.0, 2.0, 1.0, 0.10
# The `xxgk` app with load.publish's INFO line on stderr; nothing else differs.
CHILD = (
    "import logging, sys\n"
    "logging.basicConfig(level=logging.WARNING, format='%(name)s: %(message)s')\n"
    "logging.getLogger('load.publish').setLevel(logging.INFO)\n"
    "from flows.cli import app\n"
    "app(sys.argv[1:], prog_name='xxgk')\n"
)
PUBLISHED = re.compile(
    r"published .* \(([\d.]+) MiB; working copy (\w+) in ([\d.]+) s, published in ([\d.]+) s\)"
)


def ingest(args: list[str], cwd: Path) -> tuple[float, float, str, float, float]:
    """Given `xxgk ingest` arguments, run them in a child; return (wall seconds, publish
    seconds, how the working copy was made, published MiB, seconds making the working copy)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(cwd / "no-profile")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, "ingest", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )
    wall = time.perf_counter() - started
    found = PUBLISHED.search(proc.stderr)
    if proc.returncode or not found:
        raise SystemExit(f"xxgk ingest {args} failed:\n{proc.stderr[-2000:]}")
    mib, how, prepared, published = found.groups()
    return wall, float(prepared) + float(published), how, float(mib), float(prepared)


def write_pdfs(folder: Path, first: int, n: int) -> None:
    """Write PDFs number `first` .. first+n-1 of pdf_bench's corpus (one agency each)."""
    from pdf_bench import doc_of

    from tests.docgen.pdf import render_pdf

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + n):
        truth, style, pdf = doc_of(i)
        (folder / f"r{i:04d}.pdf").write_bytes(render_pdf(truth, style, pdf))


def write_text_report(path: Path, seed: int) -> None:
    import random

    from tests.docgen.text import render_text
    from tests.docgen.truth import random_truth

    truth = random_truth(random.Random(seed), "2021", agency=f"第{seed}号基准局", year=2024)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_text(truth))


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER GOAL"


def one_file(work: Path, repeat: int) -> None:
    """Time one text report into a new warehouse, then the same again unchanged."""
    report = work / "one" / "report.txt"
    write_text_report(report, 1)
    new, unchanged = [], []
    for i in range(repeat):
        db = work / f"one-{i}" / "warehouse.duckdb"
        new.append(ingest([str(report), "--db", str(db)], work))
        unchanged.append(ingest([str(report), "--db", str(db)], work))
    for label, runs, goal in (
        ("one text report, new warehouse", new, GOAL_ONE_FILE_S),
        ("the same again, nothing changed", unchanged, GOAL_UNCHANGED_S),
    ):
        wall = statistics.median(r[0] for r in runs)
        pub = statistics.median(r[1] for r in runs)
        print(
            f"{label}: {wall:.2f} s median of {len(runs)} (goal < {goal:g} s: "
            f"{verdict(wall < goal)}); publish {pub:.3f} s "
            f"(goal < {GOAL_PUBLISH_S:g} s: {verdict(pub < GOAL_PUBLISH_S)}; "
            f"working copy {runs[0][2]} in {statistics.median(r[4] for r in runs):.3f} s, "
            f"{runs[0][3]:.1f} MiB)"
        )


def nights(work: Path, n: int, workers: int) -> tuple[Path, float]:
    """Time N PDFs into a new warehouse, N others into it, then one text report; return the
    warehouse and the bytes a report added to it."""
    db = work / "pdf" / "warehouse.duckdb"
    first, second = work / "pdfs-1", work / "pdfs-2"
    started = time.perf_counter()
    write_pdfs(first, 0, n)
    write_pdfs(second, n, n)
    print(f"generated 2 x {n} PDFs in {time.perf_counter() - started:.1f} s")
    sizes: list[int] = []
    for label, folder in ((f"{n} PDFs, new warehouse", first), (f"{n} other PDFs", second)):
        wall, pub, how, mib, prepared = ingest(
            [str(folder), "--db", str(db), "--workers", str(workers)], work
        )
        share = pub / wall
        print(
            f"{label}: {wall:.1f} s wall, publish {pub:.3f} s = {100 * share:.2f} % "
            f"(goal < {100 * GOAL_SHARE:g} %: {verdict(share < GOAL_SHARE)}; working copy "
            f"{how} in {prepared:.3f} s, published {mib:.1f} MiB)"
        )
        sizes.append(db.stat().st_size)
    print(
        f"the second {n} reports added {(sizes[1] - sizes[0]) / n / 1024:.1f} KiB a report "
        f"to the file"
    )
    report = work / "late" / "report.txt"
    write_text_report(report, 2)
    wall, pub, how, mib, prepared = ingest([str(report), "--db", str(db)], work)
    print(
        f"one text report into the {2 * n}-report warehouse: {wall:.2f} s wall, publish "
        f"{pub:.3f} s (goal < {GOAL_PUBLISH_S:g} s: {verdict(pub < GOAL_PUBLISH_S)}; working "
        f"copy {how} in {prepared:.3f} s, {mib:.1f} MiB)"
    )
    return db, (sizes[1] - sizes[0]) / n


def compacted_per_report(db: Path, small: Path, work: Path) -> float:
    """Given the big and the one-report warehouse, copy each into a fresh file (COPY FROM
    DATABASE: no free blocks) and return the bytes a report adds there."""
    import duckdb

    sizes = []
    for i, src in enumerate((small, db)):
        dst = work / f"compact{i}.duckdb"  # its catalog: compact{i}
        dst.unlink(missing_ok=True)
        with duckdb.connect(str(dst)) as con:
            con.execute(f"ATTACH '{src}' AS w (READ_ONLY)")
            con.execute(f"COPY FROM DATABASE w TO compact{i}")
            (reports,) = con.execute("SELECT count(*) FROM w.reports").fetchone()
        sizes.append((reports, dst.stat().st_size))
    (n0, s0), (n1, s1) = sizes
    per_report = (s1 - s0) / (n1 - n0)
    print(f"copied into a fresh file (no free blocks), a report takes {per_report / 1024:.1f} KiB")
    return per_report


def big(path: Path, work: Path) -> None:
    """Time a publish (working copy, checkpoint, fsync, rename) of a copy of a big warehouse."""
    from load.publish import publishing
    from load.warehouse import Warehouse

    db = work / "big" / "warehouse.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, db)
    Warehouse(db).ensure_schema()  # as a run opens it (and the schema marked once)
    started = time.perf_counter()
    with publishing(db) as working:
        prepared = time.perf_counter()
        with Warehouse(working).begin() as conn:
            (reports,) = conn.exec_driver_sql("SELECT count(*) FROM reports").fetchone()
        finishing = time.perf_counter()
    ended = time.perf_counter()
    size = db.stat().st_size
    print(
        f"{path} ({reports:,} agency-years, {size / 2**30:.2f} GiB): working copy "
        f"{prepared - started:.1f} s, checkpoint + fsync + rename {ended - finishing:.2f} s; "
        f"disk during a run {2 * size / 2**30:.2f} GiB, between runs {size / 2**30:.2f} GiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=300, help="PDFs a night")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each one-file case")
    parser.add_argument("--keep", help="work here instead of a temporary folder")
    parser.add_argument("--big", help="also time the publish of (a copy of) this warehouse")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="xxgk-publish-bench-"))
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    one_file(work, args.repeat)
    db, per_report = nights(work, args.n, args.workers)
    compact = compacted_per_report(db, work / "one-0" / "warehouse.duckdb", work)
    print(
        f"at 1,000,000 agency-years, by those: {compact * 1e6 / 2**30:.1f} to "
        f"{per_report * 1e6 / 2**30:.1f} GiB published, twice that during a run"
    )
    if args.big:
        big(Path(args.big), work)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average after the runs (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
