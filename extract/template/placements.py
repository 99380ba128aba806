"""Whether table 三's arithmetic leaves a row with blanks only one place for its numbers.

A row printed with blanks (zeros left out) gives fewer numbers than columns; where text
packs each line's words as tightly as the words above allow (``pdftotext -layout``),
which column each number stands in is a guess by position. The template's identities
(:mod:`spec.identities`: each row's total, each applicant's balance and outcomes) are a
second witness to it: they pin the placement down when no other placement of those rows'
numbers, in their printed order, satisfies them all. Then a reading placed by position
that passes them is not a guess. Where another placement passes as well (a consistent
shift of a column, numbers that could stand in either of two columns) the arithmetic
cannot tell and the reading stays a guess.

Zeros count as blanks here (a blank counts as 0 in every identity): placements that
differ only in where a 0 stands are one placement. The search gives up (a guess) past
``MOST_STATES`` sums of partial rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations

from extract.records import TableRead
from spec import codes
from spec.identities import REQUESTS_ROW_TOTAL, Check, check_terms, request_checks
from spec.numbers import UnparseableNumber, parse_count

MOST_STATES = 200_000  # distinct partial sums the search keeps before it gives up

Key = tuple[str, str]
Residual = tuple[int, ...]


def placed_by_arithmetic(read: TableRead) -> bool:
    """Given a complete reading of table 三, tell whether its identities hold and no other
    placement of its rows with blanks (each row's numbers in their printed order) makes
    them hold: the arithmetic then says where each number stands."""
    if read.table != "requests" or not read.cells:
        return False
    columns = codes.applicants()
    rows: dict[str, list[int | None]] = {}
    try:
        for cell in read.cells:
            rows.setdefault(cell.row, [None] * len(columns))
            raw = cell.raw.strip()
            rows[cell.row][columns.index(cell.col)] = parse_count(raw) if raw else None
    except (UnparseableNumber, ValueError):
        return False
    grid = {(r, c): v for r, values in rows.items() for c, v in zip(columns, values, strict=True)}
    checks = request_checks(grid)
    if not checks or not all(c.passed for c in checks):
        return False
    # The identities across rows (a row's own total is kept by _row_placements).
    across = [c for c in checks if c.check_code != REQUESTS_ROW_TOTAL.check_code]
    signs = [_signs(c, set(rows)) for c in across]
    fixed = [0] * len(across)
    loose: list[list[tuple[int, ...]]] = []  # per row with blanks: its numbers' placements
    for row, values in rows.items():
        printed = [v for v in values if v is not None]
        if 0 < len(printed) < len(columns) and any(printed):
            loose.append(list(_row_placements(row, printed, columns, signs)))
            continue
        for i, sign in enumerate(signs):
            fixed[i] += sum(
                (v or 0) * sign.get((row, c), 0) for c, v in zip(columns, values, strict=True)
            )
    return _solutions(tuple(fixed), loose) == 1


def _signs(check: Check, rows: set[str]) -> dict[Key, int]:
    """Given an identity and the table's rows, return its cells' signs: +1 for each time a
    cell is on the expected side, -1 on the actual side."""
    expected, actual = check_terms(check, rows)
    out: dict[Key, int] = {}
    for key in expected:
        out[key] = out.get(key, 0) + 1
    for key in actual:
        out[key] = out.get(key, 0) - 1
    return out


def _row_placements(
    row: str, printed: Sequence[int], columns: Sequence[str], signs: Sequence[dict[Key, int]]
) -> Iterator[tuple[int, ...]]:
    """Given a row's printed numbers in order, yield what each order-keeping placement of
    them adds to every identity across rows, once per distinct placement of its nonzero
    numbers, when the row's own total holds (the last column is the total)."""
    seen: set[tuple[int, ...]] = set()
    last = len(columns) - 1
    for where in combinations(range(len(columns)), len(printed)):
        values = [0] * len(columns)
        for i, v in zip(where, printed, strict=True):
            values[i] = v
        if values[last] != sum(values[:last]):
            continue
        nonzero = tuple(i if v else -1 for i, v in zip(where, printed, strict=True))
        if nonzero in seen:
            continue
        seen.add(nonzero)
        yield tuple(
            sum(v * sign.get((row, c), 0) for c, v in zip(columns, values, strict=True))
            for sign in signs
        )


def _solutions(fixed: Residual, loose: Sequence[Sequence[Residual]]) -> int:
    """Given the identities' sums over the fixed rows and each loose row's choices, return
    how many choices of one placement per loose row make every sum zero (2 meaning two
    or more; 2 as well when the search gives up)."""
    states: dict[Residual, int] = {fixed: 1}
    for choices in loose:
        nxt: dict[Residual, int] = {}
        for state, count in states.items():
            for add in choices:
                key = tuple(a + b for a, b in zip(state, add, strict=True))
                nxt[key] = min(2, nxt.get(key, 0) + count)
        if len(nxt) > MOST_STATES:
            return 2
        states = nxt
    return states.get(tuple(0 for _ in fixed), 0)
