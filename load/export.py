"""Export the warehouse's tables and views to Parquet (partitioned by year) or CSV files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from load.sqlfiles import relations, statements
from load.warehouse import SCHEMA_FILES, Warehouse

# The relations of sql/ an analyst does not take away: the run's record of every source's
# last answer, every reading tried of a table, the load-time sums the views read, and the
# views' own helper. Every other table and view, a new one too, is exported.
NOT_EXPORTED = frozenset({"sources", "table_readings", "request_outcome_totals", "agency_regions"})


def exported_relations() -> tuple[str, ...]:
    """Return what an analyst takes away, in the order sql/ creates it: the contract's tables,
    the additions, the code tables and the views."""
    return tuple(r for name in SCHEMA_FILES for r in relations(name) if r not in NOT_EXPORTED)


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
        for relation in exported_relations():
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
