"""Merged cells for the layout grids, as Word and CMS editors write the national tables.

A grid from :mod:`tests.docgen.layout` holds a label in the top-left position
of what is really a merged cell and empty strings in the positions it covers.
:func:`grid_to_spans` recovers the merged cells as rectangles, so the HTML and
DOCX renderers can write rowspan/colspan and merged cells; :func:`split_spans`
cuts the rectangles where a table breaks in two, repeating a row-group label
in the second part as documents do.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A merged cell: its top-left position, extent and text."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


def _kind(grid: list[list[str]]) -> str:
    width = len(grid[0])
    return {4: "active", 10: "requests", 15: "appeals"}.get(width, "plain")


def grid_to_spans(grid: list[list[str]]) -> list[Span]:
    """Given a layout grid of one national table, return its cells as merged rectangles."""
    kind = _kind(grid)
    height, width = len(grid), len(grid[0])
    header_rows = {"requests": 3, "appeals": height - 1}.get(kind, 0)
    label_cols = 3 if kind == "requests" else 0
    covered: set[tuple[int, int]] = set()
    spans: list[Span] = []

    def free(r: int, c: int) -> bool:
        return r < height and c < width and (r, c) not in covered and grid[r][c] == ""

    for r in range(height):
        for c in range(width):
            if (r, c) in covered:
                continue
            text = grid[r][c]
            rs = cs = 1
            if text and r < header_rows:
                while free(r, c + cs):
                    cs += 1
                while r + rs < header_rows and all(free(r + rs, c + k) for k in range(cs)):
                    rs += 1
            elif text and c < label_cols:
                while c + cs < label_cols and free(r, c + cs):
                    cs += 1
                if c + cs < label_cols:
                    # A row-group label runs down while the rows below carry deeper labels.
                    while (
                        r + rs < height
                        and free(r + rs, c)
                        and any(grid[r + rs][k] for k in range(c + 1, label_cols))
                    ):
                        rs += 1
            elif text and kind == "active":
                if not any(grid[r][c + 1 :]):
                    cs = width - c
            for dr in range(rs):
                for dc in range(cs):
                    covered.add((r + dr, c + dc))
            spans.append(Span(r, c, rs, cs, text))
    return spans


def split_spans(spans: list[Span], at: int) -> tuple[list[Span], list[Span]]:
    """Given merged cells and a row to break at, return the two tables' cells (second re-based)."""
    first: list[Span] = []
    second: list[Span] = []
    for s in spans:
        end = s.row + s.rowspan
        if end <= at:
            first.append(s)
        elif s.row >= at:
            second.append(Span(s.row - at, s.col, s.rowspan, s.colspan, s.text))
        else:
            first.append(Span(s.row, s.col, at - s.row, s.colspan, s.text))
            second.append(Span(0, s.col, end - at, s.colspan, s.text))
    return first, second


def spans_by_row(spans: list[Span]) -> list[list[Span]]:
    """Given merged cells, return them grouped by their first row, left to right."""
    height = max((s.row + s.rowspan for s in spans), default=0)
    rows: list[list[Span]] = [[] for _ in range(height)]
    for s in sorted(spans, key=lambda s: (s.row, s.col)):
        rows[s.row].append(s)
    return rows


def split_row(grid: list[list[str]]) -> int:
    """Given a table grid, return the row where a page break falls: inside a row group."""
    return max(1, (len(grid) * 3) // 5)


HEADER_ROWS = {"active": 0, "requests": 3, "appeals": 3}
SECTION_OF_WIDTH = {4: 2, 10: 3, 15: 4}  # grid width -> its section number


def header_rows_of(grid: list[list[str]]) -> int:
    """Given a national table's grid, return how many header rows it opens with."""
    kind = _kind(grid)
    if kind == "appeals":
        return len(grid) - 1
    return HEADER_ROWS.get(kind, 0)


def split_at(
    grid: list[list[str]],
    cuts: list[int],
    repeat_header: bool = False,
    repeat_labels: bool = True,
) -> list[list[Span]]:
    """Given a table grid and rows to break before, return the parts' merged cells, each
    re-based; with `repeat_header` every part after the first opens with the header rows;
    without `repeat_labels` a merged label cut by a break is empty in the part below."""
    spans = grid_to_spans(grid)
    header = header_rows_of(grid)
    head = [s for s in spans if s.row + s.rowspan <= header]
    parts: list[list[Span]] = []
    rest, offset = spans, 0
    for cut in sorted({c for c in cuts if 0 < c < len(grid)}):
        crossing = {(s.col, s.text) for s in rest if s.row < cut - offset < s.row + s.rowspan}
        first, rest = split_spans(rest, cut - offset)
        if not repeat_labels:
            rest = [
                Span(s.row, s.col, s.rowspan, s.colspan, "")
                if s.row == 0 and (s.col, s.text) in crossing
                else s
                for s in rest
            ]
        parts.append(first)
        offset = cut
        if repeat_header and cut >= header > 0:
            rest = [Span(s.row + header, s.col, s.rowspan, s.colspan, s.text) for s in rest]
            rest = head + rest
            offset -= header
    parts.append(rest)
    return [p for p in parts if p]
