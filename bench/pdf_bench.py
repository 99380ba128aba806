"""PDF benchmark: `xxgk ingest` on N generated PDFs against a naive pdfplumber baseline.

Generates N PDF reports from known numbers (both templates, ruled and unruled,
quirks mixed), then in the same run:

- runs ``xxgk ingest DIR --workers W`` in a child process (the full pipeline,
  Prefect start-up included; W extraction processes, 0 = in the one process) and
  checks every loaded cell against the truth;
- runs the naive baseline in a child process: ``extract_tables()`` and
  ``extract_text()`` on every page with pdfplumber, nothing else;

and prints documents/s, pages/s and peak RSS of each and their ratio. Peak RSS is
given for the main process (getrusage) and, sampled every 50 ms, for the whole
process tree: the main process with its extraction workers, and with the
ephemeral Prefect server it starts.

Usage: python bench/pdf_bench.py [N] [--workers W] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.docgen.compare import expected_values  # noqa: E402
from tests.docgen.layout import Style  # noqa: E402
from tests.docgen.pdf import PdfStyle, render_pdf  # noqa: E402
from tests.docgen.truth import Truth, random_truth  # noqa: E402


def doc_of(i: int) -> tuple[Truth, Style, PdfStyle]:
    """Given a document number, return its truth and styles: every 4 in a row cover
    2019/2021 x ruled/unruled, the quirks drawn at random."""
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


def generate(n: int, folder: Path) -> dict[str, Truth]:
    """Given N and a folder, write N PDFs there and return file name -> truth."""
    truths = {}
    for i in range(n):
        truth, style, pdf = doc_of(i)
        name = f"r{i:04d}.pdf"
        (folder / name).write_bytes(render_pdf(truth, style, pdf))
        truths[name] = truth
    return truths


def naive(folder: str) -> None:
    """The baseline: pdfplumber extract_tables() and extract_text() on every page."""
    import pdfplumber

    pages = 0
    for path in sorted(Path(folder).glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
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


def _rss_mib(pid: int) -> tuple[float, str]:
    try:
        with open(f"/proc/{pid}/status") as fh:
            fields = dict(line.split(":", 1) for line in fh if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, fields["Name"].strip()
    except (OSError, KeyError, ValueError):
        return 0.0, ""


class TreeSampler(threading.Thread):
    """Sample the RSS of a process and its descendants; keep the peaks of the sum."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.peak_tree = self.peak_without_server = 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            tree, total, server = _children(), 0.0, 0.0
            todo = [self.pid]
            while todo:
                pid = todo.pop()
                todo.extend(tree.get(pid, []))
                rss, _ = _rss_mib(pid)
                total += rss
                with contextlib.suppress(OSError):
                    cmd = open(f"/proc/{pid}/cmdline", "rb").read()
                    if b"uvicorn" in cmd or b"prefect.server" in cmd or b"server start" in cmd:
                        server += rss
            self.peak_tree = max(self.peak_tree, total)
            self.peak_without_server = max(self.peak_without_server, total - server)
            time.sleep(0.05)


def run_child(argv: list[str]) -> tuple[float, int, str, TreeSampler]:
    """Given a command, run it and return (wall seconds, its peak RSS in MiB, stdout, tree sampler)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, text=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
        sampler.stop.set()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{argv} failed:\n{err.read()[-2000:]}")
        return wall, usage.ru_maxrss // 1024, out.read(), sampler


def accuracy(db: str, truths: dict[str, Truth]) -> tuple[int, int, int, int]:
    """Given the warehouse and the truths, return (cells exact, cells, docs exact, docs)."""
    import duckdb

    with duckdb.connect(db, read_only=True) as con:
        got: dict[str, dict] = {}
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
    for name, truth in truths.items():
        want = expected_values(truth)
        have = got.get(name, {})
        ok = sum(1 for k, v in want.items() if k in have and have[k] == v)
        exact += ok
        total += len(want)
        docs_exact += ok == len(want) and len(have) == len(want)
    return exact, total, docs_exact, len(truths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=200)
    parser.add_argument("--keep", help="write the PDFs and warehouse here instead of a temp dir")
    parser.add_argument("--workers", type=int, default=0, help="extraction processes for xxgk")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="xxgk-pdf-bench-"))
    folder = work / "pdfs"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.pdf"):
        old.unlink()
    db = str(work / "bench.duckdb")
    for path in (Path(db), work / "raw"):
        if path.is_file():
            path.unlink()
    t0 = time.perf_counter()
    truths = generate(args.n, folder)
    print(f"generated {args.n} PDFs in {time.perf_counter() - t0:.1f} s under {folder}")

    xxgk = str(Path(sys.executable).parent / "xxgk")
    env_db = ["--db", db]
    workers = ["--workers", str(args.workers)]
    full_s, full_rss, _, tree = run_child(
        [xxgk, "ingest", str(folder), *env_db, "--force", *workers]
    )
    naive_s, naive_rss, out, _ = run_child([sys.executable, __file__, "--naive", str(folder)])
    pages = int(out.strip())
    exact, cells, docs_exact, docs = accuracy(db, truths)

    n = args.n
    label = f"xxgk ingest --workers {args.workers}"
    print(f"{'':28}{'docs/s':>9}{'pages/s':>9}{'peak RSS MiB':>14}{'wall s':>9}")
    print(f"{label:28}{n / full_s:9.2f}{pages / full_s:9.1f}{full_rss:14d}{full_s:9.1f}")
    print(
        f"{'naive pdfplumber baseline':28}{n / naive_s:9.2f}{pages / naive_s:9.1f}{naive_rss:14d}{naive_s:9.1f}"
    )
    print(
        f"ratio full/naive: docs/s {naive_s / full_s:.2f}x, peak RSS {full_rss / max(naive_rss, 1):.2f}x"
    )
    print(
        f"xxgk peak RSS: main process {full_rss} MiB; main + workers {tree.peak_without_server:.0f} MiB; "
        f"whole tree with the ephemeral Prefect server {tree.peak_tree:.0f} MiB"
    )
    print(
        f"accuracy: {exact}/{cells} cells exact ({100 * exact / cells:.3f}%), "
        f"{docs_exact}/{docs} documents with every cell exact ({100 * docs_exact / docs:.1f}%)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--naive":
        naive(sys.argv[2])
    else:
        main()
