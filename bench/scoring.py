"""Score one document's extraction against its truth, in process (no Prefect, no warehouse).

Used by ``bench/accuracy.py`` (generated adversarial documents) and
``bench/devcorpus.py`` (any folder laid out like the dev corpus). A document is read
with :func:`extract.dispatch.extract_document` and turned into records with
:func:`transform.frames.report_to_frames`, exactly as the flow does.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field

from extract.dispatch import extract_document
from extract.errors import ExtractError
from tests.docgen.compare import frame_values
from transform.errors import MissingKey
from transform.frames import SourceMeta, canonical_name, report_to_frames


@dataclass
class DocScore:
    """What one document came back as, against what it should have."""

    name: str
    fmt: str
    cells: int = 0
    cells_ok: int = 0
    wrong: list[tuple] = field(default_factory=list)  # (key, expected, got)
    status: str = ""
    expected_status: str = ""
    agency: str | None = None
    expected_agency: str | None = None
    year: int | None = None
    expected_year: int | None = None
    second_reading: bool = False
    attempts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def exact(self) -> bool:
        return not self.wrong

    @property
    def status_ok(self) -> bool:
        return self.status == self.expected_status

    @property
    def agency_ok(self) -> bool:
        return canonical_name(self.agency or "") == canonical_name(self.expected_agency or "")

    @property
    def year_ok(self) -> bool:
        return self.year == self.expected_year

    @property
    def silent(self) -> bool:
        """A wrong cell in a report the pipeline vouches for (valid or inconsistent)."""
        return bool(self.wrong) and self.status in ("valid", "inconsistent")

    @property
    def failed(self) -> bool:
        if self.expected_status == "failure":
            return not self.status_ok
        return not (self.exact and self.status_ok and self.agency_ok and self.year_ok)

    def reason(self) -> str:
        """Return one line saying what went wrong."""
        out = []
        if self.error:
            out.append(self.error.splitlines()[0][:160])
        if not self.status_ok:
            out.append(f"status {self.status} (expected {self.expected_status})")
        if self.wrong:
            shown = ", ".join(
                f"{'/'.join(k[1:])}={g!r} (truth {e!r})" for k, e, g in self.wrong[:4]
            )
            more = f" +{len(self.wrong) - 4}" if len(self.wrong) > 4 else ""
            out.append(f"{len(self.wrong)} wrong cells: {shown}{more}")
        if self.expected_status != "failure" and not self.agency_ok:
            out.append(f"agency {self.agency!r} (expected {self.expected_agency!r})")
        if self.expected_status != "failure" and not self.year_ok:
            out.append(f"year {self.year} (expected {self.expected_year})")
        if self.silent:
            out.insert(0, "SILENT")
        return "; ".join(out) or "ok"


def _same(expected, got, lenient: bool) -> bool:
    if lenient and (expected in (None, 0)):
        return got in (None, 0)
    if expected is None or got is None:
        return expected is got
    return abs(float(expected) - float(got)) < 1e-6


def second_reading(report) -> bool:
    """Given a Report, tell whether some table's kept reading is not the first one tried."""
    first: dict[str, str] = {}
    for a in report.attempts:
        first.setdefault(a.table, a.method)
    return any(a.chosen and a.method != first[a.table] for a in report.attempts)


def score_document(
    data: bytes,
    filename: str,
    *,
    name: str,
    fmt: str,
    expected: dict | None,
    expected_status: str,
    agency: str | None,
    year: int | None,
    lenient: bool = False,
) -> DocScore:
    """Given a document's bytes and its truth ((table, row, col) -> value, the status,
    agency and year it must come back with), extract it in process and score it.

    `lenient` counts a blank and a 0 as the same (the dev corpus writes -, — for 0).
    """
    s = DocScore(
        name, fmt, expected_status=expected_status, expected_agency=agency, expected_year=year
    )
    t0 = time.perf_counter()
    frames = None
    try:
        report = extract_document(data, filename)
        frames = report_to_frames(report, SourceMeta(name, hashlib.sha256(data).hexdigest()))
        s.status = frames.report["status"]
        s.agency, s.year = report.agency_name, report.year
        s.second_reading = second_reading(report)
        s.attempts = [
            f"{a.table}:{a.method}:{a.verdict}{'*' if a.chosen else ''}" for a in report.attempts
        ]
        s.problems = list(frames.problems)[:8]
    except (ExtractError, MissingKey) as exc:
        s.status = "failure"
        s.error = f"{getattr(exc, 'code', type(exc).__name__)}: {exc}"
        try:  # the heading may still be known when only the key is missing
            s.agency, s.year = report.agency_name, report.year  # noqa: F821
        except NameError:
            pass
    except Exception:  # a crash is a finding, not a reason to stop the bench
        s.status = "failure"
        s.error = "CRASH " + traceback.format_exc(limit=3).replace("\n", " | ")
    s.seconds = time.perf_counter() - t0
    if expected is None:
        return s
    got = frame_values(frames) if frames else {}
    for key, value in expected.items():
        s.cells += 1
        if key in got and _same(value, got[key], lenient):
            s.cells_ok += 1
        else:
            s.wrong.append((key, value, got.get(key, "<absent>")))
    return s


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
    ("2nd", "second_readings"),
    ("s/doc", "seconds_per_doc"),
]


def table(rows: dict[str, dict]) -> str:
    """Given format -> summary, return the figures as a fixed-width table."""
    head = f"{'format':12}" + "".join(f"{h:>11}" for h, _ in COLUMNS)
    lines = [head]
    for fmt, summary in rows.items():
        cells = "".join(f"{'' if summary[k] is None else summary[k]!s:>11}" for _, k in COLUMNS)
        lines.append(f"{fmt:12}{cells}")
    return "\n".join(lines)
