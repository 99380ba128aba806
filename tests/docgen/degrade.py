"""A deliberately degraded reader: a Report as a worse extractor would have read it.

Used to test that a worse re-read of the same bytes never replaces a good report.
"""

from __future__ import annotations

import dataclasses

from extract.records import Attempt, Problem, Report


def lose_table(report: Report, table: str, keep_request_cells: int | None = None) -> Report:
    """Given a Report, return it with one table not found (and, with keep_request_cells,
    only that many cells of table 三)."""
    cells = [c for c in report.cells if c.table != table]
    if keep_request_cells is not None:
        requests = [c for c in cells if c.table == "requests"][:keep_request_cells]
        cells = [c for c in cells if c.table != "requests"] + requests
    expected = next((a.expected for a in report.attempts if a.table == table), 0)
    attempts = [a for a in report.attempts if a.table != table]
    attempts.append(Attempt(table, "degraded", "not_found", 0, expected, 0, True, "lost"))
    return dataclasses.replace(
        report,
        cells=cells,
        tables_found=report.tables_found - {table},
        attempts=attempts,
        problems=[*report.problems, Problem(table, "not_found")],
    )
