"""Accuracy of the readers on adversarial generated documents, per format, in process.

Generates N documents per format (tests/docgen/adversarial.py mixes every generator
switch at random, deterministically from --seed), extracts and transforms each in
this process (no Prefect, no warehouse) and prints per format: documents, cells
exact, documents with every cell exact, status right, agency and year right,
silently wrong documents (a wrong cell while the status is valid or inconsistent:
this must be 0) and documents that needed a second reading.

    python bench/accuracy.py                       # 50 of each format, seed 0
    python bench/accuracy.py --n 200 --seed 3 --formats pdf-ruled,txt
    python bench/accuracy.py --seed 3 --formats txt --only 17 -v   # one document
    python bench/accuracy.py --save-failures /tmp/adv-failures --json /tmp/adv.json

``--save-failures DIR`` writes each failing document, its truth JSON and a one-line
reason (``DIR/<format>-<seed>-<index>.*``, and ``DIR/index.txt``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scoring import DocScore, summarise, table  # noqa: E402
from tests.docgen.adversarial import EXTENSION, FORMATS, Case, case_rng, draw_case  # noqa: E402
from tests.docgen.layout_text import draw_layout_case  # noqa: E402
from tests.docgen.scan import (  # noqa: E402
    draw_picture_case,
    draw_pictured_docx_case,
    draw_pictured_pdf_case,
    draw_scan_case,
)

# Formats made by converting another (layout text: pdftotext -layout of a ruled PDF; a
# scan of a PDF printed; an HTML article, a Word report or the PDF itself with its
# tables pasted as pictures).
DERIVED = {
    "txt-layout": (draw_layout_case, "txt"),
    "pdf-scan": (draw_scan_case, "pdf"),
    "html-image": (draw_picture_case, "html"),
    "pdf-picture": (draw_pictured_pdf_case, "pdf"),
    "docx-picture": (draw_pictured_docx_case, "docx"),
}
ALL_FORMATS = (*FORMATS, *DERIVED)
EXTENSION = {**EXTENSION, **{fmt: ext for fmt, (_, ext) in DERIVED.items()}}


def draw(seed: int, fmt: str, index: int) -> Case:
    """Given a run's seed, a format and an index, return that document's case."""
    rng = case_rng(seed, fmt, index)
    return DERIVED[fmt][0](rng) if fmt in DERIVED else draw_case(rng, fmt)


def truth_json(case: Case) -> dict:
    """Given a case, return its truth in the dev corpus's layout (plus how to rebuild it)."""
    t = case.truth

    def nested(cells: dict) -> dict:
        out: dict = {}
        for (row, col), value in cells.items():
            out.setdefault(row, {})[col] = value
        return out

    return {
        "format": case.fmt,
        "agency_name": t.agency,
        "year": t.year,
        "template": t.template,
        "other_rows": t.other_rows,
        "expected_status": t.expected_status(),
        "requests": nested(t.requests),
        "appeals": nested(t.appeals),
        "active": nested(t.active),
        "errors": t.errors,
        "perturbations": case.variant,
        "switches": case.describe(),
    }


def run_case(case: Case, name: str) -> DocScore:
    """Given a case, render, extract and score it."""
    return case.score(name)


def save_failure(folder: Path, name: str, case: Case, score: DocScore) -> None:
    """Write the failing document, its truth and its reason under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.{EXTENSION[case.fmt]}").write_bytes(case.render())
    truth = truth_json(case) | {"reason": score.reason(), "attempts": score.attempts}
    (folder / f"{name}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (folder / f"{name}.reason.txt").write_text(score.reason() + "\n", encoding="utf-8")
    with open(folder / "index.txt", "a", encoding="utf-8") as fh:
        fh.write(f"{name}\t{score.reason()}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=50, help="documents per format (default 50)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", default=",".join(FORMATS), help=",".join(ALL_FORMATS))
    ap.add_argument("--only", type=int, action="append", help="only document INDEX (repeatable)")
    ap.add_argument("--save-failures", type=Path, metavar="DIR")
    ap.add_argument("--json", type=Path, metavar="FILE")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failing document")
    args = ap.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = set(formats) - set(ALL_FORMATS)
    if unknown:
        ap.error(f"unknown format(s) {sorted(unknown)}; choose from {','.join(ALL_FORMATS)}")

    summaries: dict[str, dict] = {}
    failures: list[dict] = []
    started = time.perf_counter()
    for fmt in formats:
        scores = []
        for i in args.only or range(args.n):
            case = draw(args.seed, fmt, i)
            name = f"{fmt}-{args.seed}-{i:04d}"
            score = run_case(case, name)
            scores.append(score)
            if score.failed:
                failures.append(
                    {
                        "name": name,
                        "format": fmt,
                        "index": i,
                        "reason": score.reason(),
                        "silent": score.silent,
                        "switches": case.describe(),
                        "attempts": score.attempts,
                        "problems": score.problems,
                        "wrong": [[list(k), e, g] for k, e, g in score.wrong[:20]],
                    }
                )
                if args.verbose:
                    print(f"{name}: {score.reason()}\n    {case.describe()}")
                    print(f"    attempts: {' '.join(score.attempts)}")
                if args.save_failures:
                    save_failure(args.save_failures, name, case, score)
        summaries[fmt] = summarise(scores)
    print(table(summaries))
    print(
        f"seed {args.seed}, {sum(s['documents'] for s in summaries.values())} documents, "
        f"{len(failures)} failing, {time.perf_counter() - started:.0f} s"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"seed": args.seed, "n": args.n, "formats": summaries, "failures": failures},
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 1 if any(s["silent_wrong"] for s in summaries.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
