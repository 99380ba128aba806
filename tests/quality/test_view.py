"""The report view, pure: each identity's cells, the sides it prints, raw text that differs,
and a document the warehouse would refuse still shown with the reason."""

from __future__ import annotations

import random

import pytest

from flows.inspect import inspect_file
from quality.view import raw_differs
from spec.identities import check_terms, report_checks
from tests.docgen.layout import Style
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth


@pytest.mark.parametrize("seed", range(12))
def test_the_cells_of_each_identity_sum_to_its_two_sides(seed):
    rng = random.Random(seed)
    template = rng.choice(["2019", "2021"])
    truth = random_truth(
        rng,
        template,
        other_rows=rng.choice([1, 3]),
        consistent=seed % 3 != 0,
        blank_share=0.3 * (seed % 2),
    )
    rows = {r for r, _ in truth.requests}
    checks = report_checks(truth.requests, truth.appeals)
    assert len(checks) == 7 + 7 + len(rows) + 3
    for check in checks:
        grid = truth.appeals if check.check_code == "appeals_total" else truth.requests
        left, right = check_terms(check, rows)
        assert sum(grid[k] or 0 for k in left) == check.expected, check
        assert sum(grid[k] or 0 for k in right) == check.actual, check
        assert not set(left) & set(right)


@pytest.mark.parametrize(
    ("raw", "text", "differs"),
    [
        ("１２", "12", False),
        (" 7 ", "7", False),
        ("", "", False),
        ("1,234", "1234", True),
        ("-", "", True),
        ("0元", "0", True),
        ("12.5万元", "12.5", True),
    ],
)
def test_raw_text_differs_beyond_width_and_white_space(raw, text, differs):
    assert raw_differs(raw, text) is differs


def test_each_identity_prints_its_two_sides(tmp_path):
    truth = random_truth(random.Random(2), "2021")
    path = tmp_path / "r.md"
    path.write_bytes(render_text(truth, Style()))
    view = inspect_file(path).view
    sides = {i.check_code: (i.expected_side, i.actual_side) for i in view.identities}
    assert sides == {
        "requests_balance": ("new_received + carried_over", "total_processed + carried_forward"),
        "requests_outcomes": ("total_processed", "sum of 21 rows (granted … other_misc)"),
        "requests_row_total": ("total", "sum of 6 columns (natural_person … other_org)"),
        "appeals_total": ("total", "upheld + corrected + other + pending"),
    }
    assert [i.subject for i in view.identities[:7]] == [
        "natural_person",
        "commercial",
        "research",
        "nonprofit",
        "legal_services",
        "other_org",
        "total",
    ]


def test_a_report_without_a_year_is_shown_with_the_reason(tmp_path):
    truth = random_truth(random.Random(1), "2021")
    text = render_text(truth, Style()).decode().split("\n", 1)[1]  # no title line
    path = tmp_path / "untitled.md"
    path.write_text(text, encoding="utf-8")
    inspection = inspect_file(path)
    assert inspection.view.heading.year is None
    assert inspection.view.problems[-1] == "not loadable: missing_year"
    assert [t.read for t in inspection.view.tables] == [10, 175, 15]
