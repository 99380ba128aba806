"""Self-checking extraction: read each table more than one way, keep the reading the
template's own arithmetic vouches for.

The national template fixes every table's shape (table 三: 23 or 25 rows × 7
columns, table 四: 15 cells, table 二: a fixed set per template) and prints its own
identities (see :mod:`spec.identities`). A format reader offers several independent
readings of a document, cheapest first; for each table :func:`choose` takes them one
by one and keeps the first that is complete and passes the identities, computing a
later reading only when the earlier ones fall short.

When no reading passes, failing identities are believed (the source's own arithmetic,
status ``inconsistent``) only if two independent complete readings agree on every
value; otherwise the table is unconfirmed and the report is ``partial``. A value is
never changed to make a check pass.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from extract.records import Attempt, TableRead
from spec import codes
from spec.identities import check_terms, table_checks
from spec.kinds import TABLE_NAMES, ReadingVerdict, TableName
from spec.numbers import UnparseableNumber, parse_count, parse_number

Values = dict[tuple[str, str], float | None]
Reading = tuple[str, Callable[[], dict[TableName, TableRead]]]  # (method, read every table)


@dataclass(frozen=True)
class Assessment:
    """What the template says of one reading: complete or not, identities passed or not."""

    verdict: ReadingVerdict  # never unconfirmed: that is the self-check's word, not the template's
    values: Values
    expected: int
    failed_checks: int
    missing: tuple[str, ...]  # the cells the template calls for that were not read


@dataclass(frozen=True)
class Choice:
    """The reading kept for one table, every attempt, and whether failing checks are confirmed."""

    table: TableName
    read: TableRead | None
    attempts: tuple[Attempt, ...]
    confirmed: bool = False


def expected_keys(read: TableRead) -> list[tuple[str, str]]:
    """Given a reading, return the (row, column) keys its template calls for."""
    if read.table == "requests":
        three = any(c.row.startswith("other_") for c in read.cells)
        rows = codes.request_row_codes(3 if three else 1)
        return [(r, a) for r in rows for a in codes.applicants()]
    if read.table == "appeals":
        return list(codes.appeal_pairs())
    if read.template is None:
        return []
    return [(c.item, c.metric) for c in codes.active_cells(read.template)]


def _parse(table: str, raw: str) -> float | None:
    if table == "active":
        return parse_number(raw).value
    return parse_count(raw)


def assess(read: TableRead) -> Assessment:
    """Given one reading of one table, return its completeness and identity verdict."""
    keys = expected_keys(read)
    values: Values = {}
    for cell in read.cells:
        try:
            values[(cell.row, cell.col)] = _parse(read.table, cell.raw)
        except UnparseableNumber:
            continue
    missing = tuple(f"{r}/{c}" for r, c in keys if (r, c) not in values)
    if not read.found or not keys:
        return Assessment("not_found", values, len(keys), 0, missing)
    if missing or read.unplaced:
        return Assessment("incomplete", values, len(keys), 0, missing)
    failed = sum(not c.passed for c in table_checks(read.table, _grid(values)))
    return Assessment("fails_checks" if failed else "passes", values, len(keys), failed, missing)


def _grid(values: Values) -> dict[tuple[str, str], int | None]:
    """Given a reading's values, return them as the identities take them (counts)."""
    return {k: (int(v) if v is not None else None) for k, v in values.items()}


def failing_cells(read: TableRead) -> set[tuple[str, str]]:
    """Given a reading, return the cells of the template's identities it fails, both sides
    of each (empty when it fails none, or is incomplete: no identity is judged then)."""
    judged = assess(read)
    if judged.verdict != "fails_checks":
        return set()
    grid = _grid(judged.values)
    rows = {row for row, _ in grid}
    return {
        key
        for check in table_checks(read.table, grid)
        if not check.passed
        for side in check_terms(check, rows)
        for key in side
    }


def agree(a: Values, b: Values) -> bool:
    """Given two readings' values, tell whether they agree on every cell (blank = 0)."""
    return a.keys() == b.keys() and all((a[k] or 0) == (b[k] or 0) for k in a)


OCR_METHOD = "ocr-"  # readings of one OCR pass share its recognised characters


def independent(a: TableRead, b: TableRead) -> bool:
    """Tell whether two readings were made independently (by other methods): two readings
    of one OCR pass place the same recognised characters, so a digit misread once is in
    both; they are independent of each other only where each number was read alike by
    two recognitions of its ink (``witnessed``: the cell's own crop and the detector's
    line), so that a misread must have happened twice. A failing reading asks that only
    of its failing identities' cells: every other cell stands in identities that pass."""
    both_ocr = a.method.startswith(OCR_METHOD) and b.method.startswith(OCR_METHOD)
    return a.method != b.method and (not both_ocr or (a.witnessed and b.witnessed))


def _attempt(
    read: TableRead,
    judged: Assessment,
    chosen: bool,
    note: str,
    verdict: ReadingVerdict | None = None,
) -> Attempt:
    cells = len(judged.values)
    return Attempt(
        read.table,
        read.method,
        verdict or judged.verdict,
        cells,
        judged.expected,
        judged.failed_checks,
        chosen,
        note,
    )


def choose(table: TableName, reads: Iterable[TableRead]) -> Choice:
    """Given a table's readings (lazily, cheapest first), return the reading to keep.

    No reading that drops a character wins: a kept reading that another reading out-sees
    (:func:`dropped`: digits in a cell it read blank or shorter, and every digit it saw)
    is not vouched for by identities a blank (counted as 0) may satisfy. The readings
    before it are asked, and, when it read some cell without a digit, the next one too.
    """
    tried: list[tuple[TableRead, Assessment]] = []
    guess: int | None = None  # the first passing reading that placed values by a guess
    pending = iter(reads)
    for read in pending:
        judged = assess(read)
        tried.append((read, judged))
        if judged.verdict != "passes":
            continue
        last = len(tried) - 1
        if not read.guessed:
            if _has_digitless_cell(read):  # a blank that may be a dropped digit: ask one more
                nxt = next(pending, None)
                if nxt is not None:
                    tried.append((nxt, assess(nxt)))
            kept, seen, believed = _out_seeing(tried, last)
            if not believed:
                return _decide(table, tried, kept, False, seen, verdict="unconfirmed")
            note = "complete; identities pass" + (f"; {seen}" if seen else "")
            return _decide(table, tried, kept, False, note)
        guess = last if guess is None else guess  # another guess would agree: no evidence
    if guess is not None:
        note = "values placed by position alone and no reading placed them for certain: not vouched for"
        return _decide(table, tried, guess, False, note, verdict="unconfirmed")
    complete = [i for i, (_, j) in enumerate(tried) if j.verdict == "fails_checks"]
    for n, i in enumerate(complete):
        twin = next((k for k in complete[n + 1 :] if _twins(tried[i], tried[k])), None)
        if twin is not None:
            seen = _out_seen(tried, i)
            if seen:  # no source error is believed on readings that dropped digits
                return _decide(table, tried, i, False, seen)
            note = f"identities fail; the {tried[twin][0].method} reading agrees on every value"
            return _decide(table, tried, i, True, note)
    if complete:
        best = min(complete, key=lambda i: tried[i][1].failed_checks)
        note = "identities fail and no independent reading agrees: not believed"
        return _decide(table, tried, best, False, note)
    if not tried:
        return Choice(table, None, ())
    best = max(range(len(tried)), key=lambda i: (len(tried[i][1].values), -i))
    return _decide(table, tried, best, False, "no reading is complete")


def printed_digits(read: TableRead) -> dict[tuple[str, str], int]:
    """Given a reading, return how many digits it saw printed in each cell it read."""
    return {k: len(d) for k, d in cell_digits(read).items()}


def cell_digits(read: TableRead) -> dict[tuple[str, str], str]:
    """Given a reading, return the digits it saw printed in each cell it read (the most,
    where it read a cell twice)."""
    out: dict[tuple[str, str], str] = {}
    for cell in read.cells:
        digits = "".join(ch for ch in unicodedata.normalize("NFKC", cell.raw) if ch.isdigit())
        key = (cell.row, cell.col)
        out[key] = max(digits, out.get(key, ""), key=len)
    return out


def dropped(kept: TableRead, other: TableRead) -> list[tuple[str, str]]:
    """Given the kept reading and another, return the cells where the other saw more digits
    (the kept one read them blank, or shorter) when it also saw at least as many in every
    cell where the kept one saw any: the kept reading dropped characters. Empty when the
    other does not out-see it (a reading whose values are shifted sees fewer somewhere)."""
    mine, theirs = printed_digits(kept), printed_digits(other)
    if any(theirs.get(k, -1) < n for k, n in mine.items() if n):
        # It saw fewer somewhere: shifted, unless it reads what the kept one read in nearly
        # every cell the kept one saw digits in (one misread apart). Then the cells it saw
        # printed where the kept one saw nothing were dropped all the same.
        if not _same_but_for_a_misread(kept, other):
            return []
        return [k for k, n in theirs.items() if k in mine and n and not mine[k]]
    return [k for k, n in theirs.items() if k in mine and n > mine[k]]


def _same_but_for_a_misread(kept: TableRead, other: TableRead) -> bool:
    """Given two readings, tell whether the other reads the kept one's digits in all but a
    tenth of the cells where the kept one saw any (all but one at least), and reads digits
    in those too: a misread, where a reading whose values moved leaves a cell blank."""
    mine, theirs = cell_digits(kept), cell_digits(other)
    seen = [k for k, d in mine.items() if d]
    differ = [k for k in seen if theirs.get(k) != mine[k]]
    if any(not theirs.get(k) for k in differ):  # it read blank where the kept one saw digits:
        return False  # a value moved (a shift), not misread
    return bool(seen) and len(differ) <= max(1, len(seen) // 10)


def _has_digitless_cell(read: TableRead) -> bool:
    return any(n == 0 for n in printed_digits(read).values())


def _out_seeing(tried: list[tuple[TableRead, Assessment]], kept: int) -> tuple[int, str, bool]:
    """Given the readings tried and a passing one, return the reading to keep, a note, and
    whether it may be believed: a complete, passing reading placed for certain that saw
    digits the kept one dropped takes its place (it sees everything the kept one saw, and
    more); when the reading that out-sees it is no such reading, it is not believed."""
    note = ""
    for _ in range(len(tried)):  # out-seeing is a strict order: no cycle
        other = _out_seer(tried, kept)
        if other is None:
            return kept, note, True
        read, judged = tried[other]
        if judged.verdict != "passes" or read.guessed:
            return kept, _out_seen(tried, kept), False
        note = f"kept over the {tried[kept][0].method} reading, which dropped digits it saw"
        kept = other
    return kept, note, True


def _out_seer(tried: list[tuple[TableRead, Assessment]], kept: int) -> int | None:
    return next(
        (i for i, (other, _) in enumerate(tried) if i != kept and dropped(tried[kept][0], other)),
        None,
    )


def _out_seen(tried: list[tuple[TableRead, Assessment]], kept: int) -> str:
    """Given the readings tried and the one to keep, return why it cannot be believed when
    another reading saw digits it dropped (empty when none did)."""
    for i, (other, _) in enumerate(tried):
        if i == kept:
            continue
        cells = dropped(tried[kept][0], other)
        if cells:
            where = ", ".join(f"{r}/{c}" for r, c in cells[:5])
            return (
                f"the {other.method} reading saw digits this one read blank or shorter "
                f"({where}): not vouched for"
            )
    return ""


def _twins(a: tuple[TableRead, Assessment], b: tuple[TableRead, Assessment]) -> bool:
    """Tell whether two readings are independent and agree on every value, one of them
    placing every value by certain means: two guesses by the same header (the words and
    the text layer of one page) agree without being evidence."""
    independent_ = independent(a[0], b[0]) and not (a[0].guessed and b[0].guessed)
    return independent_ and agree(a[1].values, b[1].values)


def _decide(
    table: TableName,
    tried: list[tuple[TableRead, Assessment]],
    kept: int,
    confirmed: bool,
    why: str,
    verdict: ReadingVerdict | None = None,
) -> Choice:
    attempts = tuple(
        _attempt(read, judged, i == kept, why if i == kept else "", verdict if i == kept else None)
        for i, (read, judged) in enumerate(tried)
    )
    return Choice(table, tried[kept][0], attempts, confirmed)


def for_unread(own: Sequence[Reading], more: Sequence[Reading]) -> list[Reading]:
    """Given a document's own readings and more of them (OCR of its pictures), return
    them all, the more ones reading only the tables no own reading read whole (complete,
    passing its identities or failing them). Asked after every own reading has run, they
    leave the other tables out (no attempt at them): a picture is OCR'd only for a table
    the document's text does not hold, never beside one it does."""
    mine: list[Reading] = [(method, cache(read)) for method, read in own]

    def unread() -> set[TableName]:
        reads = [r for _, read in mine for r in read().values()]
        whole = {r.table for r in reads if assess(r).verdict in ("passes", "fails_checks")}
        return set(TABLE_NAMES) - whole

    def only_unread(
        read: Callable[[], dict[TableName, TableRead]],
    ) -> Callable[[], dict[TableName, TableRead]]:
        def run() -> dict[TableName, TableRead]:
            tables = unread()
            return {t: r for t, r in read().items() if t in tables} if tables else {}

        return run

    return [*mine, *((method, only_unread(read)) for method, read in more)]


def lazily(readings: list[Reading]) -> Callable[[TableName], Iterator[TableRead]]:
    """Given a document's readings (each reads every table at once), return a function
    that yields one table's reads, running each reading at most once, only when asked. A
    reading that leaves a table out did not read it (OCR of a PDF's pictures, of the
    tables its text layer read whole): it is no attempt at that table."""

    @cache
    def run(index: int) -> dict[TableName, TableRead]:
        return readings[index][1]()

    def reads(table: TableName) -> Iterator[TableRead]:
        for i in range(len(readings)):
            read = run(i).get(table)
            if read is not None:
                yield read

    return reads


def missing_cells(choice: Choice) -> str:
    """Given a table's choice, return the template cells its kept reading did not read,
    a whole row as ``row/*`` (empty when every cell was read)."""
    if choice.read is None:
        return ""
    missing = assess(choice.read).missing
    by_row: dict[str, list[str]] = {}
    for key in missing:
        row, col = key.split("/")
        by_row.setdefault(row, []).append(col)
    width = {row for row, _ in expected_keys(choice.read)}
    full = {r: len([k for k in expected_keys(choice.read) if k[0] == r]) for r in width}
    return ", ".join(
        f"{row}/*" if len(cols) == full.get(row) else ", ".join(f"{row}/{c}" for c in cols)
        for row, cols in by_row.items()
    )
