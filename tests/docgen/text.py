"""Render a Truth as a text report: markdown pipe tables (like seed 000) or tab-separated (seed 002).

:class:`TextStyle` holds what a converter does to the layout (the defaults give the
classic output): where pages break inside the tables and whether the header is
repeated after a break, how a cell holding a line break comes out (「商业 企业」,
「商业<br>企业」, or the header split over two text rows as pdftotext does), on which
line of a wrapped label its values sit, table 四's values split over several lines,
and a title that is not a ``#`` heading.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.docgen.layout import Style, blocks_of, title_lines
from tests.docgen.truth import Truth

_TABLE_OF_WIDTH = {4: 2, 10: 3, 15: 4}  # grid width -> its section number
_HEADER_ROWS = {3: 3, 4: 3}  # section -> header rows (table 二 has none: its headers interleave)


@dataclass(frozen=True)
class TextStyle:
    """How a converter wrote the text, on top of the number Style."""

    breaks: tuple[tuple[int, int], ...] = ()  # (section, row): a page break before that row
    repeat_header: bool = False  # the header rows again after a break
    page_mark: str = "- {n} -"  # the page number line a break leaves ('' for none)
    cell_breaks: str = "space"  # a '\n' in a cell: space | join | br | rows
    values_at: str = "first"  # a wrapped label's values: on its first | middle | last line
    appeal_chunk: int = 0  # table 四's values over lines of this many cells (0 = one line)
    title_heading: str = "#"  # the markdown title: '#' | 'bold' | 'plain'
    empty_header: bool = True  # pipe: a table continued after a break opens with an empty header


def _cell_lines(text: str) -> list[str]:
    return text.split("\n") if text else [""]


def _row_lines(row: list[str], ts: TextStyle, first_value: int) -> list[list[str]]:
    """Given a grid row, return it as one or more text rows (cells with line breaks)."""
    if not any("\n" in c for c in row) or ts.cell_breaks != "rows":
        joiner = {"space": " ", "join": "", "br": "<br>", "rows": " "}[ts.cell_breaks]
        return [[c.replace("\n", joiner) for c in row]]
    parts = [_cell_lines(c) for c in row]
    height = max(len(p) for p in parts)
    at = {"first": 0, "middle": (height - 1) // 2, "last": height - 1}[ts.values_at]
    out = [["" for _ in row] for _ in range(height)]
    for j, p in enumerate(parts):
        if j < first_value or len(p) > 1:
            for k, line in enumerate(p):
                out[k][j] = line
        else:
            out[at][j] = p[0]
    return out


def _first_value(grid: list[list[str]]) -> int:
    return 3 if len(grid[0]) == 10 else (1 if len(grid[0]) == 4 else 0)


def _grid_lines(grid: list[list[str]], ts: TextStyle, fmt: str, section: int, page: list[int]):
    """Given a table grid, return its text lines, page breaks and all."""
    width = len(grid[0])
    header = _HEADER_ROWS.get(section, 0)
    first_value = _first_value(grid)
    cuts = {r for s, r in ts.breaks if s == section and 0 < r < len(grid)}
    rows: list[list[str]] = []
    for i, row in enumerate(grid):
        if i == len(grid) - 1 and section == 4 and ts.appeal_chunk:
            rows += [row[k : k + ts.appeal_chunk] for k in range(0, width, ts.appeal_chunk)]
        else:
            rows += _row_lines(row, ts, first_value)
        rows.append(None)  # the end of grid row i
    lines: list[str] = []
    grid_row = 0
    started = False
    for row in rows:
        if row is None:
            grid_row += 1
            if grid_row in cuts:
                page[0] += 1
                lines += _page_break(ts, fmt, page[0], width)
                started = fmt == "pipe" and ts.empty_header
                if ts.repeat_header and grid_row >= header > 0:
                    for h in grid[:header]:
                        for hr in _row_lines(h, ts, first_value):
                            lines += _line(hr, fmt, width, started)
                            started = True
            continue
        lines += _line(row, fmt, width, started)
        started = True
    return lines


def _line(row: list[str], fmt: str, width: int, started: bool) -> list[str]:
    if fmt == "pipe":
        out = ["| " + " | ".join(row) + " |"]
        if not started:
            out.append("|" + "---|" * len(row))
        return out
    return ["\t".join(row)]


def _page_break(ts: TextStyle, fmt: str, n: int, width: int) -> list[str]:
    mark = [ts.page_mark.format(n=n - 1), ""] if ts.page_mark else []
    if fmt == "pipe" and ts.empty_header:
        return ["", *mark, "| " + " | ".join("" for _ in range(width)) + " |", "|" + "---|" * width]
    if fmt == "pipe":
        return ["", *mark]
    return ["", *mark, "\f"]


def _pipe(grid: list[list[str]], page_break_at: int | None) -> list[str]:
    lines = []
    for i, row in enumerate(grid):
        if page_break_at is not None and i == page_break_at:
            # The table continues after a page break as a new pipe table with an empty header.
            lines += [
                "",
                "- 2 -",
                "",
                "| " + " | ".join("" for _ in row) + " |",
                "|" + "---|" * len(row),
            ]
        lines.append("| " + " | ".join(row) + " |")
        if i == 0:
            lines.append("|" + "---|" * len(row))
    return lines


def _tab(grid: list[list[str]], page_break_at: int | None) -> list[str]:
    lines = []
    for i, row in enumerate(grid):
        if page_break_at is not None and i == page_break_at:
            lines += ["", "\f"]
        lines.append("\t".join(row))
    return lines


def _classic_grid(grid: list[list[str]]) -> bool:
    return not any("\n" in c for row in grid for c in row)


def render_text(
    truth: Truth,
    style: Style = Style(),
    *,
    fmt: str = "pipe",
    page_breaks: bool = False,
    text: TextStyle = TextStyle(),
) -> bytes:
    """Return the report as UTF-8 text; `fmt` is 'pipe' (markdown) or 'tab'."""
    out: list[str] = []
    page = [1]
    classic = text == TextStyle()
    for kind, payload in blocks_of(truth, style):
        if kind == "title":
            lines = title_lines(str(payload), style)
            if fmt == "pipe" and text.title_heading == "#":
                out += [f"# {line}" for line in lines] + [""]
            elif fmt == "pipe" and text.title_heading == "bold":
                out += [f"**{line}**" for line in lines] + [""]
            else:
                out += [*lines, ""]
        elif kind == "heading":
            out += [f"## {payload}" if fmt == "pipe" else str(payload), ""]
        elif kind in ("para", "pre", "sign"):
            out += [str(payload), ""]
        else:
            grid = payload
            if classic and _classic_grid(grid):
                cut = len(grid) // 2 if page_breaks else None
                out += (_pipe if fmt == "pipe" else _tab)(grid, cut) + [""]
            else:
                section = _TABLE_OF_WIDTH[len(grid[0])]
                out += _grid_lines(grid, text, fmt, section, page) + [""]
    return "\n".join(out).encode("utf-8")
