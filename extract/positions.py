"""The ``words`` reading of a PDF: tables read from word positions, anchored on the template.

Ruling lines or not, a table's columns are where its header words stand and its rows
are where its row labels start:

- columns: the header words above the first line of values are grouped by the
  horizontal span they share (a header wrapped over lines, 社会公/益组织, is one
  column) and named by the template's headers; a value belongs to the column whose
  centre is nearest;
- rows (table 三): each label piece that starts a template row (in template order,
  :mod:`extract.template.rows`) opens a row; the lines below it in the same sub-column
  continue it; group labels centred across their rows (（三）不予公开) open none;
- values: each line of values goes to the row whose label extent holds it (values
  are centred, labels top-aligned), else to the nearest open row after the last.

A table continued on the next page keeps the columns of its first part when the
header is not repeated. Every cell keeps its page and bounding box.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from extract.document import heading_of
from extract.labels import (
    best_match,
    has_digit,
    is_page_number,
    is_value,
    squash,
)
from extract.records import Cell, Fragment, Problem, Row, TableRead
from extract.template.columns import (
    align_columns,
    applicant_columns,
    cluster_columns,
    column_text,
    outcome_blocks,
    outcome_columns,
    place,
    placement_is_guess,
    value_clusters,
    value_pitch,
    without_spanning,
)
from extract.template.headers import (
    METRIC_MARKS,
    SUBTABLE_MARKS,
    TEMPLATE_METRICS,
    detect_template,
    holds_header_word,
    item_of_label,
    proceedings_named,
    unit_of_header,
)
from extract.template.rows import (
    OTHER_ROWS,
    RowSequence,
    below_in_column,
    label_goes_on,
    label_incomplete,
    starts_numbered,
)
from extract.template.stacks import is_stacked, stack_digits
from extract.template.tokens import Span, Word, bbox_of, middles, span_of, text_of
from extract.template.tolerances import ROW_SLACK, SAME_COLUMN, SAME_LINE, WORD_GAP
from spec import codes
from spec.kinds import TableName
from spec.numbers import is_nothing

# Header words that span several columns, or notes beside the header: no column of their own.


@dataclass
class Line:
    """Words sharing a baseline on one page, left to right."""

    words: list[Word]

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def text(self) -> str:
        return text_of(self.words)


def words_to_lines(words: Sequence[Word]) -> list[Line]:
    """Given a page's words, return its lines, top to bottom (a word joins the line whose
    vertical centre is within half its height)."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w.page, w.cy, w.x0)):
        last = lines[-1] if lines else None
        if last and last.page == w.page and abs(last.words[-1].cy - w.cy) < SAME_LINE * w.size:
            last.words.append(w)
        else:
            lines.append(Line([w]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def page_number_lines(lines: Sequence[Line], gap: float | None = None) -> set[int]:
    """Given a page's lines, return the indexes of those that are its page numbers: a
    number alone atop or at the foot of the page, or, given ``gap``, after more space than
    that above it (layout text run on from page to page: the foot margin's blank lines).
    Between a wrapped label's lines a number alone is the row's one value
    (「1．本机关不掌握相关政」「2」「府信息」)."""
    return {
        i
        for i, line in enumerate(lines)
        if (i in (0, len(lines) - 1) or (gap is not None and line.top - lines[i - 1].top > gap))
        and is_page_number(" ".join(w.text for w in line.words))
    }


def lines_to_sections(
    lines: Sequence[Line], running: frozenset[str] = frozenset()
) -> dict[int, list[Line]]:
    """Given a document's lines (and its running headers and footers, squashed), return
    them by section number; page furniture is dropped: a page number (a number alone on
    the first or last line of a page; inside a table it is a value) or a running line."""
    out: dict[int, list[Line]] = {n: [] for n in range(7)}
    current = 0
    for i, line in enumerate(lines):
        text = line.text
        first = i == 0 or lines[i - 1].page != line.page
        last = i == len(lines) - 1 or lines[i + 1].page != line.page
        beside = [b for b in lines[max(i - 2, 0) : i + 3] if b is not line and b.page == line.page]
        number = is_page_number(" ".join(w.text for w in line.words))
        if (first or last) and (
            (number and not any(_stacked_lines(line, b) for b in beside)) or squash(text) in running
        ):
            continue
        head = heading_of(Row((Fragment(text),)))
        if head and head[0] > current:
            current = head[0]
            continue
        out[current].append(line)
    return out


def _stacked_lines(a: Line, b: Line) -> bool:
    """Tell whether a digit of one line and one of the other are digits of one number
    printed stacked (a lone 「1」 atop a page is then no page number: 「1」 over 「4」; a
    line of one-digit values may stand between them)."""
    return any(is_stacked(u, w) or is_stacked(w, u) for u in a.words for w in b.words)


def line_to_pieces(line: Line) -> list[list[Word]]:
    """Given a line, return its runs of words with no gap wider than half a character; a
    word that starts with a row number (「(1)属于国家」 close beside 「（三）不予公」 in a
    narrow column) starts a run of its own."""
    pieces: list[list[Word]] = []
    for w in line.words:
        if pieces and w.x0 - pieces[-1][-1].x1 < WORD_GAP * w.size and not starts_numbered(w.text):
            pieces[-1].append(w)
        else:
            pieces.append([w])
    return pieces


def value_lines(words: Sequence[Word], left: float) -> list[list[Word]]:
    """Given a table's words and the left edge of its value columns, return its lines of
    values (words right of the edge that read as values), top to bottom."""
    labels = [w for w in words if not is_value(w.text)]
    values = [
        w
        for w in words
        if w.cx > left and is_value(w.text) and squash(w.text) and not _starts_label(w, labels)
    ]
    out: list[list[Word]] = []
    for w in sorted(values, key=lambda w: (w.page, w.cy, w.x0)):
        if out and out[-1][0].page == w.page and abs(out[-1][0].cy - w.cy) < SAME_LINE * w.size:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _starts_label(word: Word, labels: Sequence[Word]) -> bool:
    """Given a value word and the label words, tell whether it is a mark for nothing (无)
    that goes on with the label touching it on its left (「4、」「无」 of 「4、无正当理由…」)."""
    if not is_nothing(squash(word.text)):
        return False
    return any(
        w.page == word.page
        and abs(w.cy - word.cy) < SAME_LINE * word.size
        and 0 <= word.x0 - w.x1 < WORD_GAP * word.size
        for w in labels
    )


def _cell(table: TableName, row: str, col: str, word: Word | None, page: int) -> Cell:
    if word is None:
        return Cell(table, row, col, "", page, None)
    return Cell(table, row, col, word.text, word.page, bbox_of([word]))


# ---------------------------------------------------------------- table 三


@dataclass
class LabelRow:
    """A template row found by its label: where the label lies and what it says."""

    code: str
    page: int
    x0: float
    top: float
    bottom: float
    text: str
    values: list[Word] | None = None
    tail: list[float] | None = None  # [top, bottom] of the label's rest on the next page

    def extends_to(self, piece: Sequence[Word], size: float, page_top: bool = False) -> bool:
        """Tell whether a label piece continues this row's label: the same sub-column and the
        next line, or (``page_top``) the first lines of the next page after a page break."""
        first = piece[0]
        if first.page == self.page:
            return below_in_column(first, self.x0, self.bottom, size)
        if first.page == self.page + 1 and self.tail is not None:
            return below_in_column(first, self.x0, self.tail[1], size)
        return (
            first.page == self.page + 1
            and page_top
            and abs(first.x0 - self.x0) < SAME_COLUMN * size
        )

    def extend(self, piece: Sequence[Word]) -> None:
        """Add a continuation piece to the label (on this page or on the next)."""
        self.text += text_of(piece)
        top, bottom = min(w.top for w in piece), max(w.bottom for w in piece)
        if piece[0].page == self.page:
            self.bottom = max(self.bottom, bottom)
        elif self.tail is None:
            self.tail = [top, bottom]
        else:
            self.tail[1] = max(self.tail[1], bottom)

    def incomplete(self) -> bool:
        return label_incomplete(self.code, self.text)


def request_header(
    lines: Sequence[Line], before: Sequence[Word] = (), pitch: float | None = None
) -> tuple[list[Span], int] | None:
    """Given a page's table lines above its first values (and header words the previous
    page ended with: a header broken by the page break), return where the seven applicant
    headers stand (x0, x1) in template order and the number of this page's lines the
    header takes, or None when the header does not name them all."""
    words = [w for line in lines for w in line.words if not is_value(w.text)]  # no header's
    found = applicant_columns(words + list(before), pitch)
    if found is None:
        return None
    blocks, named = found
    used = {id(w) for w in named}
    mine = [i for i, line in enumerate(lines) if any(id(w) in used for w in line.words)]
    return blocks, (max(mine) + 1 if mine else 0)


def _first_value_line(lines: Sequence[Line], left: float | None, least: int = 2) -> int:
    """Given a page's lines, return the index of the first holding ``least`` values or more."""
    for i, line in enumerate(lines):
        values = [w for w in line.words if is_value(w.text) and (left is None or w.cx > left)]
        if len(values) >= least:
            return i
    return len(lines)


def requests_by_position(lines: Sequence[Line], method: str = "words") -> TableRead:
    """Given the lines of section 三 (any number of pages), return table 三's cells."""
    problems: list[Problem] = []
    centres: list[float] | None = None
    blocks: list[Span] = []
    rows: list[LabelRow] = []
    sequence = RowSequence()
    unplaced = 0
    leftover: list[Word] = []  # header words at the foot of a page, its header unfinished
    pitch = value_pitch(data_values(lines))
    for page_lines in _by_page(lines):
        head = page_lines[: _first_value_line(page_lines, None)]
        found = request_header(head, leftover, pitch)
        leftover = [w for line in head for w in line.words if not is_value(w.text)]
        leftover = leftover if found is None else []
        if found is not None:
            blocks = found[0]
            centres = middles(blocks)
        if centres is None:
            continue
        spacing = centres[1] - centres[0]
        left = centres[0] - 0.6 * spacing
        body = page_lines[found[1] :] if found else page_lines
        words = [w for line in body for w in line.words]
        rows += _label_rows(body, (left, centres[0]), sequence, rows)
        unplaced += _assign_values(value_lines(words, left), rows, problems)
    if centres is None:
        return TableRead(
            "requests", method, (), (Problem("requests", "header", "header not found"),), False
        )
    read = _request_cells(rows, centres, problems, method, unplaced)
    values = [w for r in rows for w in r.values or []]
    guessed = any(placement_is_guess(r.values or [], blocks, values) for r in rows)
    return replace(read, guessed=guessed)


def _by_page(lines: Sequence[Line]) -> list[list[Line]]:
    pages: list[list[Line]] = []
    for line in lines:
        if pages and pages[-1][0].page == line.page:
            pages[-1].append(line)
        else:
            pages.append([line])
    return pages


def _label_rows(
    lines: Sequence[Line],
    edges: tuple[float, float],
    sequence: RowSequence,
    earlier: list[LabelRow],
) -> list[LabelRow]:
    """Given a page's table lines and where its values begin (the left edge of the value
    columns, the first column's centre), return the template rows their label pieces open;
    continuation pieces extend the row above them in the same sub-column. A label's text
    may stand past the edge, short of the first column (a narrow label column)."""
    left, first = edges
    rows: list[LabelRow] = []
    stub: list[Word] | None = None  # 「（1」 of 「（1）属于国家秘密」 wrapped in a narrow column
    for line in lines:
        opened: list[LabelRow] = []
        labels = [w for w in line.words if w.cx <= left or (w.x1 < first and not is_value(w.text))]
        for piece in line_to_pieces(Line(labels)):
            size = max(w.size for w in piece)
            if stub is not None and abs(piece[0].x0 - stub[0].x0) < SAME_COLUMN * size:
                piece = [*stub, *piece] if _goes_on(stub, piece, size) else piece
                stub = None
            text = text_of(piece)
            page_top = not rows  # no row opened on this page yet: a row broken by the break
            above = next(
                (r for r in reversed(earlier + rows) if r.extends_to(piece, size, page_top)),
                None,
            )
            if above is not None and above.incomplete() and not starts_numbered(text):
                above.extend(piece)
                continue
            code = sequence.match(text)
            if code is None:
                if _NUMBER_STUB.match(squash(text)):
                    stub = piece  # a row number broken before its end: the label goes on below
                elif above is not None and (
                    label_goes_on(above.code, above.text, text) or (page_top and not squash(text))
                ):
                    above.extend(piece)  # the rest of a label read whole less some (」”）)
                continue  # else a group label (（三）不予公开) or a note: no row's label
            top, bottom = min(w.top for w in piece), max(w.bottom for w in piece)
            opened.append(LabelRow(code, piece[0].page, piece[0].x0, top, bottom, text))
        # Two rows opened on one line: the left one was a group label (（六）其他处理 beside
        # 「1.申请人…」), the row is the rightmost.
        rows += opened[-1:]
    return rows


_NUMBER_STUB = re.compile(r"^[(（]\d{1,2}$")


def _goes_on(stub: Sequence[Word], piece: Sequence[Word], size: float) -> bool:
    """Tell whether a label piece is the next line of a broken row number's label: the same
    sub-column, the next line of the same page."""
    first, last = piece[0], stub[-1]
    return first.page == last.page and below_in_column(first, stub[0].x0, last.bottom, size)


def _distance(row: LabelRow, tokens: Sequence[Word]) -> float:
    """Given a label row and a line of values, return how far the values lie from the label
    (0 when the label's extent holds their centre)."""
    page, cy, size = tokens[0].page, tokens[0].cy, tokens[0].size
    if row.page == page:
        top, bottom = row.top, row.bottom
    elif row.page + 1 == page and row.tail is not None:
        top, bottom = row.tail  # the label's rest after the page break
    else:
        return 1e6 if row.page > page else 3 * size  # a row broken by the page break
    if top - ROW_SLACK * size <= cy <= bottom + ROW_SLACK * size:
        return 0.0
    return min(abs(cy - top), abs(cy - bottom))


def _assign_values(lines: list[list[Word]], rows: list[LabelRow], problems: list[Problem]) -> int:
    """Given lines of values and the label rows so far, give each line to its row: the
    row whose label extent holds it, else the nearest row after the last one given.
    Return how many values found no row."""
    unplaced = 0
    for tokens in lines:
        last = max((i for i, r in enumerate(rows) if r.values is not None), default=-1)
        open_rows = [(i, r) for i, r in enumerate(rows) if i > last and r.values is None]
        if not open_rows:
            problems.append(
                Problem("requests", "no_label", f"values with no row: {text_of(tokens)!r}")
            )
            unplaced += len(tokens)
            continue
        _, row = min(open_rows, key=lambda ir: (_distance(ir[1], tokens), ir[0]))
        if _distance(row, tokens) > 2.5 * tokens[0].size:
            problems.append(
                Problem(
                    "requests", "no_label", f"values with no row near them: {text_of(tokens)!r}"
                )
            )
            unplaced += len(tokens)
            continue
        row.values = list(tokens)
    return unplaced


def _texts(words: list[Word] | None) -> list[str]:
    return [w.text for w in words or []]


def _request_cells(
    rows: list[LabelRow], centres: list[float], problems: list[Problem], method: str, unplaced: int
) -> TableRead:
    applicants = codes.applicants()
    by_code: dict[str, LabelRow] = {}
    for r in rows:
        if r.code in by_code:
            if _texts(r.values) != _texts(by_code[r.code].values):
                problems.append(
                    Problem(
                        "requests",
                        "duplicate_row",
                        f"row {r.code} appears twice, with other values",
                    )
                )
                unplaced += len(r.values or [])
            continue
        by_code[r.code] = r
    if any(c in by_code for c in OTHER_ROWS):
        unplaced += _drop_group_row(by_code, problems)
    order = codes.request_row_codes(3 if any(c in by_code for c in OTHER_ROWS) else 1)
    aligned = align_columns(centres, [w for r in by_code.values() for w in r.values or []])
    cells: list[Cell] = []
    for code in order:
        row = by_code.get(code)
        if row is None:
            problems.append(Problem("requests", "row_not_found", f"row {code} not found"))
            continue
        placed, dropped = place(
            row.values or [], aligned, applicants, problems, "requests", f"row {code}: "
        )
        unplaced += dropped
        cells += [_cell("requests", code, a, placed.get(a), row.page) for a in applicants]
    found = bool(by_code)
    return TableRead("requests", method, tuple(cells), tuple(problems), found, None, unplaced)


def _drop_group_row(by_code: dict[str, LabelRow], problems: list[Problem]) -> int:
    """Given the rows found, three （六） sub-rows among them, drop the （六） group label's
    own row; values on its line belong to the first sub-row when that one's label starts
    on the same line with none of its own (「（六）其 （1 0 0 …」, the row number broken
    after 「（1」). Return how many values found no row."""
    group = by_code.pop("other", None)
    if group is None or not group.values:
        return 0
    first = by_code.get("other_no_correction")
    line = group.bottom - group.top
    if (
        first is not None
        and first.values is None
        and first.page == group.page
        and abs(first.top - group.top) < 0.5 * line
    ):
        first.values = group.values
        return 0
    problems.append(
        Problem(
            "requests", "no_label", f"values on the （六） group's line: {_texts(group.values)}"
        )
    )
    return len(group.values)


# ---------------------------------------------------------------- table 四


def appeals_by_position(lines: Sequence[Line], method: str = "words") -> TableRead:
    """Given the lines of section 四, return table 四's 15 cells."""
    pairs = codes.appeal_pairs()
    header_end = _first_value_line(lines, None, least=1)  # a data row may hold one value
    if header_end == len(lines):
        blank = _blank_appeals(lines, method)
        if blank is not None:
            return blank
        return TableRead("appeals", method, (), (), False)
    tokens = stack_digits(
        [
            w
            for line in lines[header_end:]
            for w in line.words
            if is_value(w.text) and squash(w.text)
        ],
        [w for line in lines[:header_end] for w in line.words if has_digit(w.text)],
    )
    if not any(has_digit(w.text) for w in tokens):
        # marks for nothing alone (无, -) read blank in whichever column they stand
        blank = _blank_appeals(lines, method)
        if blank is not None:
            return blank
    centres = appeal_header(lines[:header_end], value_pitch(tokens))
    problems: list[Problem] = []
    if centres is None:
        if len(tokens) != len(pairs):
            problem = Problem(
                "appeals", "header", f"header not recognised and {len(tokens)} values, not 15"
            )
            return TableRead("appeals", method, (), (problem,), True)
        centres = [w.cx for w in sorted(tokens, key=lambda w: w.x0)]
    keys = [f"{p}|{o}" for p, o in pairs]
    placed, dropped = place(tokens, align_columns(centres, tokens), keys, problems, "appeals")
    page = lines[header_end].page
    cells = [_cell("appeals", p, o, placed.get(f"{p}|{o}"), page) for p, o in pairs]
    header = [w for line in lines[:header_end] for w in line.words]
    blocks = outcome_blocks(header, value_pitch(tokens))
    guessed = blocks is not None and placement_is_guess(tokens, blocks, tokens)
    return TableRead("appeals", method, tuple(cells), tuple(problems), True, None, dropped, guessed)


def appeal_header(lines: Sequence[Line], pitch: float | None = None) -> list[float] | None:
    """Given table 四's header lines, return its 15 outcome column centres, or None."""
    return outcome_columns([w for line in lines for w in line.words], pitch)


def data_values(lines: Sequence[Line]) -> list[Word]:
    """Given a table's lines, return the value words of its lines of three values or more."""
    out: list[Word] = []
    for line in lines:
        values = [w for w in line.words if is_value(w.text) and squash(w.text)]
        if len(values) >= 3:
            out += values
    return out


def _blank_appeals(lines: Sequence[Line], method: str) -> TableRead | None:
    """Given table 四's lines with no number in them (no value, or marks for nothing
    alone), return its 15 blank cells when its header is there (a table left entirely
    blank), else None. The header is there when its 15 outcome columns are, or, in text
    not read by OCR (which may have missed a digit), when it names the three proceedings:
    a mark for nothing reads blank in whichever column it stands, so the outcomes'
    columns need not be told apart (layout text stacks and shifts their pieces)."""
    words = [w for line in lines for w in line.words]
    if appeal_header(lines) is None and (
        any(w.source == "ocr" for w in words)
        or proceedings_named(squash("".join(w.text for w in words))) != set(codes.proceedings())
    ):
        return None
    pairs = codes.appeal_pairs()
    page = lines[0].page
    cells = tuple(Cell("appeals", p, o, "", page, None) for p, o in pairs)
    return TableRead("appeals", method, cells, (), True)


# ---------------------------------------------------------------- table 二


@dataclass
class _SubTable:
    page: int  # where it starts
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)


def active_by_position(lines: Sequence[Line], method: str = "words") -> TableRead:
    """Given the lines of section 二, return table 二's cells and its template.

    A row with fewer values than columns (blanks) is placed by position: certain when
    some row of its sub-table fills every column, else a guess the self-check wants
    another reading to confirm (table 二 has no identity to check it)."""
    subtables = _split_subtables(lines)
    headers = [column_text(c) for s in subtables for c in _metric_columns(s.header)]
    template = detect_template(headers)
    if template is None:
        return TableRead("active", method, (), (), bool(subtables))
    spec = codes.active_cells(template)
    problems: list[Problem] = []
    cells: dict[tuple[str, str], Cell] = {}
    unplaced, guessed = 0, False
    for sub in subtables:
        items = _item_lines(sub.body)
        sub_values = [w for _, _, vs in items for w in vs]
        for item, label, values in items:
            metrics = {
                c.metric: TEMPLATE_METRICS[template][c.metric] for c in spec if c.item == item
            }
            if not metrics:
                continue
            columns = _metric_blocks(_metric_columns(sub.header), metrics)
            if not columns:
                problems.append(Problem("active", "header", f"no metric header for item {item}"))
                unplaced += len(values)
                continue
            names, centres = list(columns), middles(list(columns.values()))
            placed, dropped = place(
                values,
                align_columns(centres, sub_values),
                names,
                problems,
                "active",
                f"item {item}: ",
            )
            unplaced += dropped
            guessed |= placement_is_guess(values, list(columns.values()), sub_values)
            unit = unit_of_header("".join(column_text(c) for c in _metric_columns(sub.header)))
            for m in names:
                cell = _cell("active", item, m, placed.get(m), label.page)
                cells[(item, m)] = replace(cell, unit_hint=unit) if m == "amount" else cell
    ordered = [cells[(c.item, c.metric)] for c in spec if (c.item, c.metric) in cells]
    return TableRead(
        "active",
        method,
        tuple(ordered),
        tuple(problems),
        bool(ordered),
        template,
        unplaced,
        guessed,
    )


def _metric_blocks(columns: list[list[Word]], metrics: dict[str, list[str]]) -> dict[str, Span]:
    """Given a sub-table's header columns and an item's metrics, return metric -> where its
    header stands (x0, x1)."""
    out: dict[str, Span] = {}
    for col in columns:
        metric = best_match(column_text(col), metrics, threshold=0.6)
        if metric and metric not in out:
            out[metric] = span_of(col)
    return out


def _split_subtables(lines: Sequence[Line]) -> list[_SubTable]:
    """Given section 二's lines, return its sub-tables: each starts at a 第二十条 line, a
    信息内容 header or a line of metric headers after item rows; its header lines run
    until the first item line, on one page."""
    subs: list[_SubTable] = []
    values = [w for line in lines for w in line.words if is_value(w.text) and squash(w.text)]
    columns = value_clusters(values, value_pitch(values) or 30.0)
    for line in lines:
        text = squash(line.text)
        item = _item_of_line(line)
        heads = item is None and (
            holds_header_word(text, ("active",)) or any(w in text for w in METRIC_MARKS)
        )
        subtable = any(w in text for w in SUBTABLE_MARKS)
        if subtable or (heads and (not subs or subs[-1].body)):
            subs.append(_SubTable(line.page))
            if subtable:
                continue
        if not subs:
            continue
        sub = subs[-1]
        if item is None and not sub.body:
            if line.page != (sub.header[-1].page if sub.header else sub.page):
                # A header does not run over a page: on the next one a header line starts
                # it (again); a line across columns before that (a running header) is no
                # header's.
                if heads or (not sub.header and not _across(line, columns)):
                    sub.header = [line]
                continue
            sub.header.append(line)
        else:
            subs[-1].body.append(line)
    return subs


def _across(line: Line, columns: Sequence[float]) -> bool:
    """Given a line and where the table's columns of values stand, tell whether the line is
    one piece over two columns or more: no header cell's text is wider than its cell."""
    pieces = line_to_pieces(line)
    if len(pieces) != 1:
        return False
    x0, x1 = pieces[0][0].x0, pieces[0][-1].x1
    return sum(x0 < c < x1 for c in columns) >= 2


def _item_of_line(line: Line) -> str | None:
    pieces = (
        line_to_pieces(Line([w for w in line.words if not is_value(w.text)])) if line.words else []
    )
    for piece in pieces:
        item = item_of_label(text_of(piece))
        if item:
            return item
    return None


def _metric_columns(header: Sequence[Line]) -> list[list[Word]]:
    return cluster_columns(without_spanning([w for line in header for w in line.words]))


def _item_lines(body: Sequence[Line]) -> list[tuple[str, Line, list[Word]]]:
    """Given a sub-table's body lines, return (item, its line, its value words) per item;
    a value line without a label of its own belongs to the item line nearest above."""
    out: list[tuple[str, Line, list[Word]]] = []
    for line in body:
        item = _item_of_line(line)
        values = [w for w in line.words if is_value(w.text) and squash(w.text)]
        if item is not None:
            out.append((item, line, values))
        elif out and values and not out[-1][2]:
            out[-1] = (out[-1][0], out[-1][1], values)
    return out


# ---------------------------------------------------------------- the reading


def pages_to_position_reads(
    words_by_page: Sequence[Sequence[Word]],
    method: str = "words",
    running: frozenset[str] = frozenset(),
) -> dict[TableName, TableRead]:
    """Given the words of each page (in page order) and the document's running lines,
    return tables 二, 三 and 四 read from their positions."""
    lines = [line for words in words_by_page for line in words_to_lines(words)]
    sections = lines_to_sections(lines, running)
    return {
        "active": active_by_position(sections[2], method),
        "requests": requests_by_position(sections[3], method),
        "appeals": appeals_by_position(sections[4], method),
    }
