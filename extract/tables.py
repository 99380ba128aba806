"""Read the three national-template tables out of table rows.

Rows are matched to canonical codes by their labels (tolerant of numbering,
spaces, line breaks and small typos); columns by the header labels the
template prescribes, with the template's column order as the fallback when a
row is shifted (a label cell that swallowed a value column). Cells keep their
raw text; nothing is parsed into numbers here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.labels import (
    best_match,
    is_label,
    is_value,
    match_score,
    numbering,
    squash,
    strip_numbering,
)
from extract.records import Cell, Fragment, Problem, ProblemCode, Row, TableRead
from extract.template.headers import (
    APPLICANT_LABELS,
    ITEMS_HEADER,
    SUBTABLE_MARKS,
    TEMPLATE_METRICS,
    applicant_of_header,
    detect_template,
    is_request_header,
    item_of_label,
    outcome_of_header,
    proceeding_of_header,
    unit_of_header,
)
from extract.template.rows import (
    GROUP_KEYS,
    GROUP_MEMBERS,
    LEAF_KEYS,
    NUMBERED_ROWS,
    label_goes_on,
    lead_number,
    starts_numbered,
)
from spec import codes
from spec.kinds import TableName, Template

# ---------------------------------------------------------------- table 三


def _column_texts(rows: Sequence[Row]) -> dict[int, str]:
    """Given header rows, return column index -> the squashed texts of that column stacked."""
    out: dict[int, str] = {}
    for row in rows:
        for i, t in enumerate(row.texts):
            out[i] = out.get(i, "") + squash(t)
    return out


@dataclass
class _RowMatcher:
    """Match table 三 row labels to row codes, remembering the current row group."""

    leaves: dict[str, list[str]]
    groups: dict[str, list[str]]
    group: str | None = None

    def match(self, labels: list[str]) -> str | None:
        """Given the label cells of one row, return its row code (or None)."""
        code = None
        group_only = None
        for raw in labels:
            text = squash(raw)
            key = strip_numbering(text)
            members = GROUP_MEMBERS.get(self.group or "", [])
            leaf = best_match(key, {c: self.leaves[c] for c in members}, 0.6) if members else None
            if leaf is None:  # a row of another group: its group label is on another page
                leaf = best_match(key, self.leaves, threshold=0.8)
            n = numbering(text)
            if leaf is None and members and n and 1 <= n <= len(members):
                leaf = members[n - 1]  # numbered sub-row whose text is garbled
            if leaf is None and self.group in (None, "result"):
                leaf = NUMBERED_ROWS.get(lead_number(text))  # 「（一）予」: a label cut short
            if leaf == "other_misc" and self.group != "other":
                leaf = None  # a bare 其他 is only a row inside （六）
            g = best_match(key, self.groups, threshold=0.75)
            if g and (
                leaf is None
                or match_score(key, self.groups[g]) >= match_score(key, self.leaves[leaf])
            ):
                self.group = g
                group_only = g
                continue
            if leaf:
                code = leaf
                if leaf in ("granted", "partially_granted"):
                    self.group = "result"
                elif leaf in ("new_received", "carried_over", "total_processed", "carried_forward"):
                    self.group = None
        if code is None and group_only == "other":
            return "other"  # a single （六）其他处理 row: the 2019 template or a mixed document
        return code


def _value_window(
    cells: list[Fragment], last_label: int, columns: list[int]
) -> tuple[list[Fragment | None], int]:
    """Given a data row, the index of its last label cell and the value columns (the header's,
    else the seven after the label), return the seven value cells in applicant order (None
    where the row has no cell) and how many values of the row they leave out."""
    width = len(columns)
    first = columns[0]
    outside = cells[last_label + 1 : first] + cells[columns[-1] + 1 :]
    if last_label < first and not any(squash(c.text) for c in outside):
        return [cells[i] if i < len(cells) else None for i in columns], 0
    # Shifted row: the label swallowed a value column, stands in the group column, or an
    # extra empty cell crept in: the values are the cells after the label.
    tail = cells[last_label + 1 :]
    while len(tail) > width and not squash(tail[-1].text):
        tail = tail[:-1]
    while len(tail) > width and not squash(tail[0].text):
        tail = tail[1:]
    left_out = sum(1 for c in tail[width:] if squash(c.text))
    tail = tail[:width]
    return list(tail) + [None] * (width - len(tail)), left_out


def _request_columns(header: Sequence[Row]) -> list[int]:
    """Given the header rows of table 三, return the seven value column indices in
    applicant order, or [] when the header does not tell them."""
    applicants = list(codes.applicants())
    column_of: dict[str, int] = {}
    for idx, text in sorted(_column_texts(header).items()):
        code = applicant_of_header(text)
        if code and code not in column_of:
            column_of[code] = idx
    stacked = [column_of.get(a, -1) for a in applicants]
    if -1 not in stacked and stacked == sorted(stacked):
        return stacked
    # Header cells split over lines can drift sideways; the 自然人 and 总计 cells
    # anchor a contiguous block of seven columns.
    first = last = None
    for row in header:
        for i, t in enumerate(row.texts):
            s = squash(t)
            if s in APPLICANT_LABELS["natural_person"] and first is None:
                first = i
            if s in APPLICANT_LABELS["total"] and last is None:
                last = i
    if first is not None and last is not None and last - first == len(applicants) - 1:
        return list(range(first, last + 1))
    return []


@dataclass
class TableResult:
    cells: list[Cell] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    found: bool = False
    unplaced: int = 0  # values seen but not placed in a cell

    def read(self, table: TableName, method: str, template: Template | None = None) -> TableRead:
        cells, problems = tuple(self.cells), tuple(self.problems)
        return TableRead(table, method, cells, problems, self.found, template, self.unplaced)


def fragment_to_cell(
    table: TableName,
    row: str,
    col: str,
    frag: Fragment | None,
    page: int | None,
    unit_hint: str | None = None,
) -> Cell:
    """Given a template position and the fragment read there (None: nothing there), return
    its Cell (a blank on the row's page when there is no fragment)."""
    if frag is None:
        return Cell(table, row, col, "", page, None, unit_hint)
    return Cell(table, row, col, frag.text, frag.page, frag.bbox, unit_hint)


def rows_to_request_cells(rows: Sequence[Row], method: str = "grid") -> TableRead:
    """Given the table rows of section 三, return its cells keyed (row_code, applicant)."""
    return _request_cells(rows).read("requests", method)


def _request_cells(rows: Sequence[Row]) -> TableResult:
    result = TableResult()
    leaves = {code: keys for code, keys in LEAF_KEYS.items() if code != "other"}
    matcher = _RowMatcher(leaves, GROUP_KEYS)
    header, body = _split_request_rows(rows, matcher)
    columns = _request_columns(header)
    if header and not columns:
        result.problems.append(
            Problem(
                "requests", "header", "header columns not recognised; using template column order"
            )
        )
    seen = _request_rows(body, matcher, columns, result)
    result.found = bool(seen)
    if not seen:
        return result
    has_three = any(c in seen for c in GROUP_MEMBERS["other"])
    expected = codes.request_row_codes(3 if has_three else 1)
    for code in expected:
        if code in seen:
            result.cells.extend(seen[code])
        else:
            result.problems.append(Problem("requests", "row_not_found", f"row {code} not found"))
    return result


def _split_request_rows(rows: Sequence[Row], matcher: _RowMatcher) -> tuple[list[Row], list[Row]]:
    """Given the rows of table 三, return its header rows (those before 本年新收) and body rows;
    with no 本年新收 row, every row that is not a header is body."""
    for i, row in enumerate(rows):
        labels = [t for t in row.texts if is_label(t)]
        if not labels or is_request_header(row.texts):
            continue
        # the first row's label, or its first line when the label is wrapped over rows
        after = [t for t in rows[i + 1].texts if is_label(t)] if i + 1 < len(rows) else []
        joined = ["".join(labels) + "".join(after[:1])] if after else []
        if any(matcher.match(tried) == "new_received" for tried in (labels, joined) if tried):
            matcher.group = None
            return list(rows[:i]), list(rows[i:])
    matcher.group = None
    header = [r for r in rows if is_request_header(r.texts)]
    return header, [r for r in rows if not is_request_header(r.texts)]


def _request_rows(
    body: Sequence[Row], matcher: _RowMatcher, columns: list[int], result: TableResult
) -> dict[str, list[Cell]]:
    """Given the body rows of table 三, return each row code's seven cells (in applicant
    order), noting in `result` the values no row could take."""
    seen: dict[str, list[Cell]] = {}
    pending_label = ""
    held: tuple[str, str] | None = None  # a row read blank and its label: it may go on
    last: tuple[str, str] | None = None  # the last row named and its label so far
    for row in body:
        if is_request_header(row.texts):
            continue  # a header repeated after a page break
        cells = list(row.cells)
        label_idx = [i for i, c in enumerate(cells) if is_label(c.text)]
        labels = [cells[i].text for i in label_idx]
        has_values = any(squash(c.text) for c in cells if is_value(c.text))
        if pending_label and labels:
            labels[0] = pending_label + labels[0]
            pending_label = ""
        if not labels:
            if has_values:
                _unplaced(result, "no_label", f"a row of values without a label: {row.texts}")
            continue
        if len(cells) <= label_idx[-1] + 1:
            # No cell after the label at all: the first part of a label broken across
            # lines or pages, its values on the rest of it.
            pending_label = "".join(labels)
            continue
        code = matcher.match(labels)
        if not has_values and last and _goes_on(last, code, labels):
            last = (last[0], last[1] + labels[-1])  # the rest of a wrapped label, below
            held = last if held and held[0] == last[0] else held
            continue
        if code is not None:
            last = (code, labels[-1])
        if has_values and held and _continues(held, code, labels, seen, matcher):
            seen[held[0]] = _request_row_cells(held[0], row, label_idx[-1], columns, result)
            held = None
            continue
        held = None
        if code is None and not has_values:
            pending_label = "".join(labels)  # a label broken across lines or pages
            continue
        if code is None:
            _unplaced(result, "unknown_label", f"unknown row label {'/'.join(labels)!r}")
            continue
        if not has_values and code in seen:
            continue
        row_cells = _request_row_cells(code, row, label_idx[-1], columns, result)
        if code not in seen:
            seen[code] = row_cells
            if not has_values:
                held = (code, labels[-1])
        elif [c.raw for c in seen[code]] != [c.raw for c in row_cells]:
            _unplaced(result, "duplicate_row", f"row {code} appears twice with different values")
    return seen


def _unplaced(result: TableResult, code: ProblemCode, detail: str) -> None:
    """Note in `result` a row of table 三 whose values no row could take."""
    result.problems.append(Problem("requests", code, detail))
    result.unplaced += 1


def _goes_on(last: tuple[str, str], code: str | None, labels: list[str]) -> bool:
    """Given the last row named (its code, its label so far) and a line's labels with no
    values beside them (and the row they name, if any), tell whether the line is the rest
    of that row's label: it names no other row, no cell starts a row number, and the label
    stays within the template's length."""
    return (
        code in (None, last[0])
        and not any(starts_numbered(label) for label in labels)
        and label_goes_on(*last, labels[-1])
    )


def _continues(
    held: tuple[str, str],
    named: str | None,
    labels: list[str],
    seen: dict[str, list[Cell]],
    matcher: _RowMatcher,
) -> bool:
    """Given a row read blank (its code, its label), the next line's labels and the row they
    name, tell whether that line is the rest of the label with the row's values (a wrapped
    label whose values stand on its last line, a row split by a page break). The rest names
    no row, or (「安全稳定」) the held row by itself with no row number of its own; it is in
    the row label's own column, the last label: a group's label before it (a merged cell's
    text, which a page break repeats on the row under it) is no part of it."""
    code, start = held
    if named is not None and (named != code or starts_numbered(labels[-1])):
        return False
    return all(not c.raw for c in seen[code]) and matcher.match([start + labels[-1]]) == code


def _request_row_cells(
    code: str, row: Row, last_label: int, columns: list[int], result: TableResult
) -> list[Cell]:
    """Given a body row of table 三, its code and last label cell, return its seven cells: the
    header's columns when the row lines up with them, else the seven cells after the label."""
    applicants = list(codes.applicants())
    cells = list(row.cells)
    columns = columns or list(range(last_label + 1, last_label + 1 + len(applicants)))
    window, left_out = _value_window(cells, last_label, columns)
    if left_out:
        result.problems.append(
            Problem(
                "requests",
                "value_count",
                f"row {code} has {len(applicants) + left_out} values, not {len(applicants)}",
            )
        )
        result.unplaced += left_out
    return [
        fragment_to_cell("requests", code, applicant, frag, row.page)
        for applicant, frag in zip(applicants, window, strict=True)
    ]


# ---------------------------------------------------------------- table 四


def rows_to_appeal_cells(rows: Sequence[Row], method: str = "grid") -> TableRead:
    """Given the table rows of section 四, return its 15 cells keyed (proceeding, outcome)."""
    return _appeal_cells(rows).read("appeals", method)


def _appeal_data_row(rows: Sequence[Row]) -> int | None:
    """Given table 四's rows, return the index of its data row: values only, under a header;
    a table left blank entirely still has its row of empty cells (taken only when no row
    holds a value)."""
    candidates = [
        i
        for i, r in enumerate(rows)
        if i > 0 and len(r.written) >= 5 and all(is_value(c.text) for c in r.written)
    ]
    filled = [i for i in candidates if any(squash(c.text) for c in rows[i].written)]
    return next(iter(filled or candidates), None)


def _appeal_header_pairs(header: Sequence[Row], width: int) -> dict[int, tuple[str, str]] | None:
    """Given table 四's header rows and the data row's width, return column -> (proceeding,
    outcome) when the header names all fifteen, else None."""
    mapping: dict[int, tuple[str, str]] = {}
    proceeding = None
    for idx, text in sorted(_column_texts(header).items()):
        proceeding = proceeding_of_header(text) or proceeding
        outcome = outcome_of_header(text)
        if proceeding and outcome:
            mapping[idx] = (proceeding, outcome)
    if sorted(mapping.values()) == sorted(codes.appeal_pairs()) and max(mapping) < width:
        return mapping
    return None


def trimmed(values: Sequence[Fragment], width: int, start_first: bool = False) -> list[Fragment]:
    """Given a row's value cells and the width the template wants, return them with empty
    cells beyond that width trimmed from the end, then the start (or the other way)."""
    out = list(values)
    ends = (0, -1) if start_first else (-1, 0)
    for end in ends:
        while len(out) > width and not squash(out[end].text):
            out.pop(end)
    return out


def fit(values: Sequence[Fragment], width: int, start_first: bool = False) -> list[Fragment] | None:
    """Given a row's value cells and the width the template wants, return exactly that many
    (empty cells beyond it trimmed, from the end first or, ``start_first``, the start),
    else None."""
    out = trimmed(values, width, start_first)
    return out if len(out) == width else None


def _appeal_in_template_order(
    data: list[Fragment], header: Sequence[Row], result: TableResult
) -> dict[tuple[str, str], Fragment] | None:
    """Given a data row whose header was not recognised, return its cells in the template's
    column order when it has fifteen (blank cells at either end aside), else None."""
    pairs = codes.appeal_pairs()
    values = trimmed(data, len(pairs))
    if len(values) != len(pairs):
        why = f"header not recognised and the data row has {len(values)} cells, not 15"
        result.problems.append(Problem("appeals", "header", why))
        return None
    if header:
        why = "header not recognised; using template column order"
        result.problems.append(Problem("appeals", "header", why))
    return dict(zip(pairs, values, strict=True))


def _appeal_cells(rows: Sequence[Row]) -> TableResult:
    result = TableResult()
    data_idx = _appeal_data_row(rows)
    if data_idx is None:
        return result
    header, data = rows[:data_idx], list(rows[data_idx].cells)
    result.found = True
    # Values anywhere else in the table (a data row broken over lines) are not read here.
    result.unplaced = sum(
        1
        for i, r in enumerate(rows)
        if i != data_idx
        for c in r.written
        if squash(c.text) and is_value(c.text)
    )
    if result.unplaced:
        why = f"{result.unplaced} values outside its data row"
        result.problems.append(Problem("appeals", "unplaced", why))
    mapping = _appeal_header_pairs(header, len(data))
    if mapping is not None:
        by_pair = {pair: data[idx] for idx, pair in mapping.items()}
    else:
        found = _appeal_in_template_order(data, header, result)
        if found is None:
            return result
        by_pair = found
    for (p, o), frag in by_pair.items():
        result.cells.append(Cell("appeals", p, o, frag.text, frag.page, frag.bbox))
    result.cells.sort(key=lambda c: codes.appeal_pairs().index((c.row, c.col)))
    return result


# ---------------------------------------------------------------- table 二


def rows_to_active_cells(rows: Sequence[Row], method: str = "grid") -> TableRead:
    """Given the table rows of section 二, return its cells keyed (item, metric) and template."""
    template, result = _active_cells(rows)
    return result.read("active", method, template)


def stray_values(row: Row, used: set[int]) -> int:
    """Given a table row and the cell positions a reading took, return how many of its other
    cells hold a value (a number the reading did not place)."""
    return sum(
        1 for i, c in enumerate(row.cells) if i not in used and squash(c.text) and is_value(c.text)
    )


ItemPairs = tuple[str, list[tuple[Fragment, Fragment | None]]]  # item, (header, value cell)s


def _active_cells(rows: Sequence[Row]) -> tuple[Template | None, TableResult]:
    result = TableResult()
    found, all_headers = _active_item_rows(rows, result)
    template = detect_template(all_headers)
    if template is None:
        if found:
            result.problems.append(
                Problem("active", "header", "template not recognised from its headers")
            )
        return None, result
    result.found = bool(found)
    got = _active_metric_cells(found, template, result)
    for c in codes.active_cells(template):
        key = (c.item, c.metric)
        if key in got:
            result.cells.append(got[key])
        else:
            result.problems.append(
                Problem("active", "cell_not_found", f"cell {c.item}/{c.metric} not found")
            )
    return template, result


def _active_item_rows(
    rows: Sequence[Row], result: TableResult
) -> tuple[list[ItemPairs], list[str]]:
    """Given the rows of table 二, return each item row's cells paired with the header cell
    above them, and every header text seen (they tell the template)."""
    headers: list[list[tuple[int, Fragment]]] = []  # every header seen; the last one holds
    found: list[ItemPairs] = []
    hcol: int | None = None  # the 信息内容 column of a header whose cells may go on below
    for row in rows:
        texts = row.texts
        squashed = [squash(t) for t in texts]
        if any(ITEMS_HEADER in s for s in squashed):
            # Offsets are relative to the 信息内容 cell, so a row shifted by a
            # leading empty cell still lines up with its header.
            hcol = next(i for i, s in enumerate(squashed) if ITEMS_HEADER in s)
            cells = enumerate(row.cells)
            headers.append([(i - hcol, c) for i, c in cells if i > hcol and squash(c.text)])
            continue
        if hcol is not None and _continues_header(squashed, hcol):
            headers[-1] = _join_header(headers[-1], row, hcol)  # 「本年制」 / 「发件数」
            continue
        hcol = None
        if any(m in s for m in SUBTABLE_MARKS for s in squashed) and not any(
            is_value(t) and squash(t) for t in texts
        ):
            continue
        label_idx = next((i for i, t in enumerate(texts) if is_label(t)), None)
        item = None if label_idx is None else item_of_label(squashed[label_idx])
        if label_idx is None or item is None:
            if label_idx is not None:
                # A header row whose 信息内容 cell is missing: metric labels only.
                labels = [(i, c) for i, c in enumerate(row.cells) if is_label(c.text)]
                if labels and detect_template([c.text for _, c in labels]):
                    headers.append([(i - labels[0][0] + 1, c) for i, c in labels])
            result.unplaced += stray_values(row, set())
            continue
        header = headers[-1] if headers else []
        at = [label_idx + offset for offset, _ in header]
        pairs = [
            (head, row.cells[i] if i < len(row.cells) else None)
            for i, (_, head) in zip(at, header, strict=True)
        ]
        result.unplaced += stray_values(row, set(at))
        if not header:
            result.problems.append(Problem("active", "header", f"row {item} before any header"))
            continue
        found.append((item, pairs))
    return found, [c.text for header in headers for _, c in header]


def _continues_header(squashed: list[str], hcol: int) -> bool:
    """Given a row's texts and the 信息内容 column of the header above it, tell whether the
    row goes on with the header's cells: nothing in or before that column, no value, some
    text after it."""
    before = any(squashed[: hcol + 1])
    after = [t for t in squashed[hcol + 1 :] if t]
    return not before and bool(after) and not any(is_value(t) for t in after)


def _join_header(
    header: list[tuple[int, Fragment]], row: Row, hcol: int
) -> list[tuple[int, Fragment]]:
    """Given a header's cells (offset from 信息内容, fragment) and a row that goes on with
    them, return the header with each cell's text joined to the text below it."""
    cells = dict(header)
    for i, c in enumerate(row.cells):
        if i <= hcol or not squash(c.text):
            continue
        above = cells.get(i - hcol)
        if above is None:
            cells[i - hcol] = c
        else:
            box = above.bbox
            if box is not None and c.bbox is not None:
                box = (min(box[0], c.bbox[0]), box[1], max(box[2], c.bbox[2]), c.bbox[3])
            cells[i - hcol] = Fragment(above.text + c.text, above.page, box)
    return sorted(cells.items())


def _active_metric_cells(
    found: list[ItemPairs], template: Template, result: TableResult
) -> dict[tuple[str, str], Cell]:
    """Given the item rows of table 二 and its template, return its cells keyed (item, metric):
    each value cell named by the header cell above it."""
    spec = codes.active_cells(template)
    got: dict[tuple[str, str], Cell] = {}
    metrics = TEMPLATE_METRICS[template]
    for item, pairs in found:
        item_metrics = {c.metric for c in spec if c.item == item}
        if not item_metrics:
            result.problems.append(
                Problem(
                    "active", "not_in_template", f"item {item} is not in the {template} template"
                )
            )
            continue
        candidates = {m: metrics[m] for m in item_metrics}
        for head, frag in pairs:
            metric = best_match(squash(head.text), candidates, threshold=0.6)
            if metric is None or (item, metric) in got:
                continue
            unit = unit_of_header(head.text)
            got[(item, metric)] = fragment_to_cell("active", item, metric, frag, head.page, unit)
    return got
