"""Score one document's extraction against its truth, in process (no Prefect, no warehouse).

Used by ``bench/accuracy.py`` (generated adversarial documents) and
``bench/devcorpus.py`` (any folder laid out like the dev corpus). A document is read
with :func:`extract.dispatch.extract_document` and turned into records with
:func:`transform.frames.report_to_rows`, exactly as the flow does.
"""

from __future__ import annotations

from collections import Counter

from tests.docgen.compare import DocScore, score_document, second_reading

__all__ = ["DocScore", "score_document", "second_reading", "summarise", "table"]


def summarise(scores: list[DocScore]) -> dict:
    """Given scores of one format, return its figures (percentages rounded to 0.1)."""
    n = len(scores)
    graded = [s for s in scores if s.expected_status != "failure"]
    cells = sum(s.cells for s in graded)
    pct = lambda a, b: round(100.0 * a / b, 1) if b else None  # noqa: E731
    statuses = Counter(s.status for s in scores)
    return {
        "documents": n,
        "cells": cells,
        "cells_exact_pct": pct(sum(s.cells_ok for s in graded), cells),
        "docs_exact_pct": pct(sum(s.exact for s in graded), len(graded)),
        "status_right_pct": pct(sum(s.status_ok for s in scores), n),
        "agency_right_pct": pct(sum(s.agency_ok for s in graded), len(graded)),
        "year_right_pct": pct(sum(s.year_ok for s in graded), len(graded)),
        "agency_year_right_pct": pct(sum(s.agency_ok and s.year_ok for s in graded), len(graded)),
        "silent_wrong": sum(s.silent for s in scores),
        "silent_numeric": sum(s.silent_numeric for s in scores),
        "second_readings": sum(s.second_reading for s in scores),
        "statuses": dict(statuses),
        "seconds_per_doc": round(sum(s.seconds for s in scores) / n, 3) if n else None,
    }


COLUMNS = [
    ("docs", "documents"),
    ("cells%", "cells_exact_pct"),
    ("docs%", "docs_exact_pct"),
    ("status%", "status_right_pct"),
    ("agency/yr%", "agency_year_right_pct"),
    ("silent", "silent_wrong"),
    ("silent#", "silent_numeric"),
    ("2nd", "second_readings"),
    ("s/doc", "seconds_per_doc"),
]


def table(rows: dict[str, dict]) -> str:
    """Given format -> summary, return the figures as a fixed-width table (silent: wrong
    cells in a valid/inconsistent report; silent#: of those, wrong even with blank = 0)."""
    head = f"{'format':12}" + "".join(f"{h:>11}" for h, _ in COLUMNS)
    lines = [head]
    for fmt, summary in rows.items():
        cells = "".join(f"{'' if summary[k] is None else summary[k]!s:>11}" for _, k in COLUMNS)
        lines.append(f"{fmt:12}{cells}")
    return "\n".join(lines)
