"""Cell accuracy of the HTML and DOCX readers over generated documents with known numbers.

Run: .venv/bin/python bench/html_docx_accuracy.py [--html-seeds 5] [--docx-seeds 5]
     [--first-seed 100] [--libreoffice N]

Every case of tests/docgen/html_corpus.py (CMS and Word-pasted HTML in UTF-8/GBK with
right, missing and wrong charsets; DOCX plain, split and nested) is rendered,
extracted and transformed; a cell is exact when the loaded value equals the
known one. Seeds start at 100 by default, apart from the seeds the tests use.
``--libreoffice N`` adds N generated .docx saved by LibreOffice as HTML and as
.doc (markup our generators did not write; the .doc goes back through soffice).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from extract.dispatch import extract_document  # noqa: E402
from extract.errors import ExtractError  # noqa: E402
from tests.docgen.compare import expected_values, frame_values  # noqa: E402
from tests.docgen.html_corpus import cases  # noqa: E402
from transform.frames import SourceMeta, report_to_rows  # noqa: E402


def libreoffice_cases(
    n: int, first_seed: int, workdir: Path
) -> list[tuple[str, object, bytes, str]]:
    """Given a count, return (label, case, bytes, name) for documents another program wrote:
    generated .docx files saved by LibreOffice as HTML and as Word 97 .doc."""
    import subprocess

    from extract.convert import find_converter

    soffice = find_converter()
    if soffice is None:
        print("LibreOffice is not installed: --libreoffice skipped")
        return []
    docx_cases = [c for c in cases(0, (n + 1) // 2, first_seed) if not c.options][:n]
    for i, case in enumerate(docx_cases):
        (workdir / f"d{i}.docx").write_bytes(case.render()[0])
    sources = [str(workdir / f"d{i}.docx") for i in range(len(docx_cases))]
    for fmt in ("html", "doc"):
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation={(workdir / 'p').as_uri()}",
             "--convert-to", fmt, "--outdir", str(workdir), *sources],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    out = []
    for i, case in enumerate(docx_cases):
        for fmt in ("html", "doc"):
            out.append(
                (
                    f"lo-{fmt} {case.template}",
                    case,
                    (workdir / f"d{i}.{fmt}").read_bytes(),
                    f"r.{fmt}",
                )
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html-seeds", type=int, default=5)
    parser.add_argument("--docx-seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument(
        "--libreoffice",
        type=int,
        default=0,
        help="also N .docx saved by LibreOffice as HTML and .doc",
    )
    args = parser.parse_args()

    tally: dict[str, list[int]] = defaultdict(
        lambda: [0, 0, 0, 0, 0]
    )  # docs, exact docs, cells, exact, invented
    failed: list[str] = []
    started = time.perf_counter()
    documents = [
        (f"{c.fmt} {c.template}", c, *c.render())
        for c in cases(args.html_seeds, args.docx_seeds, args.first_seed)
    ]
    if args.libreoffice:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            documents += libreoffice_cases(args.libreoffice, args.first_seed, Path(tmp))
    for label, case, data, name in documents:
        truth = case.truth()
        expected = expected_values(truth)
        try:
            report = extract_document(data, name)
            got = frame_values(report_to_rows(report, SourceMeta(f"mem://{name}", "0" * 64)))
        except ExtractError as exc:
            failed.append(f"{case.id}: {exc.code}")
            got = {}
        exact = sum(1 for k, v in expected.items() if k in got and got[k] == v)
        invented = len(set(got) - set(expected))
        for key in (label, "all"):
            t = tally[key]
            t[0] += 1
            t[1] += exact == len(expected) and not invented
            t[2] += len(expected)
            t[3] += exact
            t[4] += invented
    seconds = time.perf_counter() - started

    print(
        f"{'documents':<12}{'docs':>6}{'exact docs':>12}{'cells':>9}{'exact':>9}{'invented':>10}{'accuracy':>11}"
    )
    for key in sorted(tally, key=lambda k: (k == "all", k)):
        docs, exact_docs, cells, exact, invented = tally[key]
        print(
            f"{key:<12}{docs:>6}{exact_docs:>12}{cells:>9}{exact:>9}{invented:>10}"
            f"{exact / cells:>10.4%}"
        )
    for line in failed:
        print("failed:", line)
    print(f"{tally['all'][0]} documents in {seconds:.1f}s")


if __name__ == "__main__":
    main()
