"""Turn an extracted Report into long records (pandas frames on demand) keyed by agency and year.

This runs in the extraction workers, so it builds plain records; the load stage
asks for DataFrames (``ReportFrames.requests`` ...), built once, in the process
that loads. Workers never import pandas (about 120 MB each).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from extract import codes
from extract.document import agency_of
from extract.records import Cell, Report
from transform.checks import report_checks
from transform.errors import MissingKey
from transform.numbers import UnparseableNumber, parse_count, parse_number, to_wan_yuan
from transform.registry import resolve_agency

REQUEST_COLUMNS = [
    "agency_id",
    "year",
    "row_code",
    "applicant",
    "value",
    "raw",
    "sha256",
    "page",
    "bbox",
]
APPEAL_COLUMNS = [
    "agency_id",
    "year",
    "proceeding",
    "outcome",
    "value",
    "raw",
    "sha256",
    "page",
    "bbox",
]
ACTIVE_COLUMNS = [
    "agency_id",
    "year",
    "item",
    "metric",
    "value",
    "unit",
    "raw",
    "sha256",
    "page",
    "bbox",
]
SECTION_COLUMNS = ["agency_id", "year", "section", "heading", "body"]
CHECK_ROW_COLUMNS = [
    "agency_id",
    "year",
    "check_code",
    "subject",
    "expected",
    "actual",
    "passed",
    "severity",
]
COLUMNS = {
    "requests": REQUEST_COLUMNS,
    "appeals": APPEAL_COLUMNS,
    "active": ACTIVE_COLUMNS,
    "sections": SECTION_COLUMNS,
    "checks": CHECK_ROW_COLUMNS,
}
DTYPES = {
    "requests": {"value": "Int64"},
    "appeals": {"value": "Int64"},
    "active": {"value": "float64"},
    "checks": {"expected": "float64", "actual": "float64", "passed": "bool"},
}


@dataclass(frozen=True)
class SourceMeta:
    """Where a document came from, and what a manifest says of it (manifest wins)."""

    source_uri: str
    sha256: str
    agency_id: str | None = None
    agency_name: str | None = None
    region_code: str | None = None
    level: str | None = None
    year: int | None = None


def records_to_frame(name: str, rows: list[tuple]):
    """Given a table name (a key of COLUMNS) and its rows, return them as a pandas DataFrame."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=COLUMNS[name])
    for column, dtype in DTYPES.get(name, {}).items():
        frame[column] = frame[column].astype(dtype)
    return frame


@dataclass
class ReportFrames:
    """One report ready to load: its agency, its `reports` row and its long tables."""

    agency: dict
    report: dict
    records: dict[str, list[tuple]]  # requests, appeals, active, sections, checks -> rows (COLUMNS)
    problems: list[str] = field(default_factory=list)
    _frames: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, int]:
        return self.report["agency_id"], self.report["year"]

    def frame(self, name: str):
        """Given a table name, return its rows as a pandas DataFrame (built once)."""
        if name not in self._frames:
            self._frames[name] = records_to_frame(name, self.records[name])
        return self._frames[name]

    requests = property(lambda self: self.frame("requests"))
    appeals = property(lambda self: self.frame("appeals"))
    active = property(lambda self: self.frame("active"))
    sections = property(lambda self: self.frame("sections"))
    checks = property(lambda self: self.frame("checks"))

    def __getstate__(self):
        return {**self.__dict__, "_frames": {}}  # ship records between processes, not frames


def canonical_name(name: str) -> str:
    """Given an agency name as written, return it with all white space removed."""
    return re.sub(r"\s+", "", name or "")


def report_id_of(agency_id: str, year: int, sha256: str) -> str:
    """Given an agency-year and the source hash, return a stable 16-hex report id."""
    return hashlib.sha256(f"{agency_id}|{year}|{sha256}".encode()).hexdigest()[:16]


def _bbox(cell: Cell) -> list[float] | None:
    return list(cell.bbox) if cell.bbox else None


def _count_rows(cells: list[Cell], problems: list[str]) -> list[tuple[Cell, int | None]]:
    out = []
    for c in cells:
        try:
            out.append((c, parse_count(c.raw)))
        except UnparseableNumber as exc:
            problems.append(f"{c.table} {c.row}/{c.col}: {exc}")
            out.append((c, None))
    return out


def expected_cells(report: Report) -> int:
    """Given a Report, return how many value cells its template and （六） rows call for."""
    other_rows = (
        3 if any(c.row.startswith("other_") for c in report.cells if c.table == "requests") else 1
    )
    requests = len(codes.request_row_codes(other_rows)) * len(codes.applicants())
    appeals = len(codes.proceedings()) * len(codes.outcomes())
    active = len(codes.active_cells(report.template)) if report.template else 0
    return requests + appeals + active


def report_to_frames(
    report: Report, meta: SourceMeta, loaded_at: datetime | None = None
) -> ReportFrames:
    """Given an extracted Report and its source, return its frames, checks and status.

    Raises MissingKey when neither the manifest nor the document tells the agency or year.
    """
    entry = resolve_agency(
        canonical_name(report.agency_name) or None,
        heading_name=canonical_name(agency_of(report.title) if report.title else "") or None,
        manifest_id=meta.agency_id,
        manifest_name=canonical_name(meta.agency_name) or None,
        manifest_region=meta.region_code,
        manifest_level=meta.level,
    )
    name, agency_id = entry.name, entry.agency_id
    year = meta.year or report.year
    if not agency_id:
        raise MissingKey(
            "missing_agency", "no agency name in the document heading and none in the manifest"
        )
    if not year:
        raise MissingKey(
            "missing_year", "no report year in the document heading and none in the manifest"
        )
    problems = list(report.problems)
    sha = meta.sha256

    by_table: dict[str, list[Cell]] = {"requests": [], "appeals": [], "active": []}
    for c in report.cells:
        by_table[c.table].append(c)

    requests = [
        (agency_id, year, c.row, c.col, v, c.raw, sha, c.page, _bbox(c))
        for c, v in _count_rows(by_table["requests"], problems)
    ]
    appeals = [
        (agency_id, year, c.row, c.col, v, c.raw, sha, c.page, _bbox(c))
        for c, v in _count_rows(by_table["appeals"], problems)
    ]
    units = {(a.item, a.metric): a.unit for a in codes.active_cells(report.template or "2021")}
    active_rows = []
    unparseable = 0
    for c in by_table["active"]:
        unit = units.get((c.row, c.col))
        try:
            parsed = parse_number(c.raw)
            value = to_wan_yuan(parsed, c.unit_hint) if unit == "万元" else parsed.value
        except UnparseableNumber as exc:
            problems.append(f"active {c.row}/{c.col}: {exc}")
            value = None
            unparseable += 1
        active_rows.append(
            (agency_id, year, c.row, c.col, value, unit, c.raw, sha, c.page, _bbox(c))
        )
    sections = [(agency_id, year, s.number, s.heading, s.body) for s in report.sections]
    checks = [
        (agency_id, year, *row, "error")
        for row in report_checks(
            {(r[2], r[3]): r[4] for r in requests}, {(r[2], r[3]): r[4] for r in appeals}
        )
    ]

    unreadable = unparseable + sum(
        1 for p in problems if p.startswith(("requests ", "appeals ")) and "not a" in p
    )
    complete = (
        report.tables_found == {"active", "requests", "appeals"}
        and len(report.cells) == expected_cells(report)
        and unreadable == 0
    )
    if not complete:
        status = "partial"
    elif not all(row[6] for row in checks):
        status = "inconsistent"
    else:
        status = "valid"

    loaded_at = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    report_row = {
        "report_id": report_id_of(agency_id, year, sha),
        "agency_id": agency_id,
        "year": int(year),
        "title": report.title,
        "template": report.template,
        "source_uri": meta.source_uri,
        "sha256": sha,
        "media_type": report.media_type,
        "status": status,
        "loaded_at": loaded_at,
        "pages": report.pages,
        "cells": len(report.cells),
        "problems": "\n".join(problems) or None,
        "extractor_version": _extractor_version(),
    }
    agency = {
        "agency_id": agency_id,
        "name": name or agency_id,
        "region_code": entry.region_code,
        "level": entry.level,
        "parent_region_code": entry.parent_region_code,
        "aliases": list(entry.aliases),
    }
    records = {
        "requests": requests,
        "appeals": appeals,
        "active": active_rows,
        "sections": sections,
        "checks": checks,
    }
    return ReportFrames(agency, report_row, records, problems)


def _extractor_version() -> str:
    from extract import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION
