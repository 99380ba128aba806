"""One report as the national template lays it out, built from its long records.

`xxgk inspect FILE` (a fresh extraction, through transform.frames) and `xxgk show AGENCY
YEAR` (the warehouse, through load/show.py) both hand long rows (the report's row, its
cells with value, raw, page and bbox, its identities and its readings) to
:func:`rows_to_records`, and the records to :func:`records_to_view`: one code path, so
both print the same report. Pure: no file, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from extract.records import TABLE_NUMERALS
from spec import codes
from spec.identities import IDENTITIES, Check, check_terms
from spec.kinds import TABLE_NAMES, TableName
from transform.frames import ReadingRow, RecordName, ReportRows

TABLE_TITLES = {
    "active": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "appeals": "政府信息公开行政复议、行政诉讼情况",
}
ARTICLE_TITLES = {
    "20(1)": "第二十条第（一）项",
    "20(5)": "第二十条第（五）项",
    "20(6)": "第二十条第（六）项",
    "20(8)": "第二十条第（八）项",
    "20(9)": "第二十条第（九）项",
}
CHECK_ORDER = tuple(i.check_code for i in IDENTITIES)
METHOD_ORDER = ("words", "text", "grid", "lines")  # the order the readers try them
SIDE_TERMS_SPELLED = 4  # a side of more terms is written as a sum of n rows or columns

# Cell states, by precedence: a template cell not read; a cell of a failing identity; a blank
# cell; a cell whose identities all pass; a cell no identity touches (table 二).
CellState = Literal["unread", "fail", "blank", "pass", "unchecked"]
UNREAD: Final = "unread"
FAIL: Final = "fail"
BLANK: Final = "blank"
PASS: Final = "pass"
UNCHECKED: Final = "unchecked"

Key = tuple[str, str]
BBox = tuple[float, ...]
Row = Mapping[str, Any]  # a long row as the warehouse holds it: column -> value
Labelled = list[tuple[str, str]]  # (code, label) of a table's rows or columns


@dataclass(frozen=True)
class CellRecord:
    """One value cell as stored: its codes, parsed value, text as found, and where."""

    table: TableName
    row: str
    col: str
    value: int | float | None
    raw: str | None
    unit: str | None = None
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True)
class ReportRecords:
    """Everything known of one report, as long records: what both commands start from."""

    title: str | None
    agency_id: str | None
    agency_name: str | None
    year: int | None
    template: str | None
    heading_source: str | None
    text_layer: str | None
    media_type: str | None
    pages: int | None
    status: str
    problems: tuple[str, ...]
    cells: tuple[CellRecord, ...]
    checks: tuple[Check, ...]  # the per-report identities (checks.severity = error)
    readings: tuple[ReadingRow, ...]


@dataclass(frozen=True)
class CellView:
    """One template cell in its place: the value as shown, the text found, its check state."""

    row: str
    col: str
    value: int | float | None
    raw: str | None
    text: str  # the value as shown: '' for a blank or unread cell
    note: str | None  # the text as found, where it differs from `text`
    state: CellState
    unit: str | None = None
    page: int | None = None
    bbox: BBox | None = None


@dataclass(frozen=True)
class Column:
    """A column of a table's block: its code and the template's label."""

    code: str  # canonical (spec/*.csv)
    label: str  # as the template prints it


@dataclass(frozen=True)
class RowView:
    """A row of a table's block: its code, the template's label, and its cells in column order."""

    code: str
    label: str
    cells: tuple[CellView, ...]


@dataclass(frozen=True)
class BlockView:
    """A part of a table with its own columns (table 二 has one per article)."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[RowView, ...]


@dataclass(frozen=True)
class TableView:
    """One table in the template's layout: its blocks, and how much of the template was read."""

    table: str
    numeral: str
    title: str
    blocks: tuple[BlockView, ...]
    read: int  # template cells read
    expected: int  # template cells
    unread: tuple[str, ...]  # the template cells not read, as row/col
    extra: tuple[CellView, ...] = ()  # cells read that the template has no place for


@dataclass(frozen=True)
class IdentityView:
    """One template identity: its two sides, their values, and whether they agree."""

    check_code: str
    subject: str
    expected_side: str
    expected: float
    actual_side: str
    actual: float
    passed: bool
    cells: tuple[str, ...]  # row/col of every cell of both sides


@dataclass(frozen=True)
class Heading:
    """What the report says of itself, and what the reading found of its file."""

    title: str | None
    agency_name: str | None
    agency_id: str | None
    year: int | None
    template: str | None
    found_at: str | None  # which lines or element gave title, agency and year
    text_layer: str | None
    media_type: str | None
    pages: int | None


@dataclass(frozen=True)
class ReportView:
    """A report as both `xxgk inspect` and `xxgk show` lay it out."""

    heading: Heading
    status: str
    tables: tuple[TableView, ...]
    identities: tuple[IdentityView, ...]
    readings: tuple[ReadingRow, ...]
    problems: tuple[str, ...]


# ------------------------------------------------------------------ long rows -> records


def _value(table: str, value: float | None) -> int | float | None:
    if value is None:
        return None
    return float(value) if table == "active" else int(value)


def row_to_cell(row: Row) -> CellRecord:
    """Given a long cell row (table_name, row_code, col_code, value, raw, unit, page, bbox),
    return its CellRecord."""
    table = row["table_name"]
    bbox = row.get("bbox")
    return CellRecord(
        table,
        row["row_code"],
        row["col_code"],
        _value(table, row.get("value")),
        row.get("raw"),
        row.get("unit"),
        None if row.get("page") is None else int(row["page"]),
        None if bbox is None else tuple(float(v) for v in bbox),
    )


def row_to_check(row: Row) -> Check:
    """Given a long check row, return its Check."""
    return Check(
        row["check_code"],
        row["subject"],
        float(row["expected"]),
        float(row["actual"]),
        bool(row["passed"]),
    )


def row_to_reading(row: Row) -> ReadingRow:
    """Given a long table-reading row, return its ReadingRow."""
    return ReadingRow(
        row["agency_id"],
        int(row["year"]),
        row["table_name"],
        row["method"],
        row["verdict"],
        int(row["cells"]),
        int(row["expected"]),
        int(row["failed_checks"]),
        bool(row["chosen"]),
        row.get("note") or None,
    )


def rows_to_records(
    report: Row, cells: Iterable[Row], checks: Iterable[Row], readings: Iterable[Row]
) -> ReportRecords:
    """Given a report's row (with agency_name) and its long cell, check and reading rows,
    return its ReportRecords."""
    return ReportRecords(
        title=report.get("title"),
        agency_id=report.get("agency_id"),
        agency_name=report.get("agency_name"),
        year=None if report.get("year") is None else int(report["year"]),
        template=report.get("template"),
        heading_source=report.get("heading_source") or None,
        text_layer=report.get("text_layer"),
        media_type=report.get("media_type"),
        pages=None if report.get("pages") is None else int(report["pages"]),
        status=report["status"],
        problems=tuple((report.get("problems") or "").splitlines()),
        cells=tuple(row_to_cell(c) for c in cells),
        checks=tuple(row_to_check(c) for c in checks),
        readings=tuple(row_to_reading(r) for r in readings),
    )


# Each cell table's record, and its row and column codes.
_FRAME_CELLS: tuple[tuple[RecordName, str, str], ...] = (
    ("requests", "row_code", "applicant"),
    ("appeals", "proceeding", "outcome"),
    ("active", "item", "metric"),
)


def frames_to_rows(frames: ReportRows) -> tuple[Row, list[Row], list[Row], list[Row]]:
    """Given ReportRows (transform.frames), return the long rows the warehouse would hold:
    the report (with agency_name), cells, per-report checks and readings."""
    cells: list[Row] = []
    for name, row, col in _FRAME_CELLS:
        for record in frames.records[name]:
            d = record._asdict()
            cells.append({**d, "table_name": name, "row_code": d[row], "col_code": d[col]})
    checks: list[Row] = [c._asdict() for c in frames.records["checks"]]
    readings: list[Row] = [r._asdict() for r in frames.records["readings"]]
    report = {**frames.report.to_row(), "agency_name": frames.agency.name}
    return report, cells, [c for c in checks if c["severity"] == "error"], readings


# ------------------------------------------------------------------ records -> view


def number_text(value: int | float | None) -> str:
    """Given a parsed value, return it as shown: '' for blank, no trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def raw_differs(raw: str | None, text: str) -> bool:
    """Given a cell's text as found and its value as shown, tell whether they differ beyond
    width and white space (１２ is 12; 1,234, -, 12.5万元 and 0元 differ)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or "")) != text


def cell_to_view(cell: CellRecord | None, key: Key, state: CellState) -> CellView:
    """Given a cell read (None: not read), its template key and check state, return its view."""
    if cell is None:
        return CellView(key[0], key[1], None, None, "", None, UNREAD)
    text = number_text(cell.value)
    note = cell.raw if raw_differs(cell.raw, text) else None
    return CellView(
        key[0], key[1], cell.value, cell.raw, text, note, state, cell.unit, cell.page, cell.bbox
    )


def request_row_codes(records: ReportRecords) -> tuple[str, ...]:
    """Given the records, return table 三's rows: three （六） rows when the document has
    them (or, with no cell read, when its template does), else one."""
    rows = {c.row for c in records.cells if c.table == "requests"}
    three = any(r.startswith("other_") for r in rows) if rows else records.template != "2019"
    return codes.request_row_codes(3 if three else 1)


def _request_label(code: str) -> str:
    label = next(r.label for r in codes.request_rows() if r.row_code == code)
    return label.split(" (")[0]  # the single （六） row's label carries a note in English


def _appeal_labels() -> dict[str, str]:
    return {r["code"]: r["label"] for r in codes.read_spec_csv("appeals.csv")}


def _applicant_labels() -> dict[str, str]:
    return {r["applicant"]: r["label"] for r in codes.read_spec_csv("applicants.csv")}


def layout_blocks(table: str, records: ReportRecords) -> list[tuple[str, Labelled, Labelled]]:
    """Given a table and the records, return its template layout: blocks of
    (title, [(row code, label)], [(column code, label)])."""
    if table == "requests":
        labels = _applicant_labels()
        rows = [(r, _request_label(r)) for r in request_row_codes(records)]
        return [("", rows, [(a, labels[a]) for a in codes.applicants()])]
    if table == "appeals":
        labels = _appeal_labels()
        return [
            (
                "",
                [(p, labels[p]) for p in codes.proceedings()],
                [(o, labels[o]) for o in codes.outcomes()],
            )
        ]
    blocks: dict[str, tuple[Labelled, Labelled]] = {}
    for c in codes.active_cells(records.template) if records.template else ():
        rows, cols = blocks.setdefault(c.article, ([], []))
        if (c.item, c.item_label) not in rows:
            rows.append((c.item, c.item_label))
        label = c.metric_label
        if c.unit == "万元" and "万元" not in label:
            label += "（万元）"
        if (c.metric, label) not in cols:
            cols.append((c.metric, label))
    return [(ARTICLE_TITLES.get(a, a), rows, cols) for a, (rows, cols) in blocks.items()]


def template_keys(table: str, records: ReportRecords) -> list[Key]:
    """Given a table and the records, return the (row, column) cells its template calls for."""
    if table == "active":
        return [(c.item, c.metric) for c in codes.active_cells(records.template or "")]
    return [
        (r, c) for _, rows, cols in layout_blocks(table, records) for r, _ in rows for c, _ in cols
    ]


def check_states(records: ReportRecords) -> dict[tuple[str, Key], CellState]:
    """Given the records, return (table, key) -> fail or pass for every cell an identity touches."""
    rows = {c.row for c in records.cells if c.table == "requests"}
    out: dict[tuple[str, Key], CellState] = {}
    for check in records.checks:
        table = "appeals" if check.check_code == "appeals_total" else "requests"
        left, right = check_terms(check, rows)
        for key in left + right:
            if out.get((table, key)) != FAIL:
                out[(table, key)] = PASS if check.passed else FAIL
    return out


def cell_state(cell: CellRecord, checked: CellState | None) -> CellState:
    """Given a cell read and the state its identities give (None: none touches it), return
    its state: fail, else blank, else pass or unchecked."""
    if checked == FAIL:
        return FAIL
    if cell.value is None:
        return BLANK
    return checked or UNCHECKED


def table_to_view(
    table: TableName, records: ReportRecords, states: dict[tuple[str, Key], CellState]
) -> TableView:
    """Given a table, the records and the identity states, return the table in its layout."""
    read = {(c.row, c.col): c for c in records.cells if c.table == table}
    blocks = []
    for title, rows, cols in layout_blocks(table, records):
        row_views = []
        for code, label in rows:
            cells = []
            for col, _ in cols:
                cell = read.get((code, col))
                state = cell_state(cell, states.get((table, (code, col)))) if cell else UNREAD
                cells.append(cell_to_view(cell, (code, col), state))
            row_views.append(RowView(code, label, tuple(cells)))
        blocks.append(BlockView(title, tuple(Column(*c) for c in cols), tuple(row_views)))
    keys = template_keys(table, records)
    placed = set(keys)
    extra = [
        cell_to_view(c, k, cell_state(c, states.get((table, k))))
        for k, c in read.items()
        if k not in placed
    ]
    return TableView(
        table,
        TABLE_NUMERALS[table],
        TABLE_TITLES[table],
        tuple(blocks),
        sum(k in read for k in keys),
        len(keys),
        tuple(f"{r}/{c}" for r, c in keys if (r, c) not in read),
        tuple(extra),
    )


def side_text(keys: list[Key], by_row: bool) -> str:
    """Given one side of an identity and whether its rows vary (else its columns), return it
    in words: the codes that vary joined with +, or a sum of n rows (columns) when many."""
    if not keys:
        return "0"
    names = [r if by_row else c for r, c in keys]
    if len(names) <= SIDE_TERMS_SPELLED:
        return " + ".join(names)
    return f"sum of {len(names)} {'rows' if by_row else 'columns'} ({names[0]} … {names[-1]})"


def _subject_rank(check: Check) -> int:
    order = {
        "requests_row_total": [r.row_code for r in codes.request_rows()],
        "appeals_total": list(codes.proceedings()),
    }.get(check.check_code, list(codes.applicants()))
    return order.index(check.subject) if check.subject in order else len(order)


def check_to_view(check: Check, rows: set[str]) -> IdentityView:
    """Given one identity and the rows of table 三, return it with its two sides."""
    left, right = check_terms(check, rows)
    by_row = len({c for _, c in left + right}) == 1  # one column: the rows vary
    return IdentityView(
        check.check_code,
        check.subject,
        side_text(left, by_row),
        check.expected,
        side_text(right, by_row),
        check.actual,
        check.passed,
        tuple(f"{r}/{c}" for r, c in left + right),
    )


def _reading_rank(reading: ReadingRow) -> tuple[int, int, str]:
    method = METHOD_ORDER.index(reading.method) if reading.method in METHOD_ORDER else 99
    return TABLE_NAMES.index(reading.table_name), method, reading.method


def records_to_view(records: ReportRecords) -> ReportView:
    """Given a report's records, return it as the template lays it out: heading, tables 二,
    三 and 四, every identity with its sides, the readings tried, and the problems."""
    states = check_states(records)
    rows = {c.row for c in records.cells if c.table == "requests"}
    checks = sorted(
        records.checks,
        key=lambda c: (CHECK_ORDER.index(c.check_code), _subject_rank(c), c.subject),
    )
    heading = Heading(
        records.title,
        records.agency_name,
        records.agency_id,
        records.year,
        records.template,
        records.heading_source,
        records.text_layer,
        records.media_type,
        records.pages,
    )
    return ReportView(
        heading,
        records.status,
        tuple(table_to_view(t, records, states) for t in TABLE_NAMES),
        tuple(check_to_view(c, rows) for c in checks),
        tuple(sorted(records.readings, key=_reading_rank)),
        records.problems,
    )
