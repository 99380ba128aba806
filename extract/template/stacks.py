"""Stacked digits: a narrow cell prints a number's digits one above the other (「１」 above
「０」 for 10). They are one number, for a cell with digits printed in it is never blank."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.labels import squash
from extract.template.tokens import Word, bbox_of, text_of
from extract.template.tolerances import STACK_ACROSS, STACK_GAP

_DIGITS = re.compile(r"[0-9０-９]+")


def is_stacked(upper: Word, lower: Word) -> bool:
    """Given two words, tell whether the lower is the next digits of the upper's number
    printed stacked in a narrow cell (「１」 above 「０」 for 10): digits both, on one
    page, across from each other, the lower on the next line down."""
    if upper.page != lower.page:
        return False
    if not (_DIGITS.fullmatch(squash(upper.text)) and _DIGITS.fullmatch(squash(lower.text))):
        return False
    size = min(upper.bottom - upper.top, lower.bottom - lower.top)
    across = min(upper.x1, lower.x1) - max(upper.x0, lower.x0)
    narrow = min(upper.x1 - upper.x0, lower.x1 - lower.x0)
    return (
        across > STACK_ACROSS * narrow
        and STACK_GAP[0] * size <= lower.top - upper.bottom < STACK_GAP[1] * size
    )


def digit_stacks(values: Sequence[Word], above: Sequence[Word] = ()) -> list[list[Word]]:
    """Given the value words of one row of a table (table 四's data row: however many
    lines its cells take) and digit words just above it (read with the header's lines),
    return the values grouped into the numbers they print, each group top to bottom: the
    digits of a number printed stacked in a narrow cell (「１」 above 「０」 for 10) are one
    number, for a cell with digits printed in it is never blank. A word ``above`` counts
    only as the top of a number whose rest is among the values."""
    stacks: list[list[Word]] = []
    for w in sorted([*values, *above], key=lambda w: (w.page, w.top, w.x0)):
        i = next((i for i in range(len(stacks) - 1, -1, -1) if is_stacked(stacks[i][-1], w)), None)
        if i is None:
            stacks.append([w])
        else:
            stacks[i].append(w)
    tops = {id(w) for w in above}
    return [s for s in stacks if any(id(w) not in tops for w in s)]


def join_stack(stack: Sequence[Word]) -> Word:
    """Given a number's words top to bottom, return them as one word."""
    if len(stack) == 1:
        return stack[0]
    x0, top, x1, bottom = bbox_of(stack)
    return Word(text_of(stack), x0, x1, top, bottom, stack[0].size, stack[0].page, stack[0].source)


def stack_digits(values: Sequence[Word], above: Sequence[Word] = ()) -> list[Word]:
    """Given a row's value words and digit words above it, return its numbers, the digits
    of each printed stacked joined into one word (see :func:`digit_stacks`)."""
    return [join_stack(s) for s in digit_stacks(values, above)]
