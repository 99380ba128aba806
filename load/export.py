"""Export the warehouse's tables and views to Parquet (partitioned by year) or CSV files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from load.sqlfiles import statements
from load.warehouse import Warehouse

# What an analyst takes away: the contract's tables, the code tables and the views.
EXPORTED = (
    "agencies",
    "reports",
    "requests",
    "appeals",
    "active_disclosure",
    "report_sections",
    "checks",
    "failures",
    "report_attempts",
    "agency_merges",
    "dim_request_rows",
    "dim_applicants",
    "dim_appeal_codes",
    "dim_active_cells",
    "dim_regions",
    "dim_zones",
    "requests_labelled",
    "request_outcomes",
    "agency_year_summary",
    "province_year_summary",
    "prefecture_year_summary",
)


@dataclass(frozen=True)
class Exported:
    """One exported relation: its name, rows and where it went."""

    relation: str
    rows: int
    path: Path


def _columns(conn: sa.Connection, relation: str) -> list[str]:
    """Given an open connection and a table or view, return its column names."""
    result = conn.exec_driver_sql(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $t",
        {"t": relation},
    )
    return [r[0] for r in result]


def _quoted_path(path: Path) -> str:
    return str(path).replace("'", "''")


def export_warehouse(warehouse: Warehouse, folder: str | Path, fmt: str) -> list[Exported]:
    """Given a warehouse, a folder and 'parquet' or 'csv', write every exported relation there.

    Parquet: a relation with a `year` column becomes folder/NAME/year=YYYY/*.parquet
    (hive partitioning); others become folder/NAME.parquet. CSV: folder/NAME.csv.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown export format {fmt!r}: use parquet or csv")
    out_dir = Path(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    sql = statements("load.sql")
    done: list[Exported] = []
    with warehouse.begin() as conn:
        for relation in EXPORTED:
            rows = conn.exec_driver_sql(sql["export_count"].format(relation=relation)).scalar_one()
            if fmt == "csv":
                target, stmt = out_dir / f"{relation}.csv", sql["export_csv"]
            elif "year" in _columns(conn, relation) and rows:
                target, stmt = out_dir / relation, sql["export_parquet_by_year"]
            else:
                target, stmt = out_dir / f"{relation}.parquet", sql["export_parquet"]
            conn.exec_driver_sql(stmt.format(relation=relation, target=_quoted_path(target)))
            done.append(Exported(relation, int(rows), target))
    return done
