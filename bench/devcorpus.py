"""Score a folder laid out like the dev corpus (files + truth/*.json), in process.

Each truth/<doc>.json names its ``file`` and ``format`` and holds ``agency_name``,
``year``, ``expected_status`` (``failure`` for a bad input) and the value of every
cell (``requests``/``appeals``/``active``: row -> column -> value, null for blank).
Every document is extracted and transformed in this process (no Prefect, no
warehouse) and scored as bench/accuracy.py scores generated ones; a blank and a 0
count as the same, as the corpus writes -, —, /, 无 for 0.

    python bench/devcorpus.py                          # /work/shared/dev-corpus
    python bench/devcorpus.py DIR --formats pdf-plain,txt -v --json /tmp/dev.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scoring import score_document, summarise, table  # noqa: E402

TABLES = {"requests": "requests", "appeals": "appeals", "active": "active_disclosure"}


def expected_of(truth: dict) -> dict | None:
    """Given a truth JSON, return (table, row, col) -> value as the scorer keys them."""
    if truth.get("expected_status") == "failure":
        return None
    out = {}
    for name, table_name in TABLES.items():
        for row, cols in (truth.get(name) or {}).items():
            for col, value in cols.items():
                out[(table_name, row, col)] = None if value is None else float(value)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("corpus", nargs="?", default="/work/shared/dev-corpus", type=Path)
    ap.add_argument("--formats", default="", help="only these formats (comma-separated)")
    ap.add_argument("--strict", action="store_true", help="a blank and a 0 are different")
    ap.add_argument("--json", type=Path, metavar="FILE")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failing document")
    args = ap.parse_args(argv)
    only = {f for f in args.formats.split(",") if f}
    by_format: dict[str, list] = {}
    failing = []
    started = time.perf_counter()
    for path in sorted((args.corpus / "truth").glob("*.json")):
        if path.name.startswith("_"):
            continue
        truth = json.loads(path.read_text(encoding="utf-8"))
        fmt = truth.get("format", "?")
        if only and fmt not in only:
            continue
        data = (args.corpus / truth["file"]).read_bytes()
        score = score_document(
            data,
            truth["file"],
            name=truth["file"],
            fmt=fmt,
            expected=expected_of(truth),
            expected_status=truth.get("expected_status", "valid"),
            agency=truth.get("agency_name"),
            year=truth.get("year"),
            lenient=not args.strict,
        )
        by_format.setdefault(fmt, []).append(score)
        if score.failed:
            failing.append({"file": truth["file"], "format": fmt, "reason": score.reason()})
            if args.verbose:
                print(f"{truth['file']} [{fmt}] {score.reason()}")
                print(f"    {truth.get('perturbations')}  attempts: {' '.join(score.attempts)}")
    summaries = {fmt: summarise(scores) for fmt, scores in sorted(by_format.items())}
    summaries["ALL"] = summarise([s for scores in by_format.values() for s in scores])
    print(table(summaries))
    print(f"{len(failing)} failing, {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps({"formats": summaries, "failures": failing}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return 1 if any(s["silent_wrong"] for s in summaries.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
