"""Read one stored report back as long rows, for `xxgk show` (quality/view.py lays them out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from load.errors import LoadError
from load.sqlfiles import statements
from load.warehouse import Warehouse

Row = dict[str, Any]  # a row as the query gives it: column -> value


class NoSuchReport(LoadError):
    """No loaded report for the agency (and year) asked for, or a name of several agencies."""

    code = "no_such_report"

    def __init__(self, detail: str, hint: str):
        super().__init__(detail)
        self.detail = detail
        self.hint = hint


@dataclass(frozen=True)
class StoredReport:
    """One agency-year as the warehouse holds it: long rows, plus the years it also holds."""

    report: Row
    cells: list[Row]
    checks: list[Row]  # severity error: the report's identities
    warnings: list[Row]  # severity warning: checks across reports
    readings: list[Row]
    years: list[int]  # every year loaded for the agency


def _dicts(warehouse: Warehouse, name: str, params: dict[str, Any]) -> list[Row]:
    columns, rows = warehouse.rows(statements("show.sql")[name], params)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def agency_years(warehouse: Warehouse, agency: str) -> tuple[str, list[int]]:
    """Given an agency id, an id since merged into another, or a name or alias of exactly one
    agency, return its id and the years loaded for it. Raises NoSuchReport."""
    found = warehouse.sources_of_agency(agency)
    if found:
        return found[0]["agency_id"], sorted({int(r["year"]) for r in found})
    named = [r["agency_id"] for r in _dicts(warehouse, "agencies_named", {"name": agency})]
    if len(named) > 1:
        raise NoSuchReport(
            f"{agency!r} names {len(named)} agencies: {', '.join(named)}", "give one agency_id"
        )
    raise NoSuchReport(
        f"no loaded report for agency {agency!r}",
        'xxgk sql "SELECT agency_id, name FROM agencies ORDER BY 1"',
    )


def stored_report(warehouse: Warehouse, agency: str, year: int | None = None) -> StoredReport:
    """Given an agency (as `agency_years` takes it) and a year (None: the latest loaded),
    return that report's long rows. Raises NoSuchReport."""
    agency_id, years = agency_years(warehouse, agency)
    if year is None:
        year = years[-1]
    elif year not in years:
        raise NoSuchReport(
            f"no loaded report for {agency_id} in {year}",
            f"its years: {', '.join(map(str, years))}",
        )
    params = {"agency_id": agency_id, "year": year}
    checks = _dicts(warehouse, "stored_checks", params)
    return StoredReport(
        report=_dicts(warehouse, "stored_report", params)[0],
        cells=_dicts(warehouse, "stored_cells", params),
        checks=[c for c in checks if c["severity"] == "error"],
        warnings=[c for c in checks if c["severity"] != "error"],
        readings=_dicts(warehouse, "stored_readings", params),
        years=years,
    )
