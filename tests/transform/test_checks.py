"""Checks and status on generated reports with known arithmetic."""

import random

from extract.dispatch import extract_document
from tests.docgen.compare import report_frames
from tests.docgen.layout import Style
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth


def frames_of(truth, style=Style()):
    report = extract_document(render_text(truth, style), "r.txt")
    return report_frames(report, "r")


def test_consistent_report_passes_every_check():
    frames = frames_of(random_truth(random.Random(1), "2021"))
    counts = frames.checks.groupby("check_code").size().to_dict()
    assert counts == {
        "requests_balance": 7,
        "requests_outcomes": 7,
        "requests_row_total": 25,
        "appeals_total": 3,
    }
    assert frames.checks["passed"].all()
    assert frames.report.status == "valid"


def test_wrong_arithmetic_is_inconsistent_and_numbers_kept():
    truth = random_truth(random.Random(1), "2021")
    truth.requests[("granted", "natural_person")] += 3
    frames = frames_of(truth)
    assert frames.report.status == "inconsistent"
    failed = frames.checks[~frames.checks["passed"]]
    got = {(r.check_code, r.subject): (r.expected, r.actual) for r in failed.itertuples()}
    total = truth.requests[("total_processed", "natural_person")]
    row_total = truth.requests[("granted", "total")]
    assert got == {
        ("requests_outcomes", "natural_person"): (total, total + 3),
        ("requests_row_total", "granted"): (row_total, row_total + 3),
    }
    stored = frames.requests.set_index(["row_code", "applicant"]).loc[
        ("granted", "natural_person"), "value"
    ]
    assert stored == truth.requests[("granted", "natural_person")]


def test_blank_cells_count_as_zero_in_checks():
    truth = random_truth(random.Random(3), "2019", blank_share=1.0)
    frames = frames_of(truth, Style(blank="—"))
    assert frames.requests["value"].isna().any()
    assert frames.checks["passed"].all()


def test_missing_table_is_partial():
    truth = random_truth(random.Random(2), "2021")
    text = render_text(truth).decode()
    cut = text.index("## 四、")
    text = text[:cut] + "## 五、存在的主要问题及改进情况\n\n无。\n"
    report = extract_document(text.encode(), "r.txt")
    frames = report_frames(report, "r")
    assert frames.report.status == "partial"
    assert "table 四 not found" in frames.report.problems
    assert len(frames.requests) == 175
