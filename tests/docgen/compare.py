"""Compare what the pipeline read with the Truth a document was generated from.

All three give (table, row, column) -> value, tables named as in the warehouse,
a blank cell as None and every number as float.
"""

from __future__ import annotations

from tests.docgen.truth import Truth

# warehouse table, its row-code column, its column-code column; ReportFrames record name
VALUE_TABLES = (
    ("requests", "row_code", "applicant", "requests"),
    ("appeals", "proceeding", "outcome", "appeals"),
    ("active_disclosure", "item", "metric", "active"),
)


def _number(value) -> float | None:
    return None if value is None else float(value)


def expected_values(truth: Truth) -> dict:
    """Given a Truth, return every cell it generated."""
    return {key: _number(value) for key, value in truth.expected().items()}


def frame_values(frames) -> dict:
    """Given ReportFrames, return every value cell (records: agency, year, row, col, value, ...)."""
    return {
        (table, r[2], r[3]): _number(r[4])
        for table, _, _, name in VALUE_TABLES
        for r in frames.records[name]
    }


def agency_id_of(name: str) -> str:
    """Given an agency name as a document titles it, return the id the registry gives it."""
    from transform.registry import resolve_agency

    return resolve_agency(name).agency_id


def warehouse_values(db: str, agency_id: str, year: int | None = None) -> dict:
    """Given a warehouse file and an agency (and year), return the value cells loaded for it."""
    import duckdb

    out = {}
    with duckdb.connect(db, read_only=True) as con:
        for table, row, col, _ in VALUE_TABLES:
            sql = f"SELECT {row}, {col}, value FROM {table} WHERE agency_id = ? AND (? IS NULL OR year = ?)"
            for x, y, value in con.execute(sql, [agency_id, year, year]).fetchall():
                out[(table, x, y)] = _number(value)
    return out
