"""A listing's agency: never store one body's report under another body's agency-year.

A manifest row of scope `agency` (the default) says its agency fields name the body of
every report its listing leads to; a report discovered there whose title names another
body (a county portal's column listing its bureaus' reports) would overwrite the
agency's own report of that year. Such a report is a failure, `agency_mismatch`, with
the names in its detail; a row of scope `portal` (sources/resolve.py) takes each
report's body from its own title instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flows.workers import Job
from sources.resolve import SourceItem
from spec.failures import Failure

if TYPE_CHECKING:
    from transform.frames import ReportRows


def title_to_other_body(title: str | None, overrides: Mapping[str, Any]) -> str | None:
    """Given a report's title and the manifest values it is loaded with, return the body the
    title names when that is another body than the manifest's agency_name (a body, or
    its region when both tell one, differs), else None."""
    from extract.heading import title_to_heading
    from transform.registry import resolve_agency

    manifest_name = overrides.get("agency_name")
    named = title_to_heading(title)[0] if title and manifest_name else None
    if not named:
        return None
    region = overrides.get("region_code")
    titled = resolve_agency(named, manifest_region=None)
    own = resolve_agency(None, manifest_name=manifest_name, manifest_region=region)
    if titled.body != own.body:
        return named
    if titled.region_code and own.region_code and titled.region_code != own.region_code:
        return named
    return None


def not_another_body(rows: ReportRows, item: SourceItem, job: Job) -> ReportRows | Failure:
    """Given a discovered report's rows, its item and job, return the rows, or the failure
    when its title names another body than the listing's manifest row."""
    if item.found_via is None:  # a document the manifest names itself: the manifest wins
        return rows
    other = title_to_other_body(rows.report.title, item.overrides)
    if other is None:
        return rows
    name = item.overrides["agency_name"]
    return job.failure(
        "transform",
        "agency_mismatch",
        f"its title names {other}, not {name}, the agency of the listing's manifest row: not "
        f"stored under {name} (a column of many bodies' reports is a row of scope portal)",
    )
