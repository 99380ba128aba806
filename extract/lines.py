"""The ``lines`` reading: each table row's trailing values, in the template's order.

Independent of the header: a row's values are the cells after its last label cell,
taken in the template's column order; a label broken over lines (or pages) is
joined with the lines before it that carried no values. Works on the cells as the
source wrote them (merged positions left out), so it reads HTML, DOCX and text
tables and a PDF's text layer alike. It cannot place a value whose neighbours are
blank where the source leaves no empty cell (a PDF's text layer): such a row is
not read, and the self-check turns to another reading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from extract.labels import has_digit, is_label, is_value, squash
from extract.records import Cell, Fragment, Problem, Row, TableRead, read_each_table
from extract.tables import fit
from extract.template.columns import (
    align_columns,
    applicant_blocks,
    outcome_blocks,
    place,
    placement_is_guess,
    value_pitch,
)
from extract.template.headers import detect_template, is_header_line, item_of_label, unit_of_header
from extract.template.rows import (
    OTHER_ROWS,
    RowSequence,
    is_group_label,
    label_incomplete,
    starts_numbered,
)
from extract.template.stacks import digit_stacks, join_stack
from extract.template.tokens import Span, Word, bbox_of, fragments_to_words, middles
from spec import codes
from spec.kinds import TableName, Template


def split_row(cells: Sequence[Fragment]) -> tuple[list[str], list[Fragment]]:
    """Given a row's written cells, return (its label texts, its values): the values are the
    cells after the last label, or, when label text follows them (a text layer that put a
    wrapped label's next line beside the values: 「3. 危及“三安 9 0 … 15 全一稳定”」), the
    last run of two or more values (else a lone number inside a numbered row's label), the
    label text around it joined."""
    last = max((i for i, c in enumerate(cells) if is_label(c.text)), default=-1)
    labels = [c.text for c in cells[: last + 1] if squash(c.text)]
    if last + 1 < len(cells) or last < 0:
        return labels, list(cells[last + 1 :])
    runs = [
        i for i in range(len(cells) - 1) if is_value(cells[i].text) and is_value(cells[i + 1].text)
    ]
    if runs:
        end = runs[-1] + 1
    else:
        # One number inside a numbered row's label (「（6）属于四 0 类过程性信息」: a lone value
        # beside a wrapped label's lines) is a value: no template label holds a number of
        # its own. Elsewhere (a note, a running header: 「2023 年度」) it stays text.
        numbers = [i for i, c in enumerate(cells) if is_value(c.text) and has_digit(c.text)]
        if len(numbers) != 1 or not 0 < numbers[0] < len(cells) - 1:
            return labels, []
        if not starts_numbered(cells[0].text):
            return labels, []
        end = numbers[0]
    start = end
    while start > 0 and is_value(cells[start - 1].text):
        start -= 1
    around = [*cells[:start], *cells[end + 1 :]]
    return [c.text for c in around if squash(c.text)], list(cells[start : end + 1])


def _value_words(cells: Iterable[Fragment]) -> list[Word]:
    return fragments_to_words(c for c in cells if squash(c.text) and is_value(c.text))


@dataclass(frozen=True)
class Columns:
    """Where a table's columns stand: the spans its header names them by and its value
    words (cells with boxes: a PDF's text layer)."""

    spans: list[Span]
    values: list[Word]

    def centres(self) -> list[float]:
        """Where each column's values stand."""
        return align_columns(middles(self.spans), self.values)

    def guess(self, row: Sequence[Fragment]) -> bool:
        """Tell whether placing a row's value cells by position is a guess (see
        :func:`placement_is_guess`)."""
        words = _value_words(row)
        return placement_is_guess(words, self.spans, self.values or words)


def columns_of(
    header: Sequence[Fragment],
    table_values: Sequence[Fragment],
    spans_of: Callable[[Sequence[Word], float | None], list[Span] | None],
) -> Columns | None:
    """Given a table's header cells and value cells with their boxes, and a function naming
    the header's column spans, return its Columns (None when the cells have no boxes or
    the header names no columns)."""
    values = _value_words(table_values)
    spans = spans_of(fragments_to_words(header), value_pitch(values))
    return Columns(spans, values) if spans else None


def by_position(
    values: Sequence[Fragment],
    centres: Sequence[float] | None,
    keys: Sequence[str],
    table: TableName,
) -> list[Fragment] | None:
    """Given a row's value cells with their boxes (fewer than its columns: the source
    left blanks out) and the column centres, return one cell per column placed by
    position (blank where none), or None when that cannot be done."""
    words = fragments_to_words(v for v in values if squash(v.text))
    if not centres or not words or len(words) != sum(1 for v in values if squash(v.text)):
        return None
    placed, dropped = place(words, centres, keys, [], table)
    if dropped:
        return None
    page = words[0].page
    return [
        Fragment(w.text, page, bbox_of([w])) if (w := placed.get(k)) else Fragment("", page)
        for k in keys
    ]


def _cells(
    table: TableName, row: str, cols: Sequence[str], frags: Sequence[Fragment]
) -> list[Cell]:
    return [
        Cell(table, row, col, f.text, f.page, f.bbox) for col, f in zip(cols, frags, strict=True)
    ]


# ---------------------------------------------------------------- table 三


def grid_width(rows: Sequence[Row]) -> int | None:
    """Given a table's rows, return its width when every row has as many cells (a pipe
    table), less the columns at its right end that are empty in every row; else None.
    In such a grid a row's blank cells before its values are its labels' columns."""
    table = [row.written for row in rows if row.is_table]
    widths = {len(cells) for cells in table}
    if len(widths) != 1:
        return None
    width = widths.pop()
    while width > 0 and not any(squash(cells[width - 1].text) for cells in table):
        width -= 1
    return width or None


def request_lines(rows: Sequence[Row], method: str = "lines") -> TableRead:
    """Given the table rows of section 三, return its cells read line by line.

    A line whose label starts a template row opens that row; its values are on the same
    line or on the next line that starts no row of its own (a wrapped label, a page
    break). A row that gets no values before the next row starts is blank.
    """
    values = [
        c for row in rows if sum(is_value(c.text) for c in row.written) >= 3 for c in row.written
    ]
    width = grid_width(rows)
    reader = _RequestLines(values=values, start_first=width is not None)
    header_lines: dict[str, int] = {}  # the first header's lines with no values -> page
    page_top: tuple[int | None, bool] = (None, True)  # a page, and no row read on it yet
    for row in rows:
        labels, values = split_row(row.written[:width] if row.is_table else row.written)
        blank = not any(squash(v.text) for v in values)
        text = squash("".join(labels))
        if reader.sequence.last < 0 and reader.open_code is None:
            reader.header += row.written  # before the first row: the header
            if blank and text:
                header_lines.setdefault(text, row.page or 0)
        if page_top[0] != row.page:
            page_top = (row.page, True)
        again = page_top[1] and (row.page or 0) > header_lines.get(text, row.page or 0)
        if blank and (is_header_line(labels) or again):
            # A header (repeated after a page break): the header's own lines, however its
            # cells wrap (「自然 总计」 over 「人」), at the top of a page.
            reader.pending = []
            continue
        page_top = (row.page, False)
        if labels or any(squash(v.text) for v in values):
            reader.feed(labels, values, row)  # a row of empty cells says nothing
    reader.close()
    read = _request_read(reader.seen, reader.problems, method, reader.unplaced)
    return replace(read, guessed=reader.guessed)


@dataclass
class _RequestLines:
    """The state of a line-by-line reading of table 三."""

    sequence: RowSequence = field(default_factory=RowSequence)
    seen: dict[str, list[Cell]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # label lines that named no row yet
    open_code: str | None = None  # a row whose label was read, its values not yet
    open_page: int | None = None
    open_text: str = ""  # the open row's label so far
    header: list[Fragment] = field(default_factory=list)
    unplaced: int = 0
    guessed: bool = False  # some row placed by position where the header cannot tell
    values: list[Fragment] = field(default_factory=list)  # every value cell of the table
    start_first: bool = False  # a grid's rows: blank cells before the values are the labels'
    orphan: list[Fragment] | None = None  # values read before any row's label

    @cached_property
    def columns(self) -> Columns | None:
        """Where the columns stand, from the header and the values (once)."""
        return columns_of(self.header, self.values, applicant_blocks)

    def feed(self, labels: list[str], values: list[Fragment], row: Row) -> None:
        """Take one line: a label that starts a row opens it; values go to the open row.
        A row whose own line holds only empty cells stays open (its values may be on the
        next lines of its wrapped label) and is blank if none come."""
        window = None
        if values:
            window = fit(values, len(codes.applicants()), self.start_first)
            if window is None:
                columns = self.columns
                window = by_position(
                    values, columns.centres() if columns else None, codes.applicants(), "requests"
                )
                self.guessed |= window is not None and columns is not None and columns.guess(values)
        filled = window is not None and any(squash(f.text) for f in window)
        code = self._starts(labels, has_values=filled) if labels else None
        if code is not None:
            # Values with no label of their own, then this row's label with none: a row
            # split by a page break (its values left at the foot of the page before), or its
            # values standing above its label. Otherwise close() drops them.
            if self.orphan is not None and not filled:
                window, filled, self.orphan = self.orphan, True, None
            self.close()
            self.pending = []
            self.open_code, self.open_page, self.open_text = code, row.page, "".join(labels)
        elif labels and self.open_code is not None:
            self.open_text += "".join(labels)
        if filled and window is not None:
            self._fill(window)
        elif window is None and any(squash(v.text) for v in values):
            where = self.open_code or "/".join(labels) or "no row"
            self.problems.append(
                Problem("requests", "value_count", f"{len(values)} values, not 7, at {where}")
            )
            self.unplaced += len(values)
        elif code is None and labels and self.open_code is None:
            self.pending += labels  # a label broken over lines: the rest follows

    def _fill(self, window: list[Fragment]) -> None:
        if self.open_code is None:
            self._drop_orphan()
            self.orphan = window  # the next row's label may follow (a row a page break split)
            return
        self._store(self.open_code, window)
        self.open_code = None

    def _drop_orphan(self) -> None:
        """Values that no row took: a problem, and the reading is not complete."""
        if self.orphan is not None:
            texts = [v.text for v in self.orphan]
            self.problems.append(Problem("requests", "no_label", f"values with no row: {texts}"))
            self.unplaced += len(self.orphan)
            self.orphan = None

    def _starts(self, labels: list[str], has_values: bool) -> str | None:
        """Given a line's labels, return the row they start (with the pending label lines
        before them when those complete it), else None; the row is then accepted."""
        text = "".join(labels)
        if is_group_label(text):
            return None
        if (
            self.open_code is not None
            and label_incomplete(self.open_code, self.open_text)
            and not starts_numbered(text)
        ):
            return None  # the rest of the open row's wrapped label
        # The line's labels, then with the label lines before them, then each label alone
        # from the right (a leaf beside a fragment of its group's, 度办理结): the first that
        # names a row.
        # A numbered label after others on its line (「（六）其他」「1.申请人」) is a group's
        # first sub-row: the labels before it are the group's, however they read alone.
        child = len(labels) > 1 and starts_numbered(labels[-1])
        tiers: list[tuple[list[str], bool]] = [
            ([labels[-1]] if child else [], True),
            ([text], False),
            (["".join(self.pending) + text] if self.pending else [], False),
            (labels[::-1], True),  # a label alone names a near row
        ]
        for tier, near in tiers:
            found = [
                f for candidate in tier if (f := self.sequence.best(candidate, near)) is not None
            ]
            if found:
                code = max(found)[1]
                self.sequence.accept(code)
                return code
        return None

    def _store(self, code: str, window: list[Fragment]) -> None:
        if code in self.seen:
            if [c.raw for c in self.seen[code]] != [f.text for f in window]:
                self.problems.append(
                    Problem(
                        "requests", "duplicate_row", f"row {code} appears twice, with other values"
                    )
                )
                self.unplaced += len(window)
            return
        self.seen[code] = _cells("requests", code, codes.applicants(), window)

    def close(self) -> None:
        """End the open row: a row that got no values is blank in every column."""
        self._drop_orphan()
        if self.open_code is not None and self.open_code not in self.seen:
            blank = [Fragment("", self.open_page)] * len(codes.applicants())
            self.seen[self.open_code] = _cells(
                "requests", self.open_code, codes.applicants(), blank
            )
        self.open_code = None


def _request_read(
    seen: dict[str, list[Cell]], problems: list[Problem], method: str, unplaced: int
) -> TableRead:
    if any(c in seen for c in OTHER_ROWS):
        group = seen.pop("other", [])
        if any(c.raw for c in group):  # the （六） group's own line held values: whose?
            texts = [c.raw for c in group]
            problems.append(Problem("requests", "no_label", f"values on the （六） line: {texts}"))
            unplaced += len(group)
    order = codes.request_row_codes(3 if any(c in seen for c in OTHER_ROWS) else 1)
    cells = [cell for code in order for cell in seen.get(code, [])]
    return TableRead("requests", method, tuple(cells), tuple(problems), bool(seen), None, unplaced)


# ---------------------------------------------------------------- table 四


def appeal_lines(rows: Sequence[Row], method: str = "lines") -> TableRead:
    """Given the table rows of section 四, return its 15 cells: the values of its data
    rows (rows with no label) in template order, however many lines they take."""
    pairs = codes.appeal_pairs()
    data: list[list[Fragment]] = []
    header: list[Fragment] = []
    for row in rows:
        cells = row.written
        if cells and any(is_label(c.text) for c in cells) and not data:
            header += cells
        if not cells or any(is_label(c.text) for c in cells):
            continue
        data.append(cells)
    values = _stacked(_without_empty_lines(data, len(pairs)), header)
    keys = [f"{p}|{o}" for p, o in pairs]
    fitted = fit(values, len(pairs))
    # Blank cells beyond fifteen at both ends: which to drop is a guess (dropping five
    # moves every value by a whole proceeding, and every identity still holds).
    other = fit(values, len(pairs), start_first=True)
    guessed = fitted is not None and [f.text for f in fitted] != [f.text for f in other or []]
    if fitted is None and values:
        columns = columns_of(header, values, outcome_blocks)
        fitted = by_position(values, columns.centres() if columns else None, keys, "appeals")
        guessed = columns is not None and columns.guess(values)
    if fitted is None:
        problems = (
            (Problem("appeals", "value_count", f"{len(values)} values in its data rows, not 15"),)
            if values
            else ()
        )
        return TableRead("appeals", method, (), problems, bool(values))
    read = [
        Cell("appeals", p, o, f.text, f.page, f.bbox)
        for (p, o), f in zip(pairs, fitted, strict=True)
    ]
    return TableRead("appeals", method, tuple(read), (), True, guessed=guessed)


def _stacked(values: list[Fragment], header: Sequence[Fragment]) -> list[Fragment]:
    """Given table 四's value cells in reading order and its header cells, return the
    values with the digits of each number printed stacked in a narrow cell (「1」 above
    「0」: two lines of the text layer, the upper maybe read with the header) joined into
    one cell, in the place of its first value; cells with no box stay as they are."""
    words = {id(f): w for f in values for w in fragments_to_words([f]) if is_value(f.text)}
    tops = [w for w in fragments_to_words(header) if has_digit(w.text)]
    stacks = [s for s in digit_stacks(list(words.values()), tops) if len(s) > 1]
    if not stacks:
        return values
    index = {id(w): i for i, w in enumerate(words.values())}
    joined: dict[int, Word] = {}  # the number's first value (by index) -> the number
    dropped: set[int] = set()
    for stack in stacks:
        mine = sorted(index[id(w)] for w in stack if id(w) in index)
        joined[mine[0]] = join_stack(stack)
        dropped.update(mine[1:])
    out: list[Fragment] = []
    for f in values:
        i = index.get(id(words[id(f)])) if id(f) in words else None
        if i in dropped:
            continue
        number = joined.get(i) if i is not None else None
        out.append(Fragment(number.text, f.page, bbox_of([number])) if number else f)
    return out


def _without_empty_lines(data: list[list[Fragment]], width: int) -> list[Fragment]:
    """Given the lines of table 四's values, return their cells, less whole lines of empty
    cells before or after them (an empty header row, a blank line of a grid) while at
    least `width` cells are left."""
    lines = list(data)
    for end in (0, -1):
        while lines and sum(map(len, lines)) - len(lines[end]) >= width:
            if any(squash(c.text) for c in lines[end]):
                break
            lines.pop(end)
    return [c for line in lines for c in line]


# ---------------------------------------------------------------- table 二


def active_lines(rows: Sequence[Row], method: str = "lines") -> TableRead:
    """Given the table rows of section 二, return its cells: each item row's values in
    the template's metric order."""
    texts = [t for row in rows for t in row.texts if is_label(t)]
    items = [(row, _item_of(row)) for row in rows]
    template = detect_template(texts) or _template_of_items([i for _, i in items if i])
    if template is None:
        return TableRead("active", method, (), (), any(i for _, i in items))
    spec = codes.active_cells(template)
    cells: list[Cell] = []
    problems: list[Problem] = []
    unplaced = 0
    unit = None
    for row, item in items:
        labels, values = split_row(row.written)
        unit = unit_of_header("".join(labels)) or unit if "金额" in "".join(labels) else unit
        if item is None:
            continue
        metrics = [c.metric for c in spec if c.item == item]
        if not metrics:
            continue
        window = (
            values[: len(metrics)]
            if not any(squash(v.text) for v in values[len(metrics) :])
            else None
        )
        if window is None or len(window) != len(metrics):
            problems.append(
                Problem(
                    "active",
                    "value_count",
                    f"item {item} has {len(values)} values, not {len(metrics)}",
                )
            )
            unplaced += len(values)
            continue
        hint = unit if item in ("fees", "procurement") else None
        cells += [
            Cell("active", item, m, f.text, f.page, f.bbox, hint if m == "amount" else None)
            for m, f in zip(metrics, window, strict=True)
        ]
    found = bool(cells)
    return TableRead("active", method, tuple(cells), tuple(problems), found, template, unplaced)


def _item_of(row: Row) -> str | None:
    labels, _ = split_row(row.written)
    if not labels:
        return None
    return item_of_label(labels[-1])


def _template_of_items(items: list[str]) -> Template | None:
    if any(i in ("other_services", "procurement") for i in items):
        return "2019"
    return None


def rows_to_line_reads(
    tables: dict[str, list[Row]], method: str = "lines"
) -> dict[TableName, TableRead]:
    """Given each table's rows, return the lines reading of tables 二, 三 and 四."""
    return read_each_table(tables, method, active_lines, request_lines, appeal_lines)
