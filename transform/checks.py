"""The contract's checks on one report's table 三 and 四 values. A blank cell counts as 0.

Pure Python over (row, column) -> value grids: checks run in the extraction
workers, which never import pandas.
"""

from __future__ import annotations

from extract import codes

CHECK_COLUMNS = ["check_code", "subject", "expected", "actual", "passed"]

_OUTCOME_ROWS = [
    r.row_code
    for r in codes.request_rows()
    if r.outcome_group not in ("intake", "total", "carried_forward")
]
_SIX = [a for a in codes.applicants() if a != "total"]
_PARTS = ["upheld", "corrected", "other", "pending"]

Grid = dict[tuple[str, str], int | None]


def _check(check: str, subject: str, expected: float, actual: float) -> tuple:
    return (check, subject, float(expected), float(actual), float(expected) == float(actual))


def report_checks(requests: Grid, appeals: Grid) -> list[tuple]:
    """Given one report's table 三 and 四 grids, return a row per check and subject (CHECK_COLUMNS)."""
    out: list[tuple] = []

    def v(grid: Grid, row: str, col: str) -> int:
        return grid.get((row, col)) or 0

    rows = {r for r, _ in requests}
    cols = [a for a in codes.applicants() if any(c == a for _, c in requests)]
    if {"new_received", "carried_over", "total_processed", "carried_forward"} <= rows:
        for a in cols:
            out.append(
                _check(
                    "requests_balance",
                    a,
                    v(requests, "new_received", a) + v(requests, "carried_over", a),
                    v(requests, "total_processed", a) + v(requests, "carried_forward", a),
                )
            )
    present = [r for r in _OUTCOME_ROWS if r in rows]
    if "total_processed" in rows and present:
        for a in cols:
            out.append(
                _check(
                    "requests_outcomes",
                    a,
                    v(requests, "total_processed", a),
                    sum(v(requests, r, a) for r in present),
                )
            )
    if "total" in cols and set(_SIX) <= set(cols):
        for r in [r for r in codes.request_row_codes(3) + ("other",) if r in rows]:
            out.append(
                _check(
                    "requests_row_total",
                    r,
                    v(requests, r, "total"),
                    sum(v(requests, r, a) for a in _SIX),
                )
            )
    outcomes = {o for _, o in appeals}
    if set(_PARTS + ["total"]) <= outcomes:
        for p in [p for p in codes.proceedings() if any(q == p for q, _ in appeals)]:
            out.append(
                _check(
                    "appeals_total",
                    p,
                    v(appeals, p, "total"),
                    sum(v(appeals, p, o) for o in _PARTS),
                )
            )
    return out
