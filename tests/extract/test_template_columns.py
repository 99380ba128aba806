"""Where values stand against their headers: when placing a row by position is a guess."""

import pytest

from extract.template.columns import placement_is_guess
from extract.template.tokens import Word


def word(text: str, x0: float, x1: float) -> Word:
    return Word(text, x0, x1, 100, 110, 10, 1)


# Three columns 100 points wide (0-100, 100-200, 200-300).
CENTRED = [(35, 65), (135, 165), (235, 265)]  # short headers in the middle of their cells
LEFT = [(5, 35), (105, 135), (205, 235)]  # short headers at the left of their cells
WIDE = [(5, 95), (105, 195), (205, 295)]  # headers wrapped to the width of their cells


@pytest.mark.parametrize(
    ("values", "blocks", "guess"),
    [
        # a number near its header's centre: certain
        ([word("7", 47, 53), word("9", 247, 253)], CENTRED, False),
        # right-aligned numbers under short left-aligned headers: the number at 90 stands
        # nearer the second header's centre than the first's; which column is a guess
        ([word("7", 84, 95)], LEFT, True),
        # the same number under a header that fills its cell: certain
        ([word("7", 84, 95)], WIDE, False),
        # a left-aligned number touching its centred header's text: certain
        ([word("7", 30, 37)], CENTRED, False),
        # a nothing mark reads blank in any column: no guess
        ([word("—", 84, 95)], LEFT, False),
        # every column filled: nothing to place
        ([word("1", 84, 95), word("2", 184, 195), word("3", 284, 295)], LEFT, False),
    ],
)
def test_placement_is_a_guess_only_where_the_header_cannot_tell(values, blocks, guess):
    assert placement_is_guess(values, blocks, values) is guess


def test_a_column_of_values_elsewhere_in_the_table_shows_where_values_stand():
    row = [word("7", 84, 95)]
    table = [*row, word("1", 184, 195), word("2", 284, 295)]
    assert placement_is_guess(row, LEFT, table) is False
