"""PDF benchmark: `xxgk ingest` against a naive pdfplumber pass on the same PDFs, same run.

By default generates N PDF reports from known numbers (both templates, ruled and
unruled, quirks mixed); with `--corpus DIR` takes every *.pdf under DIR instead.
Then, one after the other on this machine:

- `xxgk ingest` of the PDFs (a manifest listing them) with `--workers W`, in a child
  process, from a shell's point of view: start-up, extraction, transform, load, exit.
  No PREFECT_API_URL: the run needs no Prefect server;
- the naive baseline in a child process: pdfplumber `extract_tables()` and
  `extract_text()` on every page, nothing else;

and prints documents/s and pages/s of each, their ratio, the peak RSS of xxgk's whole
process tree (main process and extraction workers, sampled every 20 ms from /proc),
and, when the truth is known, how many cells the warehouse holds exactly. A generated
corpus keeps its truth in `expected.json` beside the PDFs, so `--keep DIR` then
`--corpus DIR/pdfs` checks cells again.

The machine may be shared: the load average is printed before and after the runs, and
each run's CPU seconds (user + system, its whole process tree) beside its wall time. The
ratio of CPU seconds moves less with other processes' load than the ratio of wall times,
but the goal is the wall-time ratio, measured in one run of both.

Goals (issues 12 and 20): docs/s >= 4x naive, every cell exact, peak tree RSS <= 500 MB.

Usage: python bench/pdf_bench.py [N] [--workers W] [--keep DIR] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

GOAL_RATIO, GOAL_RSS_MB = 4.0, 500


def doc_of(i: int):
    """Given a document number, return its truth and styles: every 4 in a row cover
    2019/2021 x ruled/unruled, the quirks drawn at random."""
    from tests.docgen.layout import Style
    from tests.docgen.pdf import PdfStyle
    from tests.docgen.truth import random_truth

    rng = random.Random(1000 + i)
    template = "2021" if i % 2 else "2019"
    style = Style(
        blank=rng.choice(["", "-", "—", "/"]),
        fullwidth=rng.random() < 0.25,
        thousands=rng.random() < 0.3,
        money=rng.choice(["plain", "yuan", "wan"]),
        split_header=rng.random() < 0.3,
        year_cn=rng.random() < 0.2,
    )
    pdf = PdfStyle(ruled=(i // 2) % 2 == 0, split_row=rng.random() < 0.4)
    # Unique agency per document so each one loads as its own agency-year.
    truth = random_truth(rng, template, blank_share=rng.choice([0.0, 0.3]), agency=f"第{i}号测试局")
    return truth, style, pdf


def generate(n: int, folder: Path) -> None:
    """Given N and a folder, write N PDFs there and their expected cells to expected.json."""
    from tests.docgen.compare import expected_values
    from tests.docgen.pdf import render_pdf

    expected = {}
    for i in range(n):
        truth, style, pdf = doc_of(i)
        name = f"r{i:04d}.pdf"
        (folder / name).write_bytes(render_pdf(truth, style, pdf))
        expected[name] = [[*key, value] for key, value in expected_values(truth).items()]
    (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False))


def naive(manifest: str) -> None:
    """The baseline: pdfplumber extract_tables() and extract_text() on every page."""
    import pdfplumber

    pages = 0
    with open(manifest, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            with pdfplumber.open(row["path"]) as pdf:
                for page in pdf.pages:
                    page.extract_tables()
                    page.extract_text()
                    pages += 1
    print(pages)


def _children() -> dict[int, list[int]]:
    """Return parent pid -> child pids of every process, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            fields = dict(line.split(":", 1) for line in fh if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return 0.0


class TreeSampler(threading.Thread):
    """Sample the RSS of a process and all its descendants; keep the peak of the sum."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.peak_tree = self.peak_main = 0.0
        self.most_processes = 0
        self.cpu = 0.0  # CPU seconds of the whole tree, once it has ended

    def run(self) -> None:
        while not self.stop.is_set():
            tree, total, todo, seen = _children(), 0.0, [self.pid], 0
            while todo:
                pid = todo.pop()
                todo.extend(tree.get(pid, []))
                total += _rss_mib(pid)
                seen += 1
            self.peak_tree = max(self.peak_tree, total)
            self.peak_main = max(self.peak_main, _rss_mib(self.pid))
            self.most_processes = max(self.most_processes, seen)
            time.sleep(0.02)


def _children_cpu() -> float:
    """Return the CPU seconds (user + system) of this process's waited-for descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_child(argv: list[str], env: dict | None = None) -> tuple[float, str, TreeSampler]:
    """Given a command, run it; return (wall seconds, its stdout, the sampler of its tree,
    with the CPU seconds of the whole tree in its ``cpu``)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        cpu = _children_cpu()
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, text=True, env=env)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        proc.wait()
        wall = time.perf_counter() - started
        sampler.cpu = _children_cpu() - cpu
        sampler.stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{argv} failed:\n{err.read()[-2000:]}")
        return wall, out.read(), sampler


def accuracy(db: str, expected: dict) -> tuple[int, int, int, int]:
    """Given the warehouse and file name -> expected cells, return
    (cells exact, cells, documents with every cell exact, documents)."""
    import duckdb

    got: dict[str, dict] = {}
    with duckdb.connect(db, read_only=True) as con:
        for table, a, b in (
            ("requests", "row_code", "applicant"),
            ("appeals", "proceeding", "outcome"),
            ("active_disclosure", "item", "metric"),
        ):
            for uri, x, y, value in con.execute(
                f"SELECT r.source_uri, t.{a}, t.{b}, t.value FROM {table} t "
                "JOIN reports r USING (agency_id, year)"
            ).fetchall():
                got.setdefault(Path(uri).name, {})[(table, x, y)] = (
                    None if value is None else float(value)
                )
    exact = total = docs_exact = 0
    for name, cells in expected.items():
        want = {(t, x, y): v for t, x, y, v in cells}
        have = got.get(name, {})
        ok = sum(1 for k, v in want.items() if k in have and have[k] == v)
        exact += ok
        total += len(want)
        docs_exact += ok == len(want) and len(have) == len(want)
    return exact, total, docs_exact, len(expected)


def write_manifest(pdfs: list[Path], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path"])
        writer.writerows([str(p)] for p in pdfs)


def prepare(args) -> tuple[Path, Path, dict | None]:
    """Return (work folder, the PDFs' folder, expected cells by file name or None)."""
    work = Path(args.keep or tempfile.mkdtemp(prefix="xxgk-pdf-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for stale in (work / "bench.duckdb", work / "bench.duckdb.wal"):
        stale.unlink(missing_ok=True)
    if args.corpus:
        folder = Path(args.corpus).resolve()
    else:
        folder = work / "pdfs"
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.pdf"):
            old.unlink()
        t0 = time.perf_counter()
        generate(args.n, folder)
        print(f"generated {args.n} PDFs in {time.perf_counter() - t0:.1f} s under {folder}")
    truth = folder / "expected.json"
    expected = json.loads(truth.read_text(encoding="utf-8")) if truth.is_file() else None
    return work, folder, expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=200, help="PDFs to generate")
    parser.add_argument("--keep", help="work here (PDFs, warehouse) instead of a temp dir")
    parser.add_argument("--workers", type=int, default=2, help="extraction processes for xxgk")
    parser.add_argument("--corpus", help="benchmark every *.pdf under this folder instead")
    args = parser.parse_args()
    work, folder, expected = prepare(args)
    pdfs = sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf")
    manifest = work / "bench-manifest.csv"
    write_manifest(pdfs, manifest)
    db = str(work / "bench.duckdb")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}

    xxgk = str(Path(sys.executable).parent / "xxgk")
    load_before = os.getloadavg()
    ours_s, _, tree = run_child(
        [xxgk, "ingest", str(manifest), "--db", db, "--force", "--workers", str(args.workers)],
        env,
    )
    naive_s, out, naive_tree = run_child([sys.executable, __file__, "--naive", str(manifest)])
    print(f"machine load average before the runs (1, 5, 15 min): {_load(load_before)}")
    times = {"ours": (ours_s, tree.cpu), "naive": (naive_s, naive_tree.cpu)}
    report(len(pdfs), int(out.strip()), times, tree, args.workers, db, expected)


def _load(load: tuple[float, float, float]) -> str:
    return ", ".join(f"{x:.1f}" for x in load)


def report(n, pages, times, tree, workers, db, expected) -> None:
    (ours_s, ours_cpu), (naive_s, naive_cpu) = times["ours"], times["naive"]
    ratio = naive_s / ours_s
    label = f"xxgk ingest --workers {workers}"
    print(f"{n} PDFs, {pages} pages")
    print(f"{'':30}{'docs/s':>9}{'pages/s':>9}{'wall s':>9}{'cpu s':>9}")
    print(f"{label:30}{n / ours_s:9.2f}{pages / ours_s:9.1f}{ours_s:9.1f}{ours_cpu:9.1f}")
    print(
        f"{'naive pdfplumber (1 process)':30}{n / naive_s:9.2f}{pages / naive_s:9.1f}"
        f"{naive_s:9.1f}{naive_cpu:9.1f}"
    )
    verdict = "ok" if ratio >= GOAL_RATIO else "BELOW GOAL"
    print(f"docs/s ratio xxgk/naive: {ratio:.2f}x (goal >= {GOAL_RATIO:g}x: {verdict})")
    print(f"CPU seconds ratio naive/xxgk: {naive_cpu / max(ours_cpu, 1e-9):.2f}x")
    rss_verdict = "ok" if tree.peak_tree <= GOAL_RSS_MB else "OVER GOAL"
    print(
        f"xxgk peak RSS: whole process tree {tree.peak_tree:.0f} MiB "
        f"(goal <= {GOAL_RSS_MB}: {rss_verdict}; {tree.most_processes} processes at most), "
        f"main process {tree.peak_main:.0f} MiB"
    )
    load = _load(os.getloadavg())
    print(f"machine load average after the runs (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    if expected is None:
        print("accuracy: no expected.json beside the PDFs: speed and memory only")
        return
    exact, cells, docs_exact, docs = accuracy(db, expected)
    print(
        f"accuracy: {exact}/{cells} cells exact ({100 * exact / max(cells, 1):.3f}%), "
        f"{docs_exact}/{docs} documents with every cell exact"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--naive":
        naive(sys.argv[2])
    else:
        with contextlib.suppress(KeyboardInterrupt):
            main()
