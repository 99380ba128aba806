"""The DuckDB warehouse: the only module that talks to the database.

Connections and transactions go through SQLAlchemy (duckdb-engine); frames are
bulk-inserted through DuckDB's native DataFrame scan inside that transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from extract.codes import read_spec_csv
from load.sqlfiles import script, statements
from transform.frames import records_to_frame
from transform.registry import LEVEL_OF_TYPE, regions

# Tables holding an agency-year's rows, replaced together when a report is (re)loaded.
REPLACED_TABLES = (
    "reports",
    "requests",
    "appeals",
    "active_disclosure",
    "report_sections",
    "checks",
    "request_outcome_totals",
)
FRAME_OF_TABLE = {
    "requests": "requests",
    "appeals": "appeals",
    "active_disclosure": "active",
    "report_sections": "sections",
    "checks": "checks",
}
SCHEMA_FILES = ("schema.sql", "views.sql")
FAILURE_COLUMNS = ["source_uri", "sha256", "stage", "error", "detail"]
SOURCE_COLUMNS = [
    "uri",
    "agency_id",
    "year",
    "http_status",
    "etag",
    "last_modified",
    "sha256",
    "media_type",
    "found_via",
    "role",
    "error",
]


def source_rounds(rows: list[tuple[bool, dict]]) -> list[tuple[list[dict], list[dict]]]:
    """Given (answered well, `sources` row) pairs in order, return rounds of (good rows, failed
    rows) in which each URI appears at most once; applied round after round, they leave what
    the rows one by one would."""
    rounds: list[tuple[list[dict], list[dict]]] = []
    seen: dict[str, int] = {}
    for good, row in rows:
        n = seen[row["uri"]] = seen.get(row["uri"], -1) + 1
        if n == len(rounds):
            rounds.append(([], []))
        rounds[n][0 if good else 1].append(row)
    return rounds


def regions_frame() -> pd.DataFrame:
    """Return the registry's administrative divisions as rows of dim_regions."""
    return pd.DataFrame(
        [
            (r.code, r.name, LEVEL_OF_TYPE[r.kind], r.parent_code, r.code[:2] + "0000")
            for r in regions()
        ],
        columns=["region_code", "name", "level", "parent_code", "province_code"],
    )


class Warehouse:
    """One DuckDB file: schema, idempotent loads, failures, queries."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(f"duckdb:///{self.path}", poolclass=sa.pool.NullPool)

    # ------------------------------------------------------------ schema

    def ensure_schema(self) -> None:
        """Create every table and view of sql/ if missing, and (re)seed the code tables."""
        with self.begin() as conn:
            for name in SCHEMA_FILES:
                conn.exec_driver_sql(script(name))
            self._seed_dimensions(conn)
            conn.exec_driver_sql(statements("load.sql")["backfill_outcome_totals"])

    def _seed_dimensions(self, conn: sa.Connection) -> None:
        dims = {
            "dim_request_rows": pd.DataFrame(
                [
                    (r["row_code"], i, r["templates"], r["outcome_group"], r["label"])
                    for i, r in enumerate(read_spec_csv("request_rows.csv"), 1)
                ],
                columns=["row_code", "ordinal", "templates", "outcome_group", "label"],
            ),
            "dim_applicants": pd.DataFrame(
                [
                    (r["applicant"], i, r["parent"] or None, r["label"])
                    for i, r in enumerate(read_spec_csv("applicants.csv"), 1)
                ],
                columns=["applicant", "ordinal", "parent", "label"],
            ),
            "dim_appeal_codes": pd.DataFrame(
                [
                    (r["kind"], r["code"], i, r["label"])
                    for i, r in enumerate(read_spec_csv("appeals.csv"), 1)
                ],
                columns=["kind", "code", "ordinal", "label"],
            ),
            "dim_active_cells": pd.DataFrame(
                [{**r, "ordinal": i} for i, r in enumerate(read_spec_csv("active_cells.csv"), 1)]
            ),
            "dim_regions": regions_frame(),
        }
        for table, frame in dims.items():
            conn.exec_driver_sql(f"DELETE FROM {table}")
            self._insert_frame(conn, table, frame)

    # ------------------------------------------------------------ writes

    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as conn:
            yield conn

    @staticmethod
    def _insert_frame(conn: sa.Connection, table: str, frame: pd.DataFrame) -> None:
        """Given an open transaction, bulk-insert a frame into a table by column name."""
        if frame.empty:
            return
        raw = conn.connection.driver_connection
        view = f"_xxgk_{table}"
        raw.register(view, frame)
        try:
            conn.exec_driver_sql(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
        finally:
            raw.unregister(view)

    def replace_reports(self, batch: Iterable) -> int:
        """Given ReportFrames, replace their agency-years in one transaction; return rows written.

        Bulk: one insert per table for the whole batch (DuckDB's DataFrame scan); rows
        are deleted only for agency-years that already hold a report. Within a batch the
        last report of an agency-year wins. A failure rolls the whole batch back: the
        warehouse never holds half an agency-year.
        """
        latest = {frames.key: frames for frames in batch}
        batch = list(latest.values())
        if not batch:
            return 0
        sql = statements("load.sql")
        keys = pd.DataFrame([f.key for f in batch], columns=["agency_id", "year"])
        uris = pd.DataFrame({"source_uri": [f.report["source_uri"] for f in batch]})
        written = 0
        with self.begin() as conn:
            raw = conn.connection.driver_connection
            raw.register("_xxgk_batch_keys", keys)
            raw.register("_xxgk_batch_uris", uris)
            try:
                for agency in {f.agency["agency_id"]: f.agency for f in batch}.values():
                    conn.exec_driver_sql(sql["upsert_agency"], agency)
                existing = conn.exec_driver_sql(sql["existing_batch_keys"]).fetchall()
                if existing:
                    raw.register(
                        "_xxgk_existing_keys", pd.DataFrame(existing, columns=["agency_id", "year"])
                    )
                    for table in REPLACED_TABLES:
                        conn.exec_driver_sql(sql["delete_existing_keys"].format(table=table))
                    raw.unregister("_xxgk_existing_keys")
                self._insert_frame(conn, "reports", pd.DataFrame([f.report for f in batch]))
                for table, name in FRAME_OF_TABLE.items():
                    # one frame per table for the whole batch, not one per report and a concat
                    frame = records_to_frame(name, [r for f in batch for r in f.records[name]])
                    self._insert_frame(conn, table, frame)
                    written += len(frame)
                conn.exec_driver_sql(sql["insert_outcome_totals"])
                conn.exec_driver_sql(sql["clear_failures_of_batch"])
                self._refresh_warnings(conn, [f.key[0] for f in batch])
            finally:
                raw.unregister("_xxgk_batch_keys")
                raw.unregister("_xxgk_batch_uris")
        return written

    @staticmethod
    def _refresh_warnings(conn: sa.Connection, agency_ids: list[str]) -> None:
        """Given an open transaction and the agencies just loaded, recompute their cross-report checks."""
        if not agency_ids:
            return
        params = {"agency_ids": sorted(set(agency_ids))}
        for sql in statements("checks.sql").values():
            conn.exec_driver_sql(sql, params if "$agency_ids" in sql else {})

    def refresh_warnings(self, agency_ids: list[str] | None = None) -> None:
        """Recompute the cross-report checks of some agencies (default: all) in one transaction."""
        with self.begin() as conn:
            if agency_ids is None:
                agency_ids = [r[0] for r in conn.exec_driver_sql("SELECT agency_id FROM agencies")]
            self._refresh_warnings(conn, agency_ids)

    def record_failure(
        self, source_uri: str, sha256: str | None, stage: str, error: str, detail: str
    ) -> None:
        """Record that a source yielded nothing, replacing earlier failures of the same source."""
        sql = statements("load.sql")
        with self.begin() as conn:
            conn.exec_driver_sql(sql["clear_failures"], {"source_uri": source_uri})
            conn.exec_driver_sql(
                sql["insert_failure"],
                {
                    "source_uri": source_uri,
                    "sha256": sha256,
                    "stage": stage,
                    "error": error,
                    "detail": detail,
                },
            )

    def record_failures(self, rows: list[dict]) -> None:
        """Given failures (source_uri, sha256, stage, error, detail), record them in one
        transaction, each replacing earlier failures of its source (the last one of a source wins)."""
        latest = {row["source_uri"]: row for row in rows}
        if not latest:
            return
        frame = pd.DataFrame(list(latest.values()), columns=FAILURE_COLUMNS)
        sql = statements("load.sql")
        with self.begin() as conn:
            raw = conn.connection.driver_connection
            raw.register("_xxgk_failures", frame)
            try:
                conn.exec_driver_sql(sql["clear_failures_of_rows"])
                conn.exec_driver_sql(sql["insert_failures"])
            finally:
                raw.unregister("_xxgk_failures")

    def record_sources(self, rows: list[tuple[bool, dict]]) -> None:
        """Given (answered well, row) pairs in order, upsert or mark failed their `sources` rows
        in one transaction: one statement per kind and round (a URI at most once a round)."""
        if not rows:
            return
        sql = statements("load.sql")
        with self.begin() as conn:
            raw = conn.connection.driver_connection
            for good, failed in source_rounds(rows):
                for name, part in (("upsert_sources", good), ("sources_failed", failed)):
                    if not part:
                        continue
                    raw.register("_xxgk_source_rows", pd.DataFrame(part, columns=SOURCE_COLUMNS))
                    try:
                        conn.exec_driver_sql(sql[name])
                    finally:
                        raw.unregister("_xxgk_source_rows")

    # ------------------------------------------------------------ reads

    def loaded_keys(self) -> dict[str, list[tuple[str, int]]]:
        """Return source hash -> the agency-years currently loaded from it, for every report."""
        out: dict[str, list[tuple[str, int]]] = {}
        with self.begin() as conn:
            for sha, agency_id, year in conn.exec_driver_sql(
                statements("load.sql")["loaded_reports"]
            ):
                out.setdefault(sha, []).append((agency_id, year))
        return out

    def source_states(self) -> dict[str, dict]:
        """Return source URI -> etag, last_modified, sha256 and media_type of its last good answer."""
        keys = ("etag", "last_modified", "sha256", "media_type")
        with self.begin() as conn:
            result = conn.exec_driver_sql(statements("load.sql")["source_states"])
            return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in result}

    def sources_of_agency(self, agency_id: str, year: int | None = None) -> list[dict]:
        """Given an agency (and optionally a year), return its loaded reports' sources."""
        with self.begin() as conn:
            result = conn.exec_driver_sql(
                statements("load.sql")["sources_of_agency"], {"agency_id": agency_id, "year": year}
            )
            return [dict(r._mapping) for r in result]

    def rows(self, sql: str, params: dict | None = None) -> tuple[list[str], list[tuple]]:
        """Given SQL, return (column names, rows) exactly as the database gives them."""
        with self.begin() as conn:
            result = conn.exec_driver_sql(sql, params or {})
            if not result.returns_rows:
                return [], []
            return list(result.keys()), [tuple(r) for r in result.fetchall()]

    def query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        """Given SQL, return its result as a DataFrame."""
        with self.begin() as conn:
            result = conn.exec_driver_sql(sql, params or {})
            if not result.returns_rows:
                return pd.DataFrame()
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
