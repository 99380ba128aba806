"""One report as a static HTML page (no script, no network): each table in the template's
layout, every cell coloured by its check result, with the identities, readings and problems.

`xxgk inspect FILE --png DIR` writes it for documents without pages to draw on (HTML,
DOCX, text): their cells have no bbox.
"""

from __future__ import annotations

from html import escape

from quality.render import (
    IDENTITY_COLUMNS,
    READING_COLUMNS,
    READINGS_TITLE,
    heading_pairs,
    identities_title,
    identity_to_cells,
    reading_to_cells,
    result_word,
)
from quality.view import (
    BLANK,
    FAIL,
    PASS,
    UNCHECKED,
    UNREAD,
    BlockView,
    CellView,
    ReportView,
    TableView,
)
from spec.identities import TABLE_OF_CHECK

CELL_COLOURS = {
    PASS: "#c8e6c9",
    FAIL: "#ef9a9a",
    BLANK: "#eeeeee",
    UNREAD: "#bdbdbd",
    UNCHECKED: "#e3f2fd",
}
STATE_WORDS = {
    PASS: "every identity touching it passes",
    FAIL: "an identity touching it fails",
    BLANK: "read, no value (blank)",
    UNREAD: "a template cell not read",
    UNCHECKED: "no identity touches it (table 二)",
}
CSS = (
    'body{font-family:"Noto Sans CJK SC","Noto Sans SC","WenQuanYi Micro Hei",sans-serif;'
    "margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}"
    "h3{font-size:14px;margin:12px 0 4px}table{border-collapse:collapse;font-size:12px}"
    "td,th{border:1px solid #bbb;padding:2px 6px}th{background:#f3f3f3;font-weight:normal}"
    "td.num{text-align:right;min-width:3em}code{font-size:11px;color:#555}"
    ".raw{color:#8a4b00}.muted{color:#777;font-size:12px}"
    + "".join(f"td.{state}{{background:{colour}}}" for state, colour in CELL_COLOURS.items())
    + f"tr.{FAIL} td{{background:{CELL_COLOURS[FAIL]}}}"
)


CheckNotes = dict[tuple[str, str], list[str]]  # (table, row/col) -> identities touching it


def checks_by_cell(view: ReportView) -> CheckNotes:
    """Given a view, return (table, row/col) -> the identities touching that cell, as text."""
    out: dict[tuple[str, str], list[str]] = {}
    for i in view.identities:
        for key in i.cells:
            note = f"{i.check_code} {i.subject}: {result_word(i.passed)}"
            table = TABLE_OF_CHECK.get(i.check_code, "requests")  # a code of an older run
            out.setdefault((table, key), []).append(note)
    return out


def cell_to_td(table: str, cell: CellView, checks: CheckNotes) -> str:
    """Given a cell's view and the identities by cell, return its <td>, coloured by state."""
    key = f"{cell.row}/{cell.col}"
    tip = [key, STATE_WORDS[cell.state]]
    if cell.raw is not None:
        tip.append(f"as found: {cell.raw!r}")
    tip += checks.get((table, key), [])
    shown = "✗" if cell.state == UNREAD else escape(cell.text)
    if cell.note is not None:
        shown += f' <span class="raw">‹{escape(cell.note)}›</span>'
    return f'<td class="num {cell.state}" title="{escape(" · ".join(tip))}">{shown}</td>'


def block_to_html(table: str, block: BlockView, checks: CheckNotes) -> str:
    """Given a block of a table, return it as an HTML table in the template's layout."""
    head = "".join(
        f"<th>{escape(c.label)}<br><code>{escape(c.code)}</code></th>" for c in block.columns
    )
    rows = [
        f"<tr><td><code>{escape(r.code)}</code></td><td>{escape(r.label)}</td>"
        + "".join(cell_to_td(table, c, checks) for c in r.cells)
        + "</tr>"
        for r in block.rows
    ]
    title = f"<h3>{escape(block.title)}</h3>" if block.title else ""
    return f"{title}<table><tr><th>row</th><th>label</th>{head}</tr>{''.join(rows)}</table>"


def table_to_html(table: TableView, checks: CheckNotes) -> str:
    """Given a table's view, return its section: title, blocks, cells not read."""
    parts = [
        f"<h2>{table.numeral}、{escape(table.title)} <code>{table.table}</code>: "
        f"{table.read} of {table.expected} template cells read</h2>"
    ]
    if not table.expected:
        parts.append('<p class="muted">not found: no template to lay it out</p>')
    parts += [block_to_html(table.table, b, checks) for b in table.blocks]
    if table.unread:
        parts.append(f'<p class="muted">not read: {escape(", ".join(table.unread))}</p>')
    if table.extra:
        cells = "".join(cell_to_td(table.table, c, checks) for c in table.extra)
        parts.append(f"<p>read outside the template:</p><table><tr>{cells}</tr></table>")
    return "".join(parts)


def rows_to_html(header: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    """Given column names and rows of text, return an HTML table (rows optionally classed)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        f'<tr class="{classes[i] if classes else ""}">'
        + "".join(f"<td>{escape(v)}</td>" for v in row)
        + "</tr>"
        for i, row in enumerate(rows)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def identities_to_html(view: ReportView) -> str:
    """Given a view, return every identity with its two sides, failing ones in red."""
    rows = [[*identity_to_cells(i), result_word(i.passed)] for i in view.identities]
    header = [*IDENTITY_COLUMNS, "result"]
    table = rows_to_html(header, rows, [PASS if i.passed else FAIL for i in view.identities])
    return f"<h2>{identities_title(view)}</h2>{table}"


def readings_to_html(view: ReportView) -> str:
    """Given a view, return the readings tried for each table, the kept one marked."""
    rows = [reading_to_cells(r) for r in view.readings]
    return f"<h2>{READINGS_TITLE}</h2>" + rows_to_html(list(READING_COLUMNS), rows)


def view_to_html(view: ReportView, about: list[tuple[str, str]]) -> str:
    """Given a view and what only this command knows (label, value pairs), return the page."""
    checks = checks_by_cell(view)
    h = view.heading
    title = escape(f"{h.agency_name or h.agency_id or ''} {h.year or ''}: {view.status}")
    legend = "".join(
        f'<td class="{state}">{escape(words)}</td>' for state, words in STATE_WORDS.items()
    )
    problems = "".join(f"<li>{escape(p)}</li>" for p in view.problems) or "<li>none</li>"
    return (
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{CSS}</style></head><body><h1>{title}</h1>"
        + rows_to_html(["", ""], [list(p) for p in about])
        + "<h2>heading</h2>"
        + rows_to_html(["", ""], [list(p) for p in heading_pairs(view)])
        + "".join(table_to_html(t, checks) for t in view.tables)
        + f"<h2>legend</h2><table><tr>{legend}</tr></table>"
        + identities_to_html(view)
        + readings_to_html(view)
        + f"<h2>problems</h2><ul>{problems}</ul></body></html>"
    )
