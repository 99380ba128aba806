"""Turn an extracted Report into long records (pandas frames on demand) keyed by agency and year.

This runs in the extraction workers, so it builds plain records; the load stage
asks for DataFrames (``ReportRows.requests`` ...), built once, in the process
that loads. Workers never import pandas (about 120 MB each).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from extract.heading import title_to_heading
from extract.records import Cell, Problem, Report
from spec import codes
from spec.identities import (
    REQUESTS_STATED_TOTAL,
    TABLE_OF_CHECK,
    Check,
    report_checks,
    stated_checks,
)
from spec.kinds import (
    TABLE_NAMES,
    IdSource,
    NamedBy,
    ReadingVerdict,
    ReportStatus,
    Severity,
    TableName,
)
from spec.numbers import UnparseableNumber, parse_count, parse_number, to_wan_yuan
from spec.prose import Statement, period_year, stated_totals
from transform.errors import MissingKey
from transform.registry import REGISTRY_VERSION, AgencyEntry, resolve_agency

if TYPE_CHECKING:
    import pandas as pd


class RequestRow(NamedTuple):
    """One cell of table 三 (`requests`): a row code by an applicant."""

    agency_id: str
    year: int
    row_code: str
    applicant: str
    value: int | None
    raw: str
    sha256: str
    page: int | None
    bbox: list[float] | None


class AppealRow(NamedTuple):
    """One cell of table 四 (`appeals`): a proceeding by an outcome."""

    agency_id: str
    year: int
    proceeding: str
    outcome: str
    value: int | None
    raw: str
    sha256: str
    page: int | None
    bbox: list[float] | None


class ActiveRow(NamedTuple):
    """One cell of table 二 (`active`): an item by a metric, in the template's unit."""

    agency_id: str
    year: int
    item: str
    metric: str
    value: float | None
    unit: str | None
    raw: str
    sha256: str
    page: int | None
    bbox: list[float] | None


class SectionRow(NamedTuple):
    """One numbered section of the report's prose."""

    agency_id: str
    year: int
    section: int
    heading: str
    body: str


class CheckRow(NamedTuple):
    """One template identity on one subject (`checks`)."""

    agency_id: str
    year: int
    check_code: str
    subject: str
    expected: float
    actual: float
    passed: bool
    severity: Severity


class ReadingRow(NamedTuple):
    """One reading of one table the self-check tried (`table_readings`)."""

    agency_id: str
    year: int
    table_name: TableName
    method: str
    verdict: ReadingVerdict
    cells: int
    expected: int
    failed_checks: int
    chosen: bool
    note: str | None


LongRow = RequestRow | AppealRow | ActiveRow | SectionRow | CheckRow | ReadingRow
# The long tables of a report, by the name ReportRows.records keys them with.
RecordName = Literal["requests", "appeals", "active", "sections", "checks", "readings"]
ROW_TYPES: dict[RecordName, type[LongRow]] = {
    "readings": ReadingRow,
    "requests": RequestRow,
    "appeals": AppealRow,
    "active": ActiveRow,
    "sections": SectionRow,
    "checks": CheckRow,
}
COLUMNS = {name: list(row_type._fields) for name, row_type in ROW_TYPES.items()}
DTYPES: dict[RecordName, dict[str, str]] = {
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
    agency_id: str | None = None  # the body's id, over what the registry resolves
    agency_name: str | None = None  # its name, over the name the report prints
    region_code: str | None = None  # GB/T 2260, over the region the name tells
    level: str | None = None  # national | provincial | prefecture | county | township | zone
    year: int | None = None  # over the year the title states


def records_to_frame(name: RecordName, rows: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    """Given a table name (a key of COLUMNS) and its rows, return them as a pandas DataFrame."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=COLUMNS[name])
    for column, dtype in DTYPES.get(name, {}).items():
        frame[column] = frame[column].astype(dtype)  # type: ignore[call-overload]
    return frame


@dataclass(frozen=True)
class AgencyRow:
    """A report's `agencies` row (sql/schema.sql): its agency as the registry resolved it."""

    agency_id: str
    name: str
    region_code: str | None
    level: str | None  # national | provincial | ... as derived, or as a manifest writes it
    parent_region_code: str | None
    aliases: tuple[str, ...]
    body: str | None
    id_source: IdSource
    named_by: NamedBy
    registry_version: str

    def to_row(self) -> dict[str, Any]:
        """Return the `agencies` row as written: column -> value (aliases as a list)."""
        return {**record_to_row(self), "aliases": list(self.aliases)}


@dataclass(frozen=True)
class ReportRow:
    """A report's `reports` row (sql/schema.sql): what was read, from where, and its status."""

    report_id: str
    agency_id: str
    year: int
    title: str | None
    template: str | None
    source_uri: str
    sha256: str
    media_type: str | None
    status: ReportStatus
    loaded_at: datetime
    pages: int | None
    cells: int
    problems: str | None  # one per line
    extractor_version: str
    heading_source: str | None
    text_layer: str | None

    def to_row(self) -> dict[str, Any]:
        """Return the `reports` row as written: column -> value."""
        return record_to_row(self)


def record_to_row(record: AgencyRow | ReportRow) -> dict[str, Any]:
    """Given a row record, return it as column -> value (not deep-copied, as asdict would)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


@dataclass
class ReportRows:
    """One report ready to load: its `agencies` and `reports` rows, and the rows of its long
    tables (named tuples, as the workers build them; ``.frame(name)`` or ``.requests`` ...
    gives one as a pandas DataFrame, built once where it is loaded)."""

    agency: AgencyRow
    report: ReportRow
    records: dict[RecordName, list[LongRow]]
    problems: list[Problem] = field(default_factory=list)
    _frames: dict[RecordName, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, int]:
        return self.report.agency_id, self.report.year

    def frame(self, name: RecordName) -> pd.DataFrame:
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

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_frames": {}}  # ship records between processes, not frames


def canonical_name(name: str | None) -> str:
    """Given an agency name as written, return it with all white space removed."""
    return re.sub(r"\s+", "", name or "")


def report_id_of(agency_id: str, year: int, sha256: str) -> str:
    """Given an agency-year and the source hash, return a stable 16-hex report id."""
    return hashlib.sha256(f"{agency_id}|{year}|{sha256}".encode()).hexdigest()[:16]


def _bbox(cell: Cell) -> list[float] | None:
    return list(cell.bbox) if cell.bbox else None


def _count(cell: Cell, problems: list[Problem]) -> int | None:
    """Given a table 三 or 四 cell, return its count (none, and a problem, when unreadable)."""
    try:
        return parse_count(cell.raw)
    except UnparseableNumber as exc:
        problems.append(Problem(cell.table, "unparseable", f"{cell.row}/{cell.col}: {exc}"))
        return None


def _amount(cell: Cell, unit: str | None, problems: list[Problem]) -> float | None:
    """Given a table 二 cell and its template unit, return its value in that unit."""
    try:
        parsed = parse_number(cell.raw)
        return to_wan_yuan(parsed, cell.unit_hint) if unit == "万元" else parsed.value
    except UnparseableNumber as exc:
        problems.append(Problem("active", "unparseable", f"{cell.row}/{cell.col}: {exc}"))
        return None


def report_status(report: Report, checks: list[Check]) -> tuple[ReportStatus, list[Problem]]:
    """Given a Report and its checks, return its status and the problems that explain it.

    ``partial`` when a table's kept reading is incomplete, placed values by position alone
    with no reading to confirm them, or its identities fail and no second independent
    reading agrees (a misreading must not pass for a source error), or its prose states a
    total of table 三 the table does not hold (unless table 三's failing identities are
    confirmed: the source's own arithmetic); ``inconsistent`` when every failing table is
    confirmed; else ``valid``.
    """
    kept = {a.table: a for a in report.attempts if a.chosen}
    told = _text_disagrees(checks)  # the prose states a total the table does not hold
    guessed = [t for t in TABLE_NAMES if t in kept and kept[t].verdict == "unconfirmed"]
    if guessed:
        why_ = [Problem(t, "unconfirmed", _unconfirmed_why(kept[t].note)) for t in guessed]
        return "partial", why_ + told
    if not all(t in kept and kept[t].verdict in ("passes", "fails_checks") for t in TABLE_NAMES):
        return "partial", told
    failing = {TABLE_OF_CHECK[c.check_code] for c in checks if not c.passed and not _stated(c)}
    if told and "requests" not in report.confirmed:
        return "partial", told  # never valid; a source error two readings agree on stays
    unconfirmed = sorted(failing - report.confirmed)
    if unconfirmed:
        why = "its identities fail and no independent reading agrees"
        return "partial", [
            Problem(t, "unconfirmed", why if "saw digits" not in kept[t].note else kept[t].note)
            for t in unconfirmed
        ] + told
    return ("inconsistent" if failing else "valid"), told


def _stated(check: Check) -> bool:
    return check.check_code == REQUESTS_STATED_TOTAL.check_code


def _text_disagrees(checks: list[Check]) -> list[Problem]:
    """Given a report's checks, return a problem for each total of table 三 its prose states
    otherwise: which figure, and both values."""
    return [
        Problem(
            "requests",
            "text_disagrees",
            f"the prose states {c.subject}/total {c.expected:g}, the table reads {c.actual:g}",
        )
        for c in checks
        if _stated(c) and not c.passed
    ]


def _unconfirmed_why(note: str) -> str:
    """Given the note of a kept reading no other vouches for, return the problem's words."""
    if "saw digits" in note:  # another reading saw characters this one dropped
        return note
    return "values placed by position and no independent reading agrees"


def report_to_agency(report: Report, meta: SourceMeta) -> AgencyEntry:
    """Given an extracted Report and its source, return the agency it is the report of.

    Raises MissingKey when neither the manifest nor the document names one.
    """
    entry = resolve_agency(
        report.agency_name or None,
        heading_name=(title_to_heading(report.title)[0] if report.title else None) or None,
        manifest_id=meta.agency_id,
        manifest_name=canonical_name(meta.agency_name) or None,
        manifest_region=meta.region_code,
        manifest_level=meta.level,
    )
    if not entry.agency_id:
        raise MissingKey(
            "missing_agency", "no agency name in the document heading and none in the manifest"
        )
    return entry


def report_to_year(report: Report, meta: SourceMeta) -> int:
    """Given an extracted Report and its source, return its year (the manifest's first).

    Raises MissingKey when neither tells it.
    """
    year = meta.year or report.year or report_period(report)
    if not year:
        raise MissingKey(
            "missing_year", "no report year in the document heading and none in the manifest"
        )
    return int(year)


def report_period(report: Report) -> int | None:
    """Given a Report, return the year of the statistics period its text states: before
    section 一, else in the sections (None when it states none, or two)."""
    return report.period_year or period_year("\n".join(s.body for s in report.sections))


def year_problems(report: Report, year: int) -> list[Problem]:
    """Given a Report and the year it is loaded under, return a problem when the statistics
    period names another year (the year is not changed to agree)."""
    period = report_period(report)
    if period is None or period == year:
        return []
    return [
        Problem(
            "report",
            "year_disagrees",
            f"report year {year}, but the text states a statistics period in {period}",
        )
    ]


def stated_figures(report: Report, year: int) -> dict[str, Statement]:
    """Given a Report and its year, return the totals of table 三 its prose states clearly."""
    return stated_totals([s.body for s in report.sections], year)


def cells_to_records(
    cells: list[Cell], template: str, agency_id: str, year: int, sha: str, problems: list[Problem]
) -> dict[RecordName, list[LongRow]]:
    """Given a report's cells and key, return its `requests`, `appeals` and `active` rows
    (values parsed; a cell that is no number keeps its raw text, no value, and a problem)."""
    units = {(a.item, a.metric): a.unit for a in codes.active_cells(template)}
    out: dict[RecordName, list[LongRow]] = {"requests": [], "appeals": [], "active": []}
    for c in cells:
        where = (sha, c.page, _bbox(c))
        if c.table == "requests":
            out["requests"].append(
                RequestRow(agency_id, year, c.row, c.col, _count(c, problems), c.raw, *where)
            )
        elif c.table == "appeals":
            out["appeals"].append(
                AppealRow(agency_id, year, c.row, c.col, _count(c, problems), c.raw, *where)
            )
        else:
            unit = units.get((c.row, c.col))
            value = _amount(c, unit, problems)
            out["active"].append(
                ActiveRow(agency_id, year, c.row, c.col, value, unit, c.raw, *where)
            )
    return out


def records_to_checks(records: dict[RecordName, list[LongRow]]) -> list[Check]:
    """Given a report's cell rows, return every template identity over tables 三 and 四."""
    requests = [r for r in records["requests"] if isinstance(r, RequestRow)]
    appeals = [r for r in records["appeals"] if isinstance(r, AppealRow)]
    return report_checks(
        {(r.row_code, r.applicant): r.value for r in requests},
        {(r.proceeding, r.outcome): r.value for r in appeals},
    )


def records_to_stated_checks(
    records: dict[RecordName, list[LongRow]], stated: dict[str, Statement]
) -> list[Check]:
    """Given a report's cell rows and the totals its prose states, return one check per
    stated figure (none when table 三 was not found)."""
    requests = [r for r in records["requests"] if isinstance(r, RequestRow)]
    grid = {(r.row_code, r.applicant): r.value for r in requests}
    return stated_checks(grid, {row: s.value for row, s in stated.items()})


def entry_to_agency_row(entry: AgencyEntry) -> AgencyRow:
    """Given the registry's entry, return the report's `agencies` row."""
    return AgencyRow(
        agency_id=entry.agency_id,
        name=entry.name or entry.agency_id,
        region_code=entry.region_code,
        level=entry.level,
        parent_region_code=entry.parent_region_code,
        aliases=tuple(entry.aliases),
        body=entry.body,
        id_source=entry.id_source,
        named_by=entry.named_by,
        registry_version=REGISTRY_VERSION,
    )


def report_to_rows(
    report: Report, meta: SourceMeta, loaded_at: datetime | None = None
) -> ReportRows:
    """Given an extracted Report and its source, return its rows, checks and status.

    Raises MissingKey when neither the manifest nor the document tells the agency or year.
    """
    entry = report_to_agency(report, meta)
    agency_id, year, sha = entry.agency_id, report_to_year(report, meta), meta.sha256
    problems = list(report.problems)
    records = cells_to_records(
        report.cells, report.template or "2021", agency_id, year, sha, problems
    )
    identities = records_to_checks(records)
    identities += records_to_stated_checks(records, stated_figures(report, year))
    status, why = report_status(report, identities)
    problems += why + year_problems(report, year)
    records["sections"] = [
        SectionRow(agency_id, year, s.number, s.heading, s.body) for s in report.sections
    ]
    records["checks"] = [CheckRow(agency_id, year, *check, "error") for check in identities]
    records["readings"] = [
        ReadingRow(
            agency_id,
            year,
            a.table,
            a.method,
            a.verdict,
            a.cells,
            a.expected,
            a.failed_checks,
            a.chosen,
            a.note or None,
        )
        for a in report.attempts
    ]
    report_row = ReportRow(
        report_id=report_id_of(agency_id, year, sha),
        agency_id=agency_id,
        year=year,
        title=report.title,
        template=report.template,
        source_uri=meta.source_uri,
        sha256=sha,
        media_type=report.media_type,
        status=status,
        loaded_at=loaded_at or datetime.now(UTC).replace(tzinfo=None),
        pages=report.pages,
        cells=len(report.cells),
        problems="\n".join(map(str, problems)) or None,
        extractor_version=_extractor_version(),
        heading_source=report.heading_source or None,
        text_layer=report.text_layer,
    )
    return ReportRows(entry_to_agency_row(entry), report_row, records, problems)


def _extractor_version() -> str:
    from extract import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION
