"""Turn an extracted Report into long records (pandas frames on demand) keyed by agency and year.

This runs in the extraction workers, so it builds plain records; the load stage
asks for DataFrames (``ReportRows.requests`` ...), built once, in the process
that loads. Workers never import pandas (about 120 MB each).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from extract.heading import title_to_heading
from extract.records import TABLE_NUMERALS, TABLES, Cell, Report
from spec import codes
from spec.identities import Check, report_checks
from spec.numbers import UnparseableNumber, parse_count, parse_number, to_wan_yuan
from transform.errors import MissingKey
from transform.registry import REGISTRY_VERSION, resolve_agency

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
READING_COLUMNS = [
    "agency_id",
    "year",
    "table_name",
    "method",
    "verdict",
    "cells",
    "expected",
    "failed_checks",
    "chosen",
    "note",
]
COLUMNS = {
    "readings": READING_COLUMNS,
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
    "readings": {"chosen": "bool"},
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
class ReportRows:
    """One report ready to load: its `agencies` and `reports` rows, and the rows of its long
    tables (tuples in COLUMNS order, as the workers build them; ``.frame(name)`` or
    ``.requests`` ... gives one as a pandas DataFrame, built once where it is loaded)."""

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
    readings = property(lambda self: self.frame("readings"))

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


_TABLE_OF_CHECK = {
    "requests_balance": "requests",
    "requests_outcomes": "requests",
    "requests_row_total": "requests",
    "appeals_total": "appeals",
}


def report_status(report: Report, checks: list[Check]) -> tuple[str, list[str]]:
    """Given a Report and its checks, return its status and the problems that explain it.

    ``partial`` when a table's kept reading is incomplete, placed values by position alone
    with no reading to confirm them, or its identities fail and no second independent
    reading agrees (a misreading must not pass for a source error);
    ``inconsistent`` when every failing table is confirmed; else ``valid``.
    """
    kept = {a.table: a for a in report.attempts if a.chosen}
    guessed = [t for t in TABLES if t in kept and kept[t].verdict == "unconfirmed"]
    if guessed:
        return "partial", [
            f"table {TABLE_NUMERALS[t]}: values placed by position and no independent "
            "reading agrees"
            for t in guessed
        ]
    if not all(t in kept and kept[t].verdict in ("passes", "fails_checks") for t in TABLES):
        return "partial", []
    failing = {_TABLE_OF_CHECK[c.check_code] for c in checks if not c.passed}
    unconfirmed = sorted(failing - report.confirmed)
    if unconfirmed:
        return "partial", [
            f"table {TABLE_NUMERALS[t]}: its identities fail and no independent reading agrees"
            for t in unconfirmed
        ]
    return ("inconsistent" if failing else "valid"), []


def report_to_rows(
    report: Report, meta: SourceMeta, loaded_at: datetime | None = None
) -> ReportRows:
    """Given an extracted Report and its source, return its frames, checks and status.

    Raises MissingKey when neither the manifest nor the document tells the agency or year.
    """
    entry = resolve_agency(
        report.agency_name or None,
        heading_name=(title_to_heading(report.title)[0] if report.title else None) or None,
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
    for c in by_table["active"]:
        unit = units.get((c.row, c.col))
        try:
            parsed = parse_number(c.raw)
            value = to_wan_yuan(parsed, c.unit_hint) if unit == "万元" else parsed.value
        except UnparseableNumber as exc:
            problems.append(f"active {c.row}/{c.col}: {exc}")
            value = None
        active_rows.append(
            (agency_id, year, c.row, c.col, value, unit, c.raw, sha, c.page, _bbox(c))
        )
    sections = [(agency_id, year, s.number, s.heading, s.body) for s in report.sections]
    identities = report_checks(
        {(r[2], r[3]): r[4] for r in requests}, {(r[2], r[3]): r[4] for r in appeals}
    )
    checks = [(agency_id, year, *check, "error") for check in identities]
    status, why = report_status(report, identities)
    problems += why

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
        "heading_source": report.heading_source or None,
        "text_layer": report.text_layer,
    }
    agency = {
        "agency_id": agency_id,
        "name": name or agency_id,
        "region_code": entry.region_code,
        "level": entry.level,
        "parent_region_code": entry.parent_region_code,
        "aliases": list(entry.aliases),
        "body": entry.body,
        "id_source": entry.id_source,
        "named_by": entry.named_by,
        "registry_version": REGISTRY_VERSION,
    }
    records = {
        "requests": requests,
        "appeals": appeals,
        "active": active_rows,
        "sections": sections,
        "checks": checks,
        "readings": [
            (agency_id, year, a.table, a.method, a.verdict, a.cells, a.expected)
            + (a.failed_checks, a.chosen, a.note or None)
            for a in report.attempts
        ],
    }
    return ReportRows(agency, report_row, records, problems)


def _extractor_version() -> str:
    from extract import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION
