"""Table 三's arithmetic as a witness to where a row's numbers stand when the row has
blanks (extract/template/placements.py)."""

from __future__ import annotations

from dataclasses import replace

from extract.records import Cell, TableRead
from extract.selfcheck import choose
from extract.template.placements import placed_by_arithmetic
from spec import codes
from spec.identities import request_checks

SEVEN = codes.applicants()


def _read(rows: dict[str, list[str]]) -> TableRead:
    """Table 三 with the given rows (seven raw cells each, "" blank), every other row
    blank."""
    cells = [
        Cell("requests", row, col, raw)
        for row in codes.request_row_codes(1)
        for col, raw in zip(SEVEN, rows.get(row, [""] * 7), strict=True)
    ]
    return TableRead("requests", "words", tuple(cells), (), True)


# Three requests from natural persons: granted, not held, needs creation; zeros blank.
ONLY_NATURAL = {
    "new_received": ["3", "", "", "", "", "", "3"],
    "total_processed": ["3", "", "", "", "", "", "3"],
    "granted": ["1", "", "", "", "", "", "1"],
    "unavailable_not_held": ["1", "", "", "", "", "", "1"],
    "unavailable_needs_creation": ["1", "", "", "", "", "", "1"],
}


def test_rows_that_could_all_move_to_another_column_together_are_not_pinned():
    # Every number could stand under 商业企业 instead, and every identity would hold.
    assert not placed_by_arithmetic(_read(ONLY_NATURAL))


def test_a_full_row_pins_the_rows_with_blanks_through_the_column_identities():
    rows = ONLY_NATURAL | {"granted": ["1", "0", "0", "0", "0", "0", "1"]}
    assert _passes(rows) and _passes(ONLY_NATURAL)
    assert placed_by_arithmetic(_read(rows))


def test_numbers_that_could_stand_in_either_of_two_columns_are_not_pinned():
    rows = {
        "new_received": ["2", "1", "", "", "", "", "3"],
        "total_processed": ["2", "1", "", "", "", "", "3"],
        "granted": ["1", "0", "0", "0", "0", "0", "1"],
        "unavailable_not_held": ["1", "", "", "", "", "", "1"],
        "unavailable_needs_creation": ["", "1", "", "", "", "", "1"],
    }
    # The identities hold as read, and as well with not held under 商业企业 and needs
    # creation under 自然人: the arithmetic cannot tell which.
    assert _passes(rows)
    swapped = rows | {
        "unavailable_not_held": rows["unavailable_needs_creation"],
        "unavailable_needs_creation": rows["unavailable_not_held"],
    }
    assert _passes(swapped)
    assert not placed_by_arithmetic(_read(rows))


def _passes(rows: dict[str, list[str]]) -> bool:
    grid = {(c.row, c.col): int(c.raw) if c.raw else None for c in _read(rows).cells}
    return all(c.passed for c in request_checks(grid))


def test_a_reading_whose_identities_fail_is_not_pinned():
    rows = ONLY_NATURAL | {
        "granted": ["1", "0", "0", "0", "0", "0", "1"],
        "unavailable_needs_creation": ["2", "", "", "", "", "", "2"],
    }
    assert not _passes(rows)
    assert not placed_by_arithmetic(_read(rows))


def test_a_guess_the_arithmetic_pins_is_believed_and_one_it_does_not_is_not():
    pinned = replace(_read(ONLY_NATURAL | {"granted": ["1"] + ["0"] * 5 + ["1"]}), guessed=True)
    loose = replace(_read(ONLY_NATURAL), guessed=True)
    assert choose("requests", [pinned]).attempts[0].verdict == "passes"
    assert choose("requests", [loose]).attempts[0].verdict == "unconfirmed"
