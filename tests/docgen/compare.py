"""Compare what the pipeline read with the Truth a document was generated from.

All three give (table, row, column) -> value, tables named as in the warehouse,
a blank cell as None and every number as float.
"""

from __future__ import annotations

import hashlib
import re
import time
import traceback
from dataclasses import dataclass, field

from tests.docgen.truth import Truth

# warehouse table, its row-code column, its column-code column; ReportRows record name
VALUE_TABLES = (
    ("requests", "row_code", "applicant", "requests"),
    ("appeals", "proceeding", "outcome", "appeals"),
    ("active_disclosure", "item", "metric", "active"),
)


def _number(value) -> float | None:
    return None if value is None else float(value)


def expected_values(truth: Truth) -> dict:
    """Given a Truth, return every cell it generated."""
    return {key: _number(value) for key, value in truth.expected().items()}


def report_frames(report, name: str = "r"):
    """Given a Report read from an in-memory document named `name`, return its ReportRows
    (source mem://NAME, a placeholder sha256)."""
    from transform.frames import SourceMeta, report_to_rows

    return report_to_rows(report, SourceMeta(f"mem://{name}", "0" * 64))


def frame_values(frames) -> dict:
    """Given ReportRows, return every value cell (records: agency, year, row, col, value, ...)."""
    return {
        (table, r[2], r[3]): _number(r[4])
        for table, _, _, name in VALUE_TABLES
        for r in frames.records[name]
    }


def agency_id_of(name: str) -> str:
    """Given an agency name as a document titles it, return the id the registry gives it."""
    from transform.registry import resolve_agency

    return resolve_agency(name).agency_id


def warehouse_values(db: str, agency_id: str, year: int | None = None) -> dict:
    """Given a warehouse file and an agency (and year), return the value cells loaded for it."""
    import duckdb

    out = {}
    with duckdb.connect(db, read_only=True) as con:
        for table, row, col, _ in VALUE_TABLES:
            sql = f"SELECT {row}, {col}, value FROM {table} WHERE agency_id = ? AND (? IS NULL OR year = ?)"
            for x, y, value in con.execute(sql, [agency_id, year, year]).fetchall():
                out[(table, x, y)] = _number(value)
    return out


def _canonical(name: str | None) -> str:
    return re.sub(r"\s+", "", name or "")


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
        return _canonical(self.agency) == _canonical(self.expected_agency)

    @property
    def year_ok(self) -> bool:
        return self.year == self.expected_year

    @property
    def silent(self) -> bool:
        """A wrong cell in a report the pipeline vouches for (valid or inconsistent)."""
        return bool(self.wrong) and self.status in ("valid", "inconsistent")

    @property
    def numeric_wrong(self) -> list[tuple]:
        """The wrong cells whose number is wrong even counting a blank as 0."""
        return [
            (k, e, g)
            for k, e, g in self.wrong
            if g == "<absent>" or abs(float(e or 0) - float(g or 0)) > 1e-6
        ]

    @property
    def silent_numeric(self) -> bool:
        """Silently wrong in a number, not only in blank-or-0 (a blank counts as 0)."""
        return bool(self.numeric_wrong) and self.status in ("valid", "inconsistent")

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
            out.insert(0, "SILENT" if self.silent_numeric else "SILENT(blank/0)")
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
    from extract.dispatch import extract_document
    from extract.errors import ExtractError
    from transform.errors import MissingKey
    from transform.frames import SourceMeta, report_to_rows

    t0 = time.perf_counter()
    frames = None
    report = None
    try:
        report = extract_document(data, filename)
        frames = report_to_rows(report, SourceMeta(name, hashlib.sha256(data).hexdigest()))
        s.status = frames.report.status
        s.agency, s.year = report.agency_name, report.year
        s.second_reading = second_reading(report)
        s.attempts = [
            f"{a.table}:{a.method}:{a.verdict}{'*' if a.chosen else ''}" for a in report.attempts
        ]
        s.problems = [str(p) for p in frames.problems][:8]
    except (ExtractError, MissingKey) as exc:
        s.status = "failure"
        s.error = f"{getattr(exc, 'code', type(exc).__name__)}: {exc}"
        if report is not None:  # the heading may be known when only the key is missing
            s.agency, s.year = report.agency_name, report.year
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
