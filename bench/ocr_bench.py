"""OCR benchmark: seconds per page and peak memory of `xxgk ingest` on scanned PDFs.

Takes the scanned PDFs given (`--corpus DIR`: every *.pdf under it whose pages have no
text layer), or generates N printed-and-scanned reports (tests/docgen/scan.py: 150-300
dpi, skew, blur, speckle, JPEG, seals), then runs `xxgk ingest` on them in a child
process, from a shell's point of view (start-up, OCR, transform, load, exit), with
`--workers W`, sampling the whole process tree's RSS every 20 ms from /proc. Prints
pages, wall seconds, seconds per page (wall time over pages, all workers together), the
CPU seconds per page of the tree (user and system: less swayed than wall time by other
work on the machine, whose load average is printed from before and after the run) and
the peak RSS of the tree and of its main process.

Goals (issue 20): <= 3 s per page end to end on 2 cores, peak memory <= 1.5 GB.

Usage: python bench/ocr_bench.py [N] [--workers W] [--corpus DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.pdf_bench import run_child  # noqa: E402

GOAL_S_PER_PAGE, GOAL_MB = 3.0, 1536


def scanned(paths: list[Path]) -> list[Path]:
    """Given PDFs, return those with no text layer."""
    import pypdfium2 as pdfium

    out = []
    for path in paths:
        doc = pdfium.PdfDocument(str(path))
        try:
            text = "".join(page.get_textpage().get_text_range() for page in doc)
        finally:
            doc.close()
        if len(text.strip()) < 20:
            out.append(path)
    return out


def generate(n: int, folder: Path) -> list[Path]:
    """Write n generated scanned reports to folder; return their paths."""
    from tests.docgen.scan import draw_scan_case

    paths = []
    for i in range(n):
        case = draw_scan_case(random.Random(f"ocr-bench:{i}"))
        path = folder / f"scan-{i:03d}.pdf"
        path.write_bytes(case.render())
        paths.append(path)
    return paths


def pages_of(paths: list[Path]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for path in paths:
        doc = pdfium.PdfDocument(str(path))
        total += len(doc)
        doc.close()
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("n", nargs="?", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ocr_bench_") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.corpus:
            paths = scanned(sorted(args.corpus.rglob("*.pdf")))
        else:
            paths = generate(args.n, folder)
        pages = pages_of(paths)
        db = Path(tmp) / "ocr.duckdb"
        cmd = [
            str(Path(sys.executable).with_name("xxgk")),
            "ingest",
            *map(str, paths),
            "--db",
            str(db),
            "--workers",
            str(args.workers),
        ]
        load_before = os.getloadavg()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, _, sampler = run_child(cmd)
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_after = os.getloadavg()
        import duckdb

        with duckdb.connect(str(db), read_only=True) as con:
            statuses = dict(
                con.execute("SELECT status, count(*) FROM reports GROUP BY 1").fetchall()
            )
            failures = con.execute("SELECT count(*) FROM failures").fetchone()
    per_page = wall / max(pages, 1)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    tree_mb, main_mb = sampler.peak_tree, sampler.peak_main
    print(f"{len(paths)} scanned PDFs, {pages} pages, {args.workers} workers")
    print(f"wall {wall:.1f} s, {per_page:.2f} s per page (goal <= {GOAL_S_PER_PAGE:g})")
    print(f"CPU {cpu:.1f} s, {cpu / max(pages, 1):.2f} s per page (user + system, whole tree)")
    loads = [" ".join(f"{v:.2f}" for v in load) for load in (load_before, load_after)]
    print(f"load average (1, 5, 15 min) before {loads[0]}, after {loads[1]}")
    print(f"peak RSS: process tree {tree_mb:.0f} MiB (goal <= {GOAL_MB}), main {main_mb:.0f} MiB")
    print(f"reports by status {statuses}, failures {failures[0] if failures else 0}")
    ok = per_page <= GOAL_S_PER_PAGE and tree_mb <= GOAL_MB
    print("goals met" if ok else "goals NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
