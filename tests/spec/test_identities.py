"""spec/identities.py: the template's own arithmetic over small grids, with exact checks."""

import pytest

from spec import codes
from spec.identities import (
    Check,
    appeal_checks,
    check_terms,
    report_checks,
    request_checks,
    table_checks,
)

SIX = ["natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org"]


# ---------------------------------------------------------------- table 三


def test_balance_per_applicant_column_present():
    grid = {
        ("new_received", "natural_person"): 5,
        ("carried_over", "natural_person"): 1,
        ("total_processed", "natural_person"): 4,
        ("carried_forward", "natural_person"): 2,
        ("new_received", "total"): 5,
        ("carried_over", "total"): None,  # blank counts as 0
        ("total_processed", "total"): 3,
        ("carried_forward", "total"): 1,
    }
    assert request_checks(grid) == [
        Check("requests_balance", "natural_person", 6.0, 6.0, True),
        Check("requests_balance", "total", 5.0, 4.0, False),
    ]


def test_no_balance_without_all_four_rows():
    grid = {
        ("new_received", "commercial"): 5,
        ("carried_over", "commercial"): 1,
        ("carried_forward", "commercial"): 2,
    }
    assert request_checks(grid) == []


def test_outcomes_sum_to_total_processed_over_the_rows_present():
    grid = {
        ("total_processed", "commercial"): 3,
        ("granted", "commercial"): 1,
        ("partially_granted", "commercial"): None,
        ("denied_state_secret", "commercial"): 1,
    }
    assert request_checks(grid) == [Check("requests_outcomes", "commercial", 3.0, 2.0, False)]
    grid[("other", "commercial")] = 1  # the single （六） row is an outcome too
    assert request_checks(grid) == [Check("requests_outcomes", "commercial", 3.0, 3.0, True)]


def test_intake_rows_are_no_outcome():
    grid = {
        ("new_received", "research"): 9,
        ("carried_over", "research"): 9,
        ("total_processed", "research"): 2,
        ("granted", "research"): 2,
        ("carried_forward", "research"): 16,
    }
    assert request_checks(grid) == [
        Check("requests_balance", "research", 18.0, 18.0, True),
        Check("requests_outcomes", "research", 2.0, 2.0, True),
    ]


def test_row_total_needs_all_seven_columns():
    values = [1, 2, None, 0, 0, 0, 4]
    grid = {("granted", a): v for a, v in zip([*SIX, "total"], values, strict=True)}
    assert request_checks(grid) == [Check("requests_row_total", "granted", 4.0, 3.0, False)]
    del grid[("granted", "research")]
    assert request_checks(grid) == []


def test_row_totals_in_template_order_with_other():
    grid = {
        (r, a): (6 if a == "total" else 1)
        for r in ("carried_forward", "other", "new_received")
        for a in [*SIX, "total"]
    }
    assert request_checks(grid) == [
        Check("requests_row_total", r, 6.0, 6.0, True)
        for r in ("new_received", "carried_forward", "other")
    ]


def test_a_whole_passing_table_three():
    """Every row 1 in each applicant column and 6 in 总计; 总计 and 结转 balanced."""
    rows = codes.request_row_codes(3)
    grid = {(r, a): 1 for r in rows for a in SIX} | {(r, "total"): 6 for r in rows}
    outcomes = 21  # the rows between 部分公开 and 总计, sub-rows of （六） included
    for a in SIX:
        grid[("new_received", a)] = outcomes
        grid[("carried_over", a)] = 1
        grid[("total_processed", a)] = outcomes
    grid |= {
        ("new_received", "total"): 6 * outcomes,
        ("total_processed", "total"): 6 * outcomes,
    }
    checks = request_checks(grid)
    assert all(c.passed for c in checks)
    assert [c.check_code for c in checks] == (
        ["requests_balance"] * 7 + ["requests_outcomes"] * 7 + ["requests_row_total"] * 25
    )


# ---------------------------------------------------------------- table 四


def test_appeal_total_per_proceeding_present():
    grid = {
        ("review", o): v
        for o, v in zip(
            ["upheld", "corrected", "other", "pending", "total"], [1, 2, None, 0, 3], strict=True
        )
    }
    grid |= {("litigation_direct", "upheld"): 2, ("litigation_direct", "total"): 1}
    assert appeal_checks(grid) == [
        Check("appeals_total", "review", 3.0, 3.0, True),
        Check("appeals_total", "litigation_direct", 1.0, 2.0, False),
    ]


def test_no_appeal_checks_without_every_outcome_column():
    assert appeal_checks({("review", "upheld"): 1, ("review", "total"): 1}) == []
    assert appeal_checks({}) == []


def test_a_blank_table_four_passes():
    grid = {(p, o): None for p in codes.proceedings() for o in codes.outcomes()}
    assert appeal_checks(grid) == [
        Check("appeals_total", p, 0.0, 0.0, True) for p in codes.proceedings()
    ]


# ---------------------------------------------------------------- together


def test_report_checks_are_both_tables_checks():
    requests = {("granted", a): 1 for a in SIX} | {("granted", "total"): 6}
    appeals = {("review", o): 0 for o in codes.outcomes()}
    assert report_checks(requests, appeals) == [
        Check("requests_row_total", "granted", 6.0, 6.0, True),
        Check("appeals_total", "review", 0.0, 0.0, True),
    ]
    assert report_checks({}, {}) == []


@pytest.mark.parametrize(
    ("table", "grid", "n"),
    [
        ("requests", {("granted", a): 0 for a in [*SIX, "total"]}, 1),
        ("appeals", {("review", o): 0 for o in codes.outcomes()}, 1),
        ("active", {("regulations", "issued"): 1}, 0),  # table 二 has none of its own
    ],
)
def test_table_checks(table, grid, n):
    assert len(table_checks(table, grid)) == n


@pytest.mark.parametrize(
    ("check", "expected", "actual"),
    [
        (
            Check("requests_balance", "commercial", 0, 0, True),
            [("new_received", "commercial"), ("carried_over", "commercial")],
            [("total_processed", "commercial"), ("carried_forward", "commercial")],
        ),
        (
            Check("requests_outcomes", "commercial", 0, 0, True),
            [("total_processed", "commercial")],
            [("granted", "commercial"), ("denied_state_secret", "commercial")],
        ),
        (
            Check("requests_row_total", "granted", 0, 0, True),
            [("granted", "total")],
            [("granted", a) for a in SIX],
        ),
        (
            Check("appeals_total", "review", 0, 0, True),
            [("review", "total")],
            [("review", o) for o in ("upheld", "corrected", "other", "pending")],
        ),
    ],
)
def test_check_terms(check, expected, actual):
    rows = {"total_processed", "granted", "denied_state_secret"}
    assert check_terms(check, rows) == (expected, actual)


def test_check_terms_of_a_cross_report_check():
    with pytest.raises(ValueError, match="carry_over_continuity"):
        check_terms(Check("carry_over_continuity", "total", 0, 0, True), set())
