"""The template's own arithmetic: the identities tables 三 and 四 print beside their numbers.

Pure Python over (row, column) -> value grids; a blank cell counts as 0. The extract
stage uses them to tell a right reading from a wrong one, the transform stage stores
them as the contract's per-report ``checks``.
"""

from __future__ import annotations

from typing import NamedTuple

from spec import codes
from spec.kinds import TableName

_OUTCOME_ROWS = [
    r.row_code
    for r in codes.request_rows()
    if r.outcome_group not in ("intake", "total", "carried_forward")
]
_SIX = [a for a in codes.applicants() if a != "total"]
_PARTS = ["upheld", "corrected", "other", "pending"]

Grid = dict[tuple[str, str], int | None]


class Check(NamedTuple):
    """One identity on one subject: the two sides and whether they agree."""

    check_code: str
    subject: str
    expected: float
    actual: float
    passed: bool


class Identity(NamedTuple):
    """One identity the template prints: its check code, its rule in words and the table
    (requests: 三, appeals: 四) whose cells it adds up."""

    check_code: str
    rule: str
    table: TableName


REQUESTS_BALANCE = Identity(
    "requests_balance",
    "each applicant: new_received + carried_over = total_processed + carried_forward",
    "requests",
)
REQUESTS_OUTCOMES = Identity(
    "requests_outcomes", "each applicant: total_processed = sum of the outcome rows", "requests"
)
REQUESTS_ROW_TOTAL = Identity(
    "requests_row_total",
    "each row_code: total column = sum of the six applicant columns",
    "requests",
)
APPEALS_TOTAL = Identity(
    "appeals_total", "each proceeding: total = upheld + corrected + other + pending", "appeals"
)
REQUESTS_STATED_TOTAL = Identity(
    "requests_stated_total",
    "each row_code of new_received, carried_over, total_processed, carried_forward the prose "
    "states in words (共收到政府信息公开申请N件, 上年结转N件, 办结N件, 结转下年度N件): the "
    "stated figure = the total column (no row when the prose states none clearly)",
    "requests",
)
# Every per-report identity, in the order report_checks gives them (then the prose's).
IDENTITIES = (
    REQUESTS_BALANCE,
    REQUESTS_OUTCOMES,
    REQUESTS_ROW_TOTAL,
    APPEALS_TOTAL,
    REQUESTS_STATED_TOTAL,
)
TABLE_OF_CHECK: dict[str, TableName] = {i.check_code: i.table for i in IDENTITIES}


def _check(identity: Identity, subject: str, expected: float, actual: float) -> Check:
    return Check(
        identity.check_code,
        subject,
        float(expected),
        float(actual),
        float(expected) == float(actual),
    )


def _v(grid: Grid, row: str, col: str) -> int:
    return grid.get((row, col)) or 0


def request_checks(requests: Grid) -> list[Check]:
    """Given table 三 as a grid, return its balance, outcome and row-total identities."""
    out: list[Check] = []
    rows = {r for r, _ in requests}
    cols = [a for a in codes.applicants() if any(c == a for _, c in requests)]
    if {"new_received", "carried_over", "total_processed", "carried_forward"} <= rows:
        for a in cols:
            intake = _v(requests, "new_received", a) + _v(requests, "carried_over", a)
            out_ = _v(requests, "total_processed", a) + _v(requests, "carried_forward", a)
            out.append(_check(REQUESTS_BALANCE, a, intake, out_))
    present = [r for r in _OUTCOME_ROWS if r in rows]
    if "total_processed" in rows and present:
        for a in cols:
            parts = sum(_v(requests, r, a) for r in present)
            out.append(_check(REQUESTS_OUTCOMES, a, _v(requests, "total_processed", a), parts))
    if "total" in cols and set(_SIX) <= set(cols):
        for r in [r for r in codes.request_row_codes(3) + ("other",) if r in rows]:
            parts = sum(_v(requests, r, a) for a in _SIX)
            out.append(_check(REQUESTS_ROW_TOTAL, r, _v(requests, r, "total"), parts))
    return out


def appeal_checks(appeals: Grid) -> list[Check]:
    """Given table 四 as a grid, return each proceeding's total identity."""
    if not set(_PARTS + ["total"]) <= {o for _, o in appeals}:
        return []
    return [
        _check(APPEALS_TOTAL, p, _v(appeals, p, "total"), sum(_v(appeals, p, o) for o in _PARTS))
        for p in codes.proceedings()
        if any(q == p for q, _ in appeals)
    ]


def table_checks(table: str, grid: Grid) -> list[Check]:
    """Given a table name (requests, appeals, active) and its grid, return its identities."""
    if table == "requests":
        return request_checks(grid)
    if table == "appeals":
        return appeal_checks(grid)
    return []  # table 二 prints no identity of its own


def report_checks(requests: Grid, appeals: Grid) -> list[Check]:
    """Given one report's table 三 and 四 grids, return every identity of both."""
    return request_checks(requests) + appeal_checks(appeals)


def stated_checks(requests: Grid, stated: dict[str, int]) -> list[Check]:
    """Given table 三 as a grid and the totals its prose states (row code -> figure), return
    one check per stated figure whose row the table has: the figure against the total."""
    rows = {r for r, _ in requests}
    return [
        _check(REQUESTS_STATED_TOTAL, row, value, _v(requests, row, "total"))
        for row, value in stated.items()
        if row in rows
    ]


Key = tuple[str, str]


def check_terms(check: Check, rows: set[str]) -> tuple[list[Key], list[Key]]:
    """Given one identity and the row codes its table has, return the cells of its two sides:
    the cells summed into ``expected`` and those summed into ``actual``."""
    code, s = check.check_code, check.subject
    if code == REQUESTS_BALANCE.check_code:
        return [("new_received", s), ("carried_over", s)], [
            ("total_processed", s),
            ("carried_forward", s),
        ]
    if code == REQUESTS_OUTCOMES.check_code:
        return [("total_processed", s)], [(r, s) for r in _OUTCOME_ROWS if r in rows]
    if code == REQUESTS_ROW_TOTAL.check_code:
        return [(s, "total")], [(s, a) for a in _SIX]
    if code == REQUESTS_STATED_TOTAL.check_code:  # the figure in words: no cell
        return [], [(s, "total")]
    if code == APPEALS_TOTAL.check_code:
        return [(s, "total")], [(s, o) for o in _PARTS]
    raise ValueError(f"not a per-report identity: {code}")
