"""The adversarial PDF table drawer: any font size, column widths, alignment, merged
row-group labels, and page breaks anywhere.

:func:`flow_tables_of` lays out the three tables from the format-neutral grids with
the :class:`~tests.docgen.pdf.PdfStyle` switches; :func:`draw_flow_table` paginates a
table into bands (a row, or part of a row broken by a page break, on one page) and
draws each merged cell once per page it crosses, its text where its alignment puts it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics

from tests.docgen.layout import Style, active_grid, appeal_grid, request_grid
from tests.docgen.pdf import FONT, MARGIN, PAGE_W, PdfStyle, _Writer, wrap
from tests.docgen.spans import grid_to_spans, header_rows_of
from tests.docgen.truth import Truth

TEXT_WIDTH = PAGE_W - 2 * MARGIN


@dataclass(frozen=True)
class FlowCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    kind: str  # header | label | value


@dataclass
class FlowTable:
    section: int
    widths: list[float]
    size: float
    cells: list[FlowCell]
    header_rows: int
    rows: int


@dataclass(frozen=True)
class Band:
    """Row `row` (lines `lo`..`hi` of it) drawn on `page` from `top` down `height` points;
    `copy` counts the header's repetitions (0 = the table's own rows)."""

    page: int
    row: int
    top: float
    height: float
    lo: float
    hi: float
    copy: int = 0


def _widths(section: int, pdf: PdfStyle, grid: list[list[str]], size: float) -> list[float]:
    """Given a table, return its column widths: the style's, with every value column wide
    enough for its widest number (documents wrap labels, not numbers)."""
    total = pdf.table_width or TEXT_WIDTH
    first_value = {2: 1, 3: 3, 4: 0}[section]
    header = header_rows_of(grid)
    # Table 二 repeats its header rows inside it (「第二十条第（一）项」, 「信息内容」 and
    # the metric names, which wrap like labels): only its item rows hold numbers.
    rows = (
        [r for r in grid[header:] if not _active_header_row(r)] if section == 2 else grid[header:]
    )
    values = [c for row in rows for c in row[first_value:] if c]
    need = max((pdfmetrics.stringWidth(v, FONT, size) for v in values), default=0) + 2 * pdf.pad + 2
    if section == 3:
        labels = list(pdf.label_widths) or [62, 82, 96]
        if sum(labels) + 7 * need > total:  # narrow the labels, not below two characters
            low = 2 * size + 2 * pdf.pad
            room = max(total - 7 * need, 3 * low)
            labels = [max(low, w * room / sum(labels)) for w in labels]
        return labels + [max((total - sum(labels)) / 7, need)] * 7
    if section == 4 and pdf.stacked_digits:
        # One digit wide: a number of two digits or more wraps, one digit a line.
        digit = max((pdfmetrics.stringWidth(ch, FONT, size) for v in values for ch in v), default=0)
        return [max(digit + 2 * pdf.pad + 1, size + 2)] * 15
    if section == 4:
        return [max(total / 15, need)] * 15
    first = min(175.0, total * 0.37)
    return [first] + [max((total - first) / 3, need)] * 3


def _active_header_row(row: list[str]) -> bool:
    """Given a row of table 二's grid, return whether it is one of its sub-tables' headers."""
    return row[0] == "信息内容" or row[0].startswith("第二十条")


def _lone_metric_rows(grid: list[list[str]]) -> set[int]:
    """Given table 二's grid, return the rows of its sub-tables that have one metric only
    (their metric header and values may be merged across the empty columns)."""
    out: set[int] = set()
    lone = False
    for r, row in enumerate(grid):
        if row[0].startswith("第二十条"):
            lone = False
        elif row[0] == "信息内容":
            lone = sum(bool(c) for c in row[1:]) == 1
        if lone:
            out.add(r)
    return out


def _cells(grid: list[list[str]], section: int, pdf: PdfStyle) -> list[FlowCell]:
    """Given a table grid, return its cells with the merges the style asks for."""
    header = header_rows_of(grid)
    labels = 3 if section == 3 else (1 if section == 2 else 0)
    lone = _lone_metric_rows(grid) if section == 2 and pdf.active_merge else set()
    out = []
    for s in grid_to_spans(grid):
        rs, cs = s.rowspan, s.colspan
        if s.row >= header and s.col < labels and not pdf.group_span:
            rs = 1
        if section == 2 and s.row not in lone and not s.text.startswith("第二十条"):
            cs = 1
        if s.row < header or (section == 2 and (s.text.startswith("第二十条") or s.col == 0)):
            kind = "header" if s.row < header or s.text.startswith("第二十条") else "label"
        elif s.col < labels:
            kind = "label"
        else:
            kind = "value"
        if section == 2 and kind == "value" and grid[s.row][0] == "信息内容":
            kind = "header"
        if section == 2 and s.col == 0 and grid[s.row][0] == "信息内容":
            kind = "header"
        out.append(FlowCell(s.row, s.col, rs, cs, s.text, kind))
        # A merge the style undoes leaves the covered positions as empty cells of their own.
        for dr in range(s.rowspan):
            for dc in range(s.colspan):
                if (dr or dc) and (dr >= rs or dc >= cs):
                    out.append(FlowCell(s.row + dr, s.col + dc, 1, 1, "", kind))
    return out


def flow_tables_of(truth: Truth, style: Style, pdf: PdfStyle) -> dict[int, FlowTable]:
    """Given a Truth and styles, return section number -> table to draw."""
    grids = {
        2: active_grid(truth, style),
        3: request_grid(truth, Style(**{**style.__dict__, "swallow": False})),
        4: appeal_grid(truth, style),
    }
    out = {}
    for n, grid in grids.items():
        size = pdf.size or (9 if n == 2 else 8)
        out[n] = FlowTable(
            n,
            _widths(n, pdf, grid, size),
            size,
            _cells(grid, n, pdf),
            header_rows_of(grid),
            len(grid),
        )
    return out


def _lines(table: FlowTable, cell: FlowCell, pdf: PdfStyle) -> list[str]:
    if pdf.stacked_digits and table.section == 4 and cell.kind == "value":
        return list(cell.text)  # one digit a line
    width = sum(table.widths[cell.col : cell.col + cell.colspan]) - 2 * pdf.pad
    return wrap(cell.text, max(width, table.size), table.size) if cell.text else []


def _row_slots(table: FlowTable, pdf: PdfStyle, lines: dict) -> list[int]:
    """Given a table and its cells' lines, return each row's height in lines."""
    slots = [1] * table.rows
    for cell in table.cells:
        if cell.rowspan == 1:
            slots[cell.row] = max(slots[cell.row], len(lines[cell]))
    return slots


def _heights(table: FlowTable, pdf: PdfStyle, lines: dict) -> list[float]:
    lh = table.size + pdf.leading
    slots = _row_slots(table, pdf, lines)
    heights = [max(n * lh + 2 * pdf.pad, pdf.row_height) for n in slots]
    for cell in table.cells:
        if cell.rowspan > 1:
            need = len(lines[cell]) * lh + 2 * pdf.pad
            have = sum(heights[cell.row : cell.row + cell.rowspan])
            if need > have:
                heights[cell.row + cell.rowspan - 1] += need - have
    return heights


def paginate(w: _Writer, table: FlowTable, heights: list[float], slots: list[int]):
    """Given a table's row heights, lay its rows out from the cursor down the pages; return
    the bands and where the cursor ends (page, y). Nothing is drawn yet."""
    pdf = w.pdf
    lh = table.size + pdf.leading
    breaks = {r for s, r in pdf.breaks if s == table.section}
    splits = {r for s, r in pdf.split if s == table.section}
    bands: list[Band] = []
    page, y = w.page, w.y
    copies = 0

    def new_page(at_row: int) -> None:
        nonlocal copies, page, y
        page, y = page + 1, w.top
        if pdf.repeat_header and at_row >= table.header_rows > 0:
            copies += 1
            for h in range(table.header_rows):
                bands.append(Band(page, h, y, heights[h], 0, slots[h], copies))
                y -= heights[h]

    for r in range(table.rows):
        h = heights[r]
        if r in splits and slots[r] >= 2:
            first = max(1, slots[r] // 2)
            h1 = first * lh + 2 * pdf.pad
            if y - h1 < w.bottom:
                new_page(r)
            bands.append(Band(page, r, y, h1, 0, first))
            new_page(r)
            h2 = max((slots[r] - first) * lh + 2 * pdf.pad, h - h1)
            bands.append(Band(page, r, y, h2, first, slots[r]))
            y -= h2
            continue
        if (r in breaks and r > 0) or y - h < w.bottom:
            new_page(r)
        bands.append(Band(page, r, y, h, 0, slots[r]))
        y -= h
    return bands, page, y


def _groups(cell: FlowCell, bands: list[Band], header_rows: int) -> list[list[Band]]:
    """Given a cell and the table's bands, return the runs of its bands on one page."""
    repeated = cell.row + cell.rowspan <= header_rows
    mine = [
        b
        for b in bands
        if cell.row <= b.row < cell.row + cell.rowspan and (b.copy == 0 or repeated)
    ]
    groups: list[list[Band]] = []
    for b in mine:
        if groups and groups[-1][-1].page == b.page and groups[-1][-1].copy == b.copy:
            groups[-1].append(b)
        else:
            groups.append([b])
    return groups


class _Ink:
    """Text for one page, drawn as one text object per line, per row or per character."""

    def __init__(self, w: _Writer):
        self.w = w
        self.pending: list[tuple[float, float, str, str, float]] = []

    def text(
        self, x: float, y: float, text: str, font: str, size: float, spacing: float = 0
    ) -> None:
        pdf, c = self.w.pdf, self.w.c
        if pdf.scaled_font or spacing:
            t = c.beginText()
            scale = 0.05 if pdf.scaled_font else 1.0
            t.setTextTransform(scale, 0, 0, scale, x, y)
            t.setFont(font, size / scale)
            t.setCharSpace(spacing / scale)
            t.textOut(text)
            t.setCharSpace(0)  # the text state outlives the text object
            c.drawText(t)
        elif pdf.single_char_objects:
            for ch in text:
                c.setFont(font, size)
                c.drawString(x, y, ch)
                x += pdfmetrics.stringWidth(ch, font, size)
        elif pdf.text_objects == "row":
            self.pending.append((x, y, text, font, size))
        else:
            c.setFont(font, size)
            c.drawString(x, y, text)

    def flush(self) -> None:
        if not self.pending:
            return
        t = self.w.c.beginText()
        for x, y, text, font, size in self.pending:
            t.setFont(font, size)
            t.setTextOrigin(x, y)
            t.textOut(text)
        self.w.c.drawText(t)
        self.pending = []


def _font_of(cell: FlowCell, text: str, pdf: PdfStyle) -> str:
    if pdf.digit_font and cell.kind == "value" and text.isascii():
        return pdf.digit_font
    return FONT


def _spacing(
    cell: FlowCell, xs: list[float], text: str, font: str, size: float, pdf: PdfStyle
) -> float:
    """The points between the characters of a header cell's short line (WPS spreads them),
    no more than its cell has room for."""
    if cell.kind != "header" or not 1 < len(text) <= 4 or not pdf.header_spacing:
        return 0.0
    room = xs[cell.col + cell.colspan] - xs[cell.col] - 2 * pdf.pad
    room -= pdfmetrics.stringWidth(text, font, size)
    return max(0.0, min(pdf.header_spacing, room / (len(text) - 1)))


def _x(cell: FlowCell, xs: list[float], text: str, font: str, size: float, pdf: PdfStyle):
    x0, x1 = xs[cell.col] + pdf.pad, xs[cell.col + cell.colspan] - pdf.pad
    spacing = _spacing(cell, xs, text, font, size, pdf)
    width = pdfmetrics.stringWidth(text, font, size) + spacing * (len(text) - 1)
    align = {"value": pdf.align, "header": pdf.header_align}.get(cell.kind, "left")
    if align == "centre":
        return (x0 + x1 - width) / 2
    if align == "right":
        return x1 - width
    return x0


def _middle(cell: FlowCell, pdf: PdfStyle) -> bool:
    return (
        cell.kind == "header"
        or (cell.kind == "label" and pdf.valign == "middle")
        or (cell.kind == "value" and pdf.value_valign == "middle")
    )


def _run_height(g: list[Band]) -> float:
    return g[0].top - (g[-1].top - g[-1].height)


def _spanned_ops(cell, groups, text_lines, lh, pdf) -> list[tuple[list[Band], list]]:
    """Given a merged cell's runs of bands, return each run with the lines drawn in it.

    A run too short for the text shows the lines that fit, and the rest go on in the
    cell's next runs, as a word processor flows a cell over a page break; what no run
    holds is clipped (a run shorter than a line still shows one)."""

    def tallest(runs: Iterable[int]) -> int:
        return max(runs, key=lambda i: (_run_height(groups[i]), -i))

    if pdf.repeat_labels or cell.kind == "header":
        own = [i for i, g in enumerate(groups) if g[0].copy == 0]
        chosen = {i for i, g in enumerate(groups) if g[0].copy > 0}
        if own and not pdf.repeat_labels:
            chosen.add(tallest(own))
        elif pdf.repeat_labels:
            chosen = set(range(len(groups)))
    elif _middle(cell, pdf):
        chosen = {tallest(range(len(groups)))}
    else:
        chosen = {0}
    fits = [max(1, int((_run_height(g) - 2 * pdf.pad) / lh + 1e-6)) for g in groups]
    shown: dict[int, list[str]] = {}
    for i in sorted(chosen):
        if i in shown:
            continue
        if fits[i] >= len(text_lines):
            shown[i] = list(text_lines)
            continue
        rest = list(text_lines)  # flow over this run and the own runs after it
        for j in [i] + [j for j in range(i + 1, len(groups)) if groups[j][0].copy == 0]:
            if not rest:
                break
            shown[j], rest = rest[: fits[j]], rest[fits[j] :]
        # What no run holds is clipped, as a cell clips its text.
    out = []
    for i, g in enumerate(groups):
        top, bottom = g[0].top, g[-1].top - g[-1].height
        lines = shown.get(i, []) if text_lines else []
        if _middle(cell, pdf) and len(lines) == len(text_lines):
            first = top - ((top - bottom) - len(lines) * lh) / 2
        else:
            first = top - pdf.pad
        out.append(
            (g, [(line, first - (k + 1) * lh + pdf.leading) for k, line in enumerate(lines)])
        )
    return out


def _row_ops(cell, band: Band, n: int, text_lines, lh, pdf) -> list[tuple[str, float]]:
    """Given a one-row cell and one band of its row, return the lines drawn in that band."""
    m = len(text_lines)
    offset = (n - m) / 2 if _middle(cell, pdf) and m < n else 0.0
    ops = []
    for k, line in enumerate(text_lines):
        slot = offset + k
        if band.lo <= slot + 0.5 < band.hi:  # the line's middle falls in this band
            rel = max(slot - band.lo, 0.0)
            ops.append((line, band.top - pdf.pad - (rel + 1) * lh + pdf.leading))
    return ops


def draw_flow_table(w: _Writer, table: FlowTable) -> None:
    """Draw a table at the cursor, page breaks where the page ends or the style asks."""
    pdf = w.pdf
    lh = table.size + pdf.leading
    lines = {cell: _lines(table, cell, pdf) for cell in table.cells}
    heights = _heights(table, pdf, lines)
    slots = _row_slots(table, pdf, lines)
    bands, end_page, end_y = paginate(w, table, heights, slots)
    xs = [MARGIN]
    for width in table.widths:
        xs.append(xs[-1] + width)
    by_page: dict[int, list[tuple]] = {}
    for cell in table.cells:
        groups = _groups(cell, bands, table.header_rows)
        if not groups:
            continue
        if cell.rowspan > 1:
            for g, ops in _spanned_ops(cell, groups, lines[cell], lh, pdf):
                by_page.setdefault(g[0].page, []).append(
                    (cell, g[0].top, g[-1].top - g[-1].height, ops)
                )
            continue
        for g in groups:
            for b in g:
                ops = _row_ops(cell, b, slots[cell.row], lines[cell], lh, pdf)
                by_page.setdefault(b.page, []).append((cell, b.top, b.top - b.height, ops))
    for page in sorted(by_page):
        while w.page < page:
            w.new_page()
        _draw_page(w, table, xs, by_page[page])
    while w.page < end_page:
        w.new_page()
    w.y = end_y - 10


def _draw_page(w: _Writer, table: FlowTable, xs: list[float], items: list[tuple]) -> None:
    """Draw one page's cells: ruling first, then the text row by row."""
    pdf = w.pdf
    rows: dict[float, list] = {}
    for cell, top, bottom, ops in items:
        if pdf.ruled:
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            w.c.setLineWidth(0.5)
            w.c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
        for line, y in ops:
            font = _font_of(cell, line, pdf)
            x = _x(cell, xs, line, font, table.size, pdf)
            spacing = _spacing(cell, xs, line, font, table.size, pdf)
            rows.setdefault(round(y, 1), []).append((x, y, line, font, spacing))
    ink = _Ink(w)
    for y in sorted(rows, reverse=True):
        for x, yy, line, font, spacing in sorted(rows[y]):
            ink.text(x, yy, line, font, table.size, spacing)
        ink.flush()
