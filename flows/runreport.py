"""What a run did, as Markdown: the Prefect artifact of each ingestion run."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.records import Summary


def summary_to_markdown(
    summary: Summary, title: str = "xxgk ingestion run", slowest: int = 10
) -> str:
    """Given a run Summary, return Markdown: counts by status, failures by code, slowest documents."""
    counts = summary.counts()
    lines = [
        f"# {title}",
        "",
        f"Sources seen: **{len(summary.outcomes)}**; rows written: **{summary.rows_written}**",
        "",
    ]
    lines += ["## Reports by status", "", "| status | sources |", "|---|---:|"]
    for status in ("valid", "inconsistent", "partial", "unchanged", "kept", "failed"):
        lines.append(f"| {status} | {counts.get(status, 0)} |")
    kept = summary.kept
    if kept:
        lines += ["", "## Kept the earlier reading (the re-read was worse)", ""]
        lines += ["| agency | year | loaded | re-read | reason |", "|---|---:|---|---|---|"]
        lines += [
            f"| {k.agency_id} | {k.year} | {k.loaded_status}, {k.loaded_cells} cells "
            f"| {k.status}, {k.cells} cells | {k.reason} |"
            for k in kept
        ]
    failures = Counter((f.stage, f.error) for f in summary.failures())
    lines += ["", "## Failures by code", ""]
    if failures:
        lines += ["| stage | error | sources |", "|---|---|---:|"]
        lines += [f"| {stage} | {error} | {n} |" for (stage, error), n in failures.most_common()]
    else:
        lines.append("None.")
    timed = sorted(
        (o for o in summary.outcomes if o.seconds), key=lambda o: o.seconds, reverse=True
    )[:slowest]
    lines += ["", "## Slowest documents", ""]
    if timed:
        lines += ["| seconds | status | source |", "|---:|---|---|"]
        lines += [f"| {o.seconds:.2f} | {o.status} | {o.uri} |" for o in timed]
    else:
        lines.append("None timed.")
    return "\n".join(lines) + "\n"
