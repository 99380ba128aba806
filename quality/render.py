"""Print a ReportView: as rich text for the terminal, or as one JSON document.

The view is everything both `xxgk inspect` and `xxgk show` know; what only one of them
knows (the file, the load time, cross-report warnings) is a header of (label, value)
pairs printed above it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Container, Iterable, Sequence
from dataclasses import asdict

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from quality.view import (
    BLANK,
    FAIL,
    UNREAD,
    BlockView,
    CellView,
    IdentityView,
    ReportView,
    TableView,
)
from transform.frames import ReadingRow

UNREAD_MARK = "✗"
PIPE_WIDTH = 160
CODES_IN_HEADER = 5  # a block with more columns lists their codes below it
CELL_STYLES = {FAIL: "bold red", UNREAD: "yellow", BLANK: "dim"}
LEGEND = (
    f"{UNREAD_MARK} not read · ‹text› the text as found, where it differs from the value "
    "(beyond full-width digits) · an empty cell is blank · red: a failing identity touches it"
)


def cell_text(cell: CellView) -> Text:
    """Given a cell's view, return what its place in the table shows."""
    if cell.state == UNREAD:
        return Text(UNREAD_MARK, style=CELL_STYLES[UNREAD])
    shown = cell.text + (f" ‹{cell.note}›" if cell.note is not None else "")
    return Text(shown.strip(), style=CELL_STYLES.get(cell.state, ""))


def pairs_to_table(pairs: list[tuple[str, str]]) -> Table:
    """Given (label, value) pairs, return them as a two-column grid."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in pairs:
        grid.add_row(label, value)
    return grid


def _or_dash(value: object) -> str:
    return "-" if value is None or value == "" else str(value)


def heading_pairs(view: ReportView) -> list[tuple[str, str]]:
    """Given a view, return its heading as (label, value) pairs."""
    h = view.heading
    pages = f", {h.pages} page{'s' if h.pages > 1 else ''}" if h.pages else ""
    return [
        ("title", _or_dash(h.title)),
        ("agency", f"{_or_dash(h.agency_name)} ({_or_dash(h.agency_id)})"),
        ("year", _or_dash(h.year)),
        ("template", f"{_or_dash(h.template)} (told by table 二)"),
        ("heading from", _or_dash(h.found_at)),
        ("text layer", _or_dash(h.text_layer)),
        ("format", f"{_or_dash(h.media_type)}{pages}"),
        ("status", view.status),
    ]


def block_to_table(block: BlockView) -> Table:
    """Given a block of a table, return it as a rich table: rows by code and label, columns
    by label (and code, when there are few; else the codes are listed below the table)."""
    table = Table(title=block.title or None, title_justify="left", show_lines=False)
    table.add_column("row", no_wrap=True)
    table.add_column("label", ratio=1, overflow="fold")
    for col in block.columns:
        header = col.label if len(block.columns) > CODES_IN_HEADER else f"{col.label}\n{col.code}"
        table.add_column(header, justify="right", no_wrap=True)
    for row in block.rows:
        table.add_row(row.code, row.label, *(cell_text(c) for c in row.cells))
    return table


def table_to_renderables(table: TableView) -> list[RenderableType]:
    """Given a table's view, return its title, blocks and what was not read."""
    out: list[RenderableType] = [
        Text(
            f"{table.numeral}、{table.title} ({table.table}): "
            f"{table.read} of {table.expected} template cells read",
            style="bold",
        )
    ]
    if not table.expected:
        out.append(Text("  not found: no template to lay it out", style="yellow"))
    for block in table.blocks:
        out.append(block_to_table(block))
        if len(block.columns) > CODES_IN_HEADER:
            key = " · ".join(f"{c.label} {c.code}" for c in block.columns)
            out.append(Text(f"  columns: {key}", style="dim"))
    if table.unread:
        out.append(Text(f"  not read: {', '.join(table.unread)}", style="yellow"))
    if table.extra:
        extra = ", ".join(f"{c.row}/{c.col} = {cell_text(c).plain}" for c in table.extra)
        out.append(Text(f"  read outside the template: {extra}", style="yellow"))
    return out


def rows_to_table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[str | Text]], right: Container[str]
) -> Table:
    """Given a title, column names, rows and the columns to right-justify, return a rich table."""
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, justify="right" if col in right else "left")
    for row in rows:
        table.add_row(*row)
    return table


IDENTITY_COLUMNS = ("check", "subject", "expected side", "expected", "actual side", "actual")
READING_COLUMNS = ("table", "method", "verdict", "cells", "failed checks", "kept", "note")
READINGS_TITLE = "readings (kept, and every one tried)"


def identities_title(view: ReportView) -> str:
    """Given a view, return the title of its identities: how many, how many failing."""
    failed = sum(not i.passed for i in view.identities)
    return f"identities: {len(view.identities)}, {failed} failing"


def identity_to_cells(i: IdentityView) -> list[str]:
    """Given an identity, return its row (IDENTITY_COLUMNS) as text; its result is apart."""
    sides = [i.expected_side, _number(i.expected), i.actual_side, _number(i.actual)]
    return [i.check_code, i.subject, *sides]


def reading_to_cells(r: ReadingRow) -> list[str]:
    """Given a reading, return its row (READING_COLUMNS) as text."""
    read = [f"{r.cells}/{r.expected}", str(r.failed_checks)]
    return [r.table_name, r.method, r.verdict, *read, "kept" if r.chosen else "", r.note or ""]


def identities_to_table(view: ReportView) -> Table:
    """Given a view, return every template identity with its two sides and the result."""
    rows: list[list[str | Text]] = [
        [*identity_to_cells(i), _result(i.passed)] for i in view.identities
    ]
    columns = (*IDENTITY_COLUMNS, "result")
    return rows_to_table(identities_title(view), columns, rows, right=("expected", "actual"))


def result_word(passed: bool) -> str:
    """Given whether an identity holds, return the word a report shows for it."""
    return "pass" if passed else "FAIL"


def _result(passed: bool) -> Text:
    return Text(result_word(passed), style="green" if passed else "bold red")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def readings_to_table(view: ReportView) -> Table:
    """Given a view, return the readings tried for each table, the kept one marked."""
    rows = [reading_to_cells(r) for r in view.readings]
    return rows_to_table(READINGS_TITLE, READING_COLUMNS, rows, right=("cells", "failed checks"))


def provenance_to_table(table: TableView) -> Table:
    """Given a table's view, return each cell read with its raw text, page and bbox."""
    out = Table(title=f"provenance: table {table.numeral} ({table.table})", title_justify="left")
    for col in ("row", "col", "value", "raw", "page", "bbox (x0, top, x1, bottom)"):
        out.add_column(col)
    cells = [c for b in table.blocks for r in b.rows for c in r.cells if c.state != UNREAD]
    for c in (*cells, *table.extra):
        bbox = "" if c.bbox is None else ", ".join(f"{v:.1f}" for v in c.bbox)
        page = "" if c.page is None else str(c.page)
        out.add_row(c.row, c.col, c.text, repr(c.raw or ""), page, bbox)
    return out


def view_to_renderables(view: ReportView, provenance: bool = False) -> list[RenderableType]:
    """Given a view, return what the terminal shows of it, top to bottom."""
    out: list[RenderableType] = [Text("heading", style="bold"), pairs_to_table(heading_pairs(view))]
    for table in view.tables:
        out += [Text(""), *table_to_renderables(table)]
    out += [Text(LEGEND, style="dim"), Text(""), identities_to_table(view)]
    out += [Text(""), readings_to_table(view), Text("")]
    problems = [f"  {p}" for p in view.problems] or ["  none"]
    out.append(Text("\n".join(["problems", *problems])))
    if provenance:
        out += [Text(""), *(provenance_to_table(t) for t in view.tables)]
    return out


def header_to_renderable(pairs: list[tuple[str, str]]) -> RenderableType:
    """Given what only one command knows, as (label, value) pairs, return it above a rule."""
    return Group(pairs_to_table(pairs), Text("─" * 40))


def reading_to_json(reading: ReadingRow) -> dict[str, object]:
    """Given a reading, return it as the JSON document writes it: its table as `table`, its
    agency-year left out (the heading says it)."""
    fields: dict[str, object] = reading._asdict()
    del fields["agency_id"], fields["year"]
    return {"table": fields.pop("table_name"), **fields}


def view_to_json(view: ReportView, about: dict[str, str]) -> str:
    """Given a view and what only one command knows, return both as one JSON document."""
    report = asdict(view) | {"readings": [reading_to_json(r) for r in view.readings]}
    return json.dumps({"about": about, "report": report}, ensure_ascii=False, indent=1)


def report_console() -> Console:
    """Return a console as wide as the terminal, or $COLUMNS (default 160) when the output
    is a pipe or a file (table 三 needs about 150 columns); text from documents is printed
    as it is, never read as rich markup."""
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS") or PIPE_WIDTH)
    return Console(width=width, markup=False, highlight=False)


def print_view(
    console: Console,
    view: ReportView,
    about: list[tuple[str, str]],
    as_json: bool = False,
    provenance: bool = False,
) -> None:
    """Given a console, a view and its header pairs, print them as text or as one JSON document."""
    if as_json:
        console.file.write(view_to_json(view, dict(about)) + "\n")
        return
    console.print(header_to_renderable(about))
    for renderable in view_to_renderables(view, provenance):
        console.print(renderable)
