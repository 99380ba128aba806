"""The canonical codes of the contract (``spec/*.csv``, a copy of ``shared/spec``).

Loaded once; every stage takes its codes and labels from here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class RequestRow:
    row_code: str
    outcome_group: str
    label: str


@dataclass(frozen=True)
class ActiveCell:
    template: str
    article: str
    item: str
    item_label: str
    metric: str
    metric_label: str
    unit: str


def read_spec_csv(name: str) -> list[dict[str, str]]:
    """Given a spec file name, return its rows as dicts."""
    text = files("spec").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def request_rows() -> tuple[RequestRow, ...]:
    return tuple(
        RequestRow(r["row_code"], r["outcome_group"], r["label"])
        for r in read_spec_csv("request_rows.csv")
    )


@cache
def applicants() -> tuple[str, ...]:
    """The seven columns of table 三, in template order."""
    return tuple(r["applicant"] for r in read_spec_csv("applicants.csv"))


@cache
def proceedings() -> tuple[str, ...]:
    return tuple(r["code"] for r in read_spec_csv("appeals.csv") if r["kind"] == "proceeding")


@cache
def outcomes() -> tuple[str, ...]:
    return tuple(r["code"] for r in read_spec_csv("appeals.csv") if r["kind"] == "outcome")


@cache
def appeal_pairs() -> tuple[tuple[str, str], ...]:
    """Table 四's fifteen cells, (proceeding, outcome), in the template's column order."""
    return tuple((p, o) for p in proceedings() for o in outcomes())


@cache
def active_cells(template: str) -> tuple[ActiveCell, ...]:
    return tuple(
        ActiveCell(**r) for r in read_spec_csv("active_cells.csv") if r["template"] == template
    )


def request_row_codes(other_rows: int) -> tuple[str, ...]:
    """Given 1 or 3 （六） rows, return the row codes of table 三 in document order."""
    codes = [r.row_code for r in request_rows()]
    drop = (
        {"other_no_correction", "other_unpaid_fee", "other_misc"} if other_rows == 1 else {"other"}
    )
    return tuple(c for c in codes if c not in drop)
