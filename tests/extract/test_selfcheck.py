"""extract/selfcheck.py: which reading of a table is kept, and when failing identities
are believed."""

import pytest

from extract.records import Attempt, Cell, TableRead
from extract.selfcheck import (
    agree,
    assess,
    choose,
    dropped,
    expected_keys,
    lazily,
    missing_cells,
)
from spec import codes
from tests.docgen.rows import APPEAL_KEYS

# Table 四 with every proceeding's total the sum of its parts; then one total off by one,
# and off by two (a reading that disagrees on that value).
GOOD = ["1", "2", "0", "0", "3"] * 3
BAD = ["1", "2", "0", "0", "4", *GOOD[5:]]
WORSE = ["1", "2", "0", "0", "5", *GOOD[5:]]
TWO_BAD = ["1", "2", "0", "0", "4", "1", "2", "0", "0", "4", *GOOD[10:]]


def appeals(raws, method="grid", **kw) -> TableRead:
    """Given table 四's cell texts in template order (the first of them when fewer), return
    a reading of them."""
    cells = tuple(
        Cell("appeals", p, o, raw) for (p, o), raw in zip(APPEAL_KEYS, raws, strict=False)
    )
    return TableRead("appeals", method, cells, found=True, **kw)


def verdicts(choice) -> list[tuple[str, str, bool]]:
    return [(a.method, a.verdict, a.chosen) for a in choice.attempts]


# ---------------------------------------------------------------- assess


def test_a_complete_reading_whose_identities_hold_passes():
    judged = assess(appeals(GOOD))
    assert (judged.verdict, judged.expected, judged.failed_checks, judged.missing) == (
        "passes",
        15,
        0,
        (),
    )
    assert judged.values[("review", "total")] == 3


def test_a_complete_reading_whose_identities_fail():
    assert assess(appeals(TWO_BAD)).verdict == "fails_checks"
    assert assess(appeals(TWO_BAD)).failed_checks == 2


def test_blank_and_nothing_marks_count_as_zero():
    judged = assess(appeals(["", "-", "—", "/", "无"] * 3))
    assert judged.verdict == "passes"
    assert set(judged.values.values()) == {None}


@pytest.mark.parametrize(
    ("read", "missing"),
    [
        (appeals(GOOD[:14]), ("litigation_after_review/total",)),
        (appeals(["x", *GOOD[1:]]), ("review/upheld",)),  # text that is no number
        (appeals(["1.5", *GOOD[1:]]), ("review/upheld",)),  # a count is whole
        (appeals(GOOD, unplaced=1), ()),  # a value seen but not placed
    ],
    ids=["a cell short", "not a number", "a fraction", "unplaced"],
)
def test_incomplete_readings(read, missing):
    judged = assess(read)
    assert (judged.verdict, judged.missing, judged.failed_checks) == ("incomplete", missing, 0)


def test_not_found():
    assert assess(TableRead("appeals", "grid")).verdict == "not_found"
    # table 二 with no template: nothing the template calls for
    active = TableRead(
        "active", "grid", (Cell("active", "regulations", "issued", "1"),), found=True
    )
    assert assess(active).verdict == "not_found"


def test_table_two_has_no_identities_of_its_own():
    cells = tuple(Cell("active", c.item, c.metric, "1") for c in codes.active_cells("2021"))
    judged = assess(TableRead("active", "grid", cells, found=True, template="2021"))
    assert (judged.verdict, judged.expected) == ("passes", 10)


@pytest.mark.parametrize(
    ("rows", "n"),
    [({"granted"}, 23), ({"granted", "other_misc"}, 25)],
)
def test_expected_keys_of_table_three_follow_its_other_rows(rows, n):
    cells = tuple(Cell("requests", r, "total", "0") for r in rows)
    keys = expected_keys(TableRead("requests", "grid", cells, found=True))
    assert len(keys) == n * 7


# ---------------------------------------------------------------- choose


class Readings:
    """Readings of table 四 that record whether they were run."""

    def __init__(self, *reads: tuple[str, list[str] | None]):
        self.ran: list[str] = []
        self.readings = [(method, self._reading(method, raws)) for method, raws in reads]

    def _reading(self, method, raws):
        def run():
            self.ran.append(method)
            if raws is None:  # the reading leaves table 四 out
                return {}
            found = appeals(raws, method) if raws else TableRead("appeals", method)
            return {"appeals": found}

        return run

    def choose(self):
        return choose("appeals", lazily(self.readings)("appeals"))


def test_the_first_passing_reading_is_kept_and_no_later_one_is_run():
    readings = Readings(("grid", GOOD), ("lines", GOOD), ("words", GOOD))
    choice = readings.choose()
    assert readings.ran == ["grid"]
    assert choice.read.method == "grid"
    assert not choice.confirmed
    assert choice.attempts == (
        Attempt("appeals", "grid", "passes", 15, 15, 0, True, "complete; identities pass"),
    )


def test_a_later_reading_is_run_when_the_first_falls_short():
    readings = Readings(("grid", GOOD[:10]), ("lines", GOOD), ("words", GOOD))
    choice = readings.choose()
    assert readings.ran == ["grid", "lines"]
    assert choice.read.method == "lines"
    assert verdicts(choice) == [("grid", "incomplete", False), ("lines", "passes", True)]


def test_a_reading_that_does_not_read_the_table_is_not_found():
    readings = Readings(("grid", []), ("lines", GOOD))
    choice = readings.choose()
    assert verdicts(choice) == [("grid", "not_found", False), ("lines", "passes", True)]


def test_a_reading_that_leaves_the_table_out_made_no_attempt_at_it():
    # OCR of a PDF's pictures leaves out the tables its text layer read whole: it read
    # nothing of them, and says nothing of them (no attempt that could read as OCR run)
    readings = Readings(("grid", None), ("lines", GOOD))
    assert verdicts(readings.choose()) == [("lines", "passes", True)]
    assert Readings(("grid", None)).choose().attempts == ()


def test_failing_identities_believed_when_two_methods_agree():
    readings = Readings(("grid", BAD), ("lines", BAD))
    choice = readings.choose()
    assert choice.confirmed
    assert choice.read.method == "grid"
    assert verdicts(choice) == [("grid", "fails_checks", True), ("lines", "fails_checks", False)]
    assert choice.attempts[0].note == "identities fail; the lines reading agrees on every value"


def test_failing_identities_agreed_after_a_disagreeing_reading():
    readings = Readings(("grid", WORSE), ("lines", BAD), ("words", BAD))
    choice = readings.choose()
    assert choice.confirmed
    assert choice.read.method == "lines"


def test_failing_readings_that_disagree_are_not_believed():
    readings = Readings(("grid", TWO_BAD), ("lines", BAD))
    choice = readings.choose()
    assert not choice.confirmed
    # the reading with the fewest failing identities is kept
    assert choice.read.method == "lines"
    assert choice.attempts[1].note == (
        "identities fail and no independent reading agrees: not believed"
    )


def test_two_readings_by_one_method_are_not_independent():
    choice = choose("appeals", [appeals(BAD, "words"), appeals(BAD, "words")])
    assert not choice.confirmed


def test_a_passing_reading_after_failing_ones_is_kept():
    choice = Readings(("grid", BAD), ("lines", BAD), ("words", GOOD)).choose()
    assert (choice.read.method, choice.confirmed) == ("words", False)


def test_no_complete_reading_keeps_the_one_with_most_cells():
    readings = Readings(("grid", GOOD[:10]), ("lines", GOOD[:12]), ("words", GOOD[:12]))
    choice = readings.choose()
    assert choice.read.method == "lines"  # the first of the fullest
    assert verdicts(choice) == [
        ("grid", "incomplete", False),
        ("lines", "incomplete", True),
        ("words", "incomplete", False),
    ]
    assert choice.attempts[1].note == "no reading is complete"
    assert missing_cells(choice) == (
        "litigation_after_review/other, litigation_after_review/pending, "
        "litigation_after_review/total"
    )


def test_no_reading_at_all():
    choice = choose("appeals", [])
    assert (choice.read, choice.attempts, choice.confirmed) == (None, (), False)
    assert missing_cells(choice) == ""


def test_a_whole_row_missing_is_named_as_the_row():
    choice = choose("appeals", [appeals(GOOD[:10])])
    assert missing_cells(choice) == "litigation_after_review/*"


# ---------------------------------------------------------------- guesses


def test_a_guess_alone_is_unconfirmed():
    choice = choose("appeals", [appeals(GOOD, "words", guessed=True)])
    assert choice.read.method == "words"
    assert verdicts(choice) == [("words", "unconfirmed", True)]
    assert choice.attempts[0].note == (
        "values placed by position alone and no reading placed them for certain: not vouched for"
    )


def test_two_guesses_by_the_same_header_do_not_vouch_for_each_other():
    # The words and the text layer of one page place values by the same header: where the
    # header is aligned unlike its values both guess alike, right or wrong (seed 43,
    # pdf-unruled document 53 was stored with a value in the wrong column this way).
    choice = choose(
        "appeals", [appeals(GOOD, "words", guessed=True), appeals(GOOD, "text", guessed=True)]
    )
    assert choice.read.method == "words"
    assert verdicts(choice) == [("words", "unconfirmed", True), ("text", "passes", False)]


def test_a_source_error_is_not_believed_on_two_guesses():
    choice = choose(
        "appeals", [appeals(BAD, "words", guessed=True), appeals(BAD, "text", guessed=True)]
    )
    assert verdicts(choice) == [("words", "fails_checks", True), ("text", "fails_checks", False)]
    assert not choice.confirmed


def test_a_source_error_is_believed_on_a_guess_and_a_certain_reading():
    choice = choose("appeals", [appeals(BAD, "words", guessed=True), appeals(BAD, "lines")])
    assert choice.confirmed


def test_a_guess_gives_way_to_a_reading_that_needs_no_guess():
    choice = choose("appeals", [appeals(GOOD, "words", guessed=True), appeals(GOOD, "lines")])
    assert choice.read.method == "lines"
    assert verdicts(choice) == [("words", "passes", False), ("lines", "passes", True)]


def test_a_guess_is_not_vouched_for_by_a_disagreeing_guess():
    other = ["2", "1", "0", "0", "3", *GOOD[5:]]  # passes too, two values swapped
    choice = choose(
        "appeals", [appeals(GOOD, "words", guessed=True), appeals(other, "text", guessed=True)]
    )
    assert choice.read.method == "words"
    assert verdicts(choice) == [("words", "unconfirmed", True), ("text", "passes", False)]


def test_a_guess_is_not_vouched_for_by_the_same_method():
    choice = choose(
        "appeals", [appeals(GOOD, "words", guessed=True), appeals(GOOD, "words", guessed=True)]
    )
    assert verdicts(choice)[0] == ("words", "unconfirmed", True)


# ---------------------------------------------------------------- agree, lazily


@pytest.mark.parametrize(
    ("a", "b", "agreed"),
    [
        ({("r", "c"): 1}, {("r", "c"): 1}, True),
        ({("r", "c"): None}, {("r", "c"): 0}, True),  # a blank is 0
        ({("r", "c"): 1.0}, {("r", "c"): 1}, True),
        ({("r", "c"): 1}, {("r", "c"): 2}, False),
        ({("r", "c"): 1}, {("r", "d"): 1}, False),  # other cells
        ({("r", "c"): 1}, {("r", "c"): 1, ("r", "d"): None}, False),
        ({}, {}, True),
    ],
)
def test_agree(a, b, agreed):
    assert agree(a, b) is agreed


def test_lazily_runs_each_reading_once_for_every_table():
    calls = []

    def grid():
        calls.append("grid")
        return {"appeals": appeals(GOOD), "requests": TableRead("requests", "grid")}

    reads = lazily([("grid", grid)])
    assert calls == []
    assert [r.method for r in reads("appeals")] == ["grid"]
    assert [(r.table, r.found) for r in reads("requests")] == [("requests", False)]
    assert list(reads("active")) == []  # left out: not read
    assert calls == ["grid"]


# ---------------------------------------------------------------- no reading that drops a character wins

# Table 四 as printed: 1 + 12 + 0 + 0 = 13 for review; a reading that dropped the 「1」 of
# 12 and 13 and the 「0」 of corrected still passes (1 + 2 + blank + 0 = 3): blank counts 0.
PRINTED = ["1", "12", "0", "0", "13", *GOOD[5:]]
DROPPED = ["1", "2", "", "0", "3", *GOOD[5:]]
BLANKED = ["1", "2", "", "0", "3", *GOOD[5:]]  # only the 0 dropped (GOOD with a blank)
SEEN = GOOD  # the same table with its 0 read


def test_a_passing_reading_with_a_blank_asks_the_next_and_gives_way_to_one_that_saw_more():
    readings = Readings(("grid", BLANKED), ("lines", SEEN), ("words", SEEN))
    choice = readings.choose()
    assert readings.ran == ["grid", "lines"]  # one more reading, not every one
    assert choice.read.method == "lines"
    assert verdicts(choice) == [("grid", "passes", False), ("lines", "passes", True)]
    assert "kept over the grid reading, which dropped digits it saw" in choice.attempts[1].note


def test_a_passing_reading_out_seen_by_a_reading_that_cannot_be_kept_is_unconfirmed():
    # A guess saw 12 and 13 where the certain reading read 2 and 3: the certain reading's
    # identities hold only because it dropped characters, and the guess cannot be kept.
    choice = choose("appeals", [appeals(PRINTED, "words", guessed=True), appeals(DROPPED, "lines")])
    assert verdicts(choice) == [("words", "passes", False), ("lines", "unconfirmed", True)]
    note = choice.attempts[1].note
    assert "the words reading saw digits this one read blank or shorter" in note
    assert "review/corrected, review/other, review/total" in note


def test_a_failing_reading_that_saw_more_leaves_a_passing_one_unconfirmed():
    seen_more = ["1", "12", "0", "0", "14", *GOOD[5:]]  # fails: 1 + 12 ≠ 14
    choice = choose("appeals", [appeals(seen_more, "words"), appeals(DROPPED, "lines")])
    assert verdicts(choice) == [("words", "fails_checks", False), ("lines", "unconfirmed", True)]


def test_a_source_error_is_not_believed_when_a_third_reading_saw_more():
    twins = ["1", "2", "", "0", "4", *GOOD[5:]]  # both agree, fail; a third saw the 0 and 14
    more = ["1", "2", "0", "0", "14", *GOOD[5:]]
    choice = choose(
        "appeals", [appeals(more, "words"), appeals(twins, "lines"), appeals(twins, "grid")]
    )
    assert not choice.confirmed
    assert "the words reading saw digits" in next(a.note for a in choice.attempts if a.chosen)


def test_a_reading_with_a_misread_number_still_out_sees_one_that_dropped_a_0():
    # A reading that saw the 0 the passing one dropped, but misread one number with a
    # digit fewer (12 as 1), was taken for a shifted reading, and the drop went unseen
    # (a blank counts as 0). One misread is no shift: it leaves no cell blank.
    dropped_0 = ["1", "12", "", "0", "13", *GOOD[5:]]
    misread = ["1", "1", "0", "0", "13", *GOOD[5:]]  # 12 read 1: fails, and a digit fewer
    choice = choose("appeals", [appeals(dropped_0, "ocr-words"), appeals(misread, "ocr-grid")])
    assert verdicts(choice) == [
        ("ocr-words", "unconfirmed", True),
        ("ocr-grid", "fails_checks", False),
    ]


def test_a_shifted_reading_does_not_out_see():
    # The other reading has digits where the kept one is blank, but misses digits the kept
    # one saw: its values are shifted, not more complete.
    shifted = ["1", "", "2", "0", "3", *GOOD[5:]]
    choice = choose("appeals", [appeals(BLANKED, "grid"), appeals(shifted, "lines")])
    assert verdicts(choice) == [("grid", "passes", True), ("lines", "passes", False)]
    assert choice.attempts[0].note == "complete; identities pass"


@pytest.mark.parametrize(
    ("kept", "other", "cells"),
    [
        (BLANKED, SEEN, [("review", "other")]),
        (DROPPED, PRINTED, [("review", "corrected"), ("review", "other"), ("review", "total")]),
        (SEEN, BLANKED, []),  # the other saw less
        (SEEN, SEEN, []),
        (BLANKED, ["1", "", "2", "0", "3", *GOOD[5:]], []),  # shifted
        (BLANKED, ["1", "2", "0", "0"], []),  # incomplete: misses digits the kept one saw
        # one number misread with a digit fewer (12 as 1), not a shift: the 0 it saw was
        # still dropped
        (
            ["1", "12", "", "0", "13", *GOOD[5:]],
            ["1", "1", "0", "0", "13", *GOOD[5:]],
            [("review", "other")],
        ),  # fmt: skip
        (
            ["-", "1", "", "0", "1"],
            ["0", "1", "0", "0", "1"],
            [("review", "upheld"), ("review", "other")],
        ),
    ],
)
def test_dropped(kept, other, cells):
    assert sorted(dropped(appeals(kept), appeals(other, "lines"))) == sorted(cells)


def test_a_source_error_read_by_ocr_is_believed_only_where_every_number_is_witnessed():
    # Class: ocr_source_error_witnessed. Two readings of one OCR pass place the same
    # recognised characters; where every number was read alike by two recognitions of
    # its ink (the cell's own crop and the detector's line), a misread must have
    # happened twice, so two such readings agreeing on failing identities are evidence
    # of the source's own error (inconsistent), not of ours.
    bare = [appeals(BAD, "ocr-grid"), appeals(BAD, "ocr-words")]
    assert not choose("appeals", bare).confirmed
    seen = [appeals(BAD, "ocr-grid", witnessed=True), appeals(BAD, "ocr-words", witnessed=True)]
    choice = choose("appeals", seen)
    assert choice.confirmed
    assert choice.attempts[0].note == "identities fail; the ocr-words reading agrees on every value"
    half = [appeals(BAD, "ocr-grid", witnessed=True), appeals(BAD, "ocr-words")]
    assert not choose("appeals", half).confirmed
