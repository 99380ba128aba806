"""The contract's checks on one report's long frames. A blank cell counts as 0."""

from __future__ import annotations

import pandas as pd

from extract import codes

CHECK_COLUMNS = ["check_code", "subject", "expected", "actual", "passed"]

_OUTCOME_ROWS = [
    r.row_code
    for r in codes.request_rows()
    if r.outcome_group not in ("intake", "total", "carried_forward")
]
_SIX = [a for a in codes.applicants() if a != "total"]
_PARTS = ["upheld", "corrected", "other", "pending"]


def _rows(check: str, subjects, expected, actual) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "check_code": check,
            "subject": list(subjects),
            "expected": list(expected),
            "actual": list(actual),
        }
    )
    frame["expected"] = frame["expected"].astype("float64")
    frame["actual"] = frame["actual"].astype("float64")
    frame["passed"] = frame["expected"] == frame["actual"]
    return frame


def report_checks(requests: pd.DataFrame, appeals: pd.DataFrame) -> pd.DataFrame:
    """Given one report's requests and appeals frames, return one row per check and subject."""
    out = []
    if not requests.empty:
        grid = requests.assign(v=requests["value"].fillna(0).astype("int64")).pivot_table(
            index="row_code", columns="applicant", values="v", aggfunc="sum"
        )
        rows, cols = set(grid.index), list(grid.columns)
        if {"new_received", "carried_over", "total_processed", "carried_forward"} <= rows:
            out.append(
                _rows(
                    "requests_balance",
                    cols,
                    grid.loc["new_received", cols] + grid.loc["carried_over", cols],
                    grid.loc["total_processed", cols] + grid.loc["carried_forward", cols],
                )
            )
        present = [r for r in _OUTCOME_ROWS if r in rows]
        if "total_processed" in rows and present:
            out.append(
                _rows(
                    "requests_outcomes",
                    cols,
                    grid.loc["total_processed", cols],
                    grid.loc[present, cols].sum(),
                )
            )
        if "total" in cols and set(_SIX) <= set(cols):
            order = [r for r in codes.request_row_codes(3) + ("other",) if r in rows]
            out.append(
                _rows(
                    "requests_row_total",
                    order,
                    grid.loc[order, "total"],
                    grid.loc[order, _SIX].sum(axis=1),
                )
            )
    if not appeals.empty:
        grid = appeals.assign(v=appeals["value"].fillna(0).astype("int64")).pivot_table(
            index="proceeding", columns="outcome", values="v", aggfunc="sum"
        )
        if set(_PARTS + ["total"]) <= set(grid.columns):
            order = [p for p in codes.proceedings() if p in grid.index]
            out.append(
                _rows(
                    "appeals_total",
                    order,
                    grid.loc[order, "total"],
                    grid.loc[order, _PARTS].sum(axis=1),
                )
            )
    if not out:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    return pd.concat(out, ignore_index=True)[CHECK_COLUMNS]
