"""Year series of Truths for one agency whose numbers roll forward from year to year.

carried_over(year) = carried_forward(year-1) per applicant (the spec's
carry_over_continuity), and for the 2021 template table 二's
in_force(year) = in_force(year-1) + issued - repealed; each report's own
arithmetic still holds.
"""

from __future__ import annotations

import random

from tests.docgen.truth import SIX, Truth, random_truth


def totals_to_total_column(truth: Truth) -> None:
    """Given a Truth, set its total column to the sum of the six applicant columns."""
    for r in truth.row_codes:
        truth.requests[(r, "total")] = sum(truth.requests[(r, a)] or 0 for a in SIX)


def set_carried_over(truth: Truth, applicant: str, carried: int) -> None:
    """Given a Truth, set an applicant's carried_over and keep the report's balance true."""
    req = truth.requests
    req[("carried_over", applicant)] = carried
    deficit = carried - (req[("total_processed", applicant)] + req[("carried_forward", applicant)])
    if deficit > 0:  # new_received cannot be negative: grant more instead
        req[("granted", applicant)] += deficit
        req[("total_processed", applicant)] += deficit
    req[("new_received", applicant)] = (
        req[("total_processed", applicant)] + req[("carried_forward", applicant)] - carried
    )
    totals_to_total_column(truth)


def chain_requests(prev: Truth, cur: Truth) -> None:
    """Given last year's and this year's Truths, carry last year's forward into this year."""
    for a in SIX:
        set_carried_over(cur, a, prev.requests[("carried_forward", a)] or 0)


def chain_active(prev: Truth, cur: Truth) -> None:
    """Given two 2021-template Truths, make this year's in_force roll forward from last year's."""
    if prev.template != "2021" or cur.template != "2021":
        return
    for item in ("regulations", "normative_documents"):
        before = prev.active[(item, "in_force")]
        issued = cur.active[(item, "issued")]
        repealed = min(cur.active[(item, "repealed")], before + issued)
        cur.active[(item, "repealed")] = repealed
        cur.active[(item, "in_force")] = before + issued - repealed


def template_of_year(year: int) -> str:
    """Given a report year, return the template a punctual agency used."""
    return "2019" if year < 2021 else "2021"


def truth_series(rng: random.Random, agency: str, years: list[int]) -> list[Truth]:
    """Given an agency and consecutive years, return Truths whose numbers roll forward."""
    out: list[Truth] = []
    for year in years:
        truth = random_truth(rng, template_of_year(year), agency=agency, year=year)
        if out:
            chain_requests(out[-1], truth)
            chain_active(out[-1], truth)
        out.append(truth)
    return out
