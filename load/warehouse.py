"""The DuckDB warehouse: the only module that talks to the database.

Connections and transactions go through SQLAlchemy (duckdb-engine); frames are
bulk-inserted through DuckDB's native DataFrame scan inside that transaction. A run
writes a private working copy; analysts and the read commands open the published file
read-only (load/publish.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from load.sqlfiles import script, statements
from spec.codes import read_spec_csv
from spec.failures import Failure
from spec.kinds import KEPT_REASONS, KeptReason, NamedBy, ReportStatus, as_literal
from spec.sources import SourceRow, Validators
from transform.frames import AgencyRow, RecordName, ReportRows, record_to_row, records_to_frame
from transform.readings import Reading, Verdict, judge_reread
from transform.registry import LEVEL_OF_TYPE, REGISTRY_VERSION, entry_of_stored, regions
from transform.zones import ZONES

# Tables holding an agency-year's rows, replaced together when a report is (re)loaded.
REPLACED_TABLES = (
    "reports",
    "requests",
    "appeals",
    "active_disclosure",
    "report_sections",
    "checks",
    "request_outcome_totals",
    "table_readings",
)
FRAME_OF_TABLE: dict[str, RecordName] = {
    "requests": "requests",
    "appeals": "appeals",
    "active_disclosure": "active",
    "report_sections": "sections",
    "checks": "checks",
}
# Tables whose rows move to the surviving id when two agencies are merged.
MERGED_TABLES = (*REPLACED_TABLES, "report_attempts", "sources")
SCHEMA_FILES = ("schema.sql", "views.sql")
# The code tables ensure_schema seeds from spec/: a change to them is a change of schema.
SEEDED_CSVS = ("request_rows.csv", "applicants.csv", "appeals.csv", "active_cells.csv")
FAILURE_COLUMNS = ["source_uri", "sha256", "stage", "error", "detail"]
_SOURCE_OWN = tuple(f.name for f in fields(SourceRow) if f.name != "kept")
# what a run writes of a `sources` row: SourceRow's own fields, then what it kept spread out
SOURCE_COLUMNS = [*_SOURCE_OWN, *(f.name for f in fields(Validators))]


def source_to_row(row: SourceRow) -> tuple[object, ...]:
    """Given a `sources` row, return its values in the order of SOURCE_COLUMNS."""
    return (*(getattr(row, name) for name in _SOURCE_OWN), *astuple(row.kept or Validators()))


def source_rounds(rows: Sequence[SourceRow]) -> list[tuple[list[SourceRow], list[SourceRow]]]:
    """Given `sources` rows in order, return rounds of (rows of good answers, rows of failed
    ones) in which each URI appears at most once; applied round after round, they leave
    what the rows one by one would."""
    rounds: list[tuple[list[SourceRow], list[SourceRow]]] = []
    seen: dict[str, int] = {}
    for row in rows:
        n = seen[row.uri] = seen.get(row.uri, -1) + 1
        if n == len(rounds):
            rounds.append(([], []))
        rounds[n][0 if row.answered else 1].append(row)
    return rounds


@dataclass(frozen=True)
class KeptReading:
    """A re-read that was not loaded: the loaded reading of the same file was better."""

    agency_id: str
    year: int
    source_uri: str
    sha256: str
    status: ReportStatus  # the re-read's
    cells: int
    loaded_status: ReportStatus  # the reading kept in the warehouse
    loaded_cells: int
    reason: KeptReason


@dataclass(frozen=True)
class LoadResult:
    """What a load batch did: rows written, and the re-reads kept out because they were worse."""

    rows_written: int
    kept: tuple[KeptReading, ...] = ()


@dataclass(frozen=True)
class Merge:
    """Two agency ids found to be one body: from_id's rows now live under to_id."""

    from_id: str
    to_id: str
    reports_moved: int
    conflicts: int


AGENCY_COLUMNS = tuple(f.name for f in fields(AgencyRow))
Naming = tuple[str, NamedBy]  # an agency's name, and who named it


def preferred_name(a: Naming, b: Naming) -> Naming:
    """Given two (name, named_by) of one agency, return the one to keep: a manifest's, else
    the longer, else the first in code-point order (sql/load.sql upsert_agencies does the same)."""
    if (a[1] == "manifest") != (b[1] == "manifest"):
        return a if a[1] == "manifest" else b
    if a[1] == "manifest":
        return b  # two manifests: the later one
    return min(a, b, key=lambda n: (-len(n[0]), n[0]))


def combine_agencies(rows: Iterable[AgencyRow]) -> list[AgencyRow]:
    """Given agency rows (a batch's, in load order), return one row per id: the preferred
    name, every other name and alias united, the last non-empty value of the other fields."""
    out: dict[str, AgencyRow] = {}
    for row in rows:
        seen = out.get(row.agency_id)
        if seen is None:
            out[row.agency_id] = row
            continue
        name, named_by = preferred_name((seen.name, seen.named_by), (row.name, row.named_by))
        names = {seen.name, row.name, *seen.aliases, *row.aliases}
        latest = {c: v for c, v in record_to_row(row).items() if v is not None}
        united = {
            "name": name,
            "named_by": named_by,
            "aliases": tuple(sorted(names - {name})),
            "id_source": seen.id_source or row.id_source,
        }
        out[row.agency_id] = replace(seen, **(latest | united))
    return list(out.values())


def frames_to_reading(frames: ReportRows) -> Reading:
    """Given ReportRows, return the reading it is (file, status, cells, extractor)."""
    r = frames.report
    return Reading(r.sha256, r.status, r.cells, r.extractor_version)


def _attempt_row(
    frames: ReportRows, loaded: Reading, verdict: Verdict, at: datetime
) -> dict[str, Any]:
    """Given a re-read, the loaded reading and the verdict, return its report_attempts row."""
    r = frames.report
    return {
        "agency_id": r.agency_id,
        "year": r.year,
        "sha256": r.sha256,
        "source_uri": r.source_uri,
        "status": r.status,
        "cells": r.cells,
        "problems": r.problems,
        "extractor_version": r.extractor_version,
        "attempted_at": at,
        "kept": verdict.load,
        "reason": verdict.reason,
        "loaded_status": loaded.status,
        "loaded_cells": loaded.cells,
        "loaded_extractor_version": loaded.extractor_version,
    }


def kept_reading(frames: ReportRows, loaded: Reading, reason: KeptReason) -> KeptReading:
    """Given a re-read kept out, the loaded reading and why, return what LoadResult reports."""
    r = frames.report
    return KeptReading(
        r.agency_id,
        r.year,
        r.source_uri,
        r.sha256,
        r.status,
        r.cells,
        loaded.status,
        loaded.cells,
        reason,
    )


@dataclass(frozen=True)
class Rekeying:
    """What today's registry makes of stored agencies: ids it confirms (agency_id, body,
    id_source, registry_version), ids it moves (from_id, to_id, reason), and the agency rows
    of the ids moved to."""

    checked: list[tuple[str, str | None, str, str]]
    moves: list[tuple[str, str, str]]
    targets: list[AgencyRow]


def stale_to_rekeying(stale: Iterable[Sequence[Any]]) -> Rekeying:
    """Given stored agencies last checked under other registry rules (agency_id, name,
    region_code, level, named_by, id_source, aliases, parent_region_code), return what
    today's registry makes of them.

    A manifest's id is kept (only its body is filled in); an id from before id_source
    existed counts as a manifest's unless it equals its name (the old name-keyed ids).
    """
    checked: list[tuple[str, str | None, str, str]] = []
    moves: list[tuple[str, str, str]] = []
    targets: list[AgencyRow] = []
    for agency_id, name, region, level, named_by, id_source, aliases, parent in stale:
        entry = entry_of_stored(name, region, level, named_by)
        if id_source is None:
            id_source = "manifest" if agency_id != name else "name"
        if id_source == "manifest" or entry.agency_id == agency_id:
            source = id_source if id_source == "manifest" else entry.id_source
            checked.append((agency_id, entry.body, source, REGISTRY_VERSION))
            continue
        reason = (
            f"registry {REGISTRY_VERSION}: {name} is {entry.name} "
            f"(region {entry.region_code or '-'}, body {entry.body})"
        )
        moves.append((agency_id, entry.agency_id, reason))
        targets.append(
            AgencyRow(
                agency_id=entry.agency_id,
                name=entry.name,
                region_code=entry.region_code or region,
                level=entry.level or level,
                parent_region_code=entry.parent_region_code or parent,
                aliases=tuple(sorted({*(aliases or []), name, *entry.aliases})),
                body=entry.body,
                id_source=entry.id_source,
                named_by=named_by or "document",
                registry_version=REGISTRY_VERSION,
            )
        )
    return without_chained_moves(Rekeying(checked, moves, targets))


def without_chained_moves(rekeying: Rekeying) -> Rekeying:
    """Given a rekeying, return it without the moves from an id that another id moves to
    (never move an id onto itself): such an id is only marked checked."""
    survivors = {to_id for _, to_id, _ in rekeying.moves}
    chained = [m for m in rekeying.moves if m[0] in survivors]
    if not chained:
        return rekeying
    moves = [m for m in rekeying.moves if m[0] not in survivors]
    return Rekeying(
        rekeying.checked + [(f, None, "registry", REGISTRY_VERSION) for f, _, _ in chained],
        moves,
        [t for t in rekeying.targets if t.agency_id in {m[1] for m in moves}],
    )


@contextmanager
def registered(conn: sa.Connection, **frames: pd.DataFrame) -> Iterator[None]:
    """Given an open transaction and name=frame pairs, return a context in which its SQL reads
    each frame as a view of that name (DuckDB's DataFrame scan)."""
    raw = conn.connection.driver_connection
    assert raw is not None, "an open transaction holds its DBAPI connection"
    for name, frame in frames.items():
        raw.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            raw.unregister(name)


def zones_frame() -> pd.DataFrame:
    """Return the registry's listed zones as rows of dim_zones."""
    return pd.DataFrame(
        [(z.name, z.region_code, z.relation, z.kind, list(z.spellings), z.source) for z in ZONES],
        columns=["zone", "region_code", "relation", "kind", "spellings", "source"],
    )


def regions_frame() -> pd.DataFrame:
    """Return the registry's administrative divisions as rows of dim_regions."""
    return pd.DataFrame(
        [
            (r.code, r.name, LEVEL_OF_TYPE[r.kind], r.parent_code, r.code[:2] + "0000")
            for r in regions()
        ],
        columns=["region_code", "name", "level", "parent_code", "province_code"],
    )


@cache
def schema_version() -> str:
    """Return the digest of what ensure_schema makes of a warehouse: the DDL in sql/, the
    seeded code tables and the registry's rules."""
    digest = hashlib.sha256(REGISTRY_VERSION.encode())
    for name in SCHEMA_FILES:
        digest.update(script(name).encode())
    for name in SEEDED_CSVS:
        digest.update(repr(read_spec_csv(name)).encode())
    return digest.hexdigest()[:16]


class Warehouse:
    """One DuckDB file: schema, idempotent loads, failures, queries.

    `read_only`: open the file as analysts do, sharing it with other readers (no write).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(
            f"duckdb:///{self.path}",
            poolclass=sa.pool.NullPool,
            connect_args={"read_only": True} if read_only else {},
        )

    # ------------------------------------------------------------ schema

    def ensure_schema(self) -> list[Merge]:
        """Create every table and view of sql/ if missing, (re)seed the code tables, and bring
        agency ids up to the registry's rules (merging ids that are one body); return the merges."""
        with self.begin() as conn:
            for name in SCHEMA_FILES:
                conn.exec_driver_sql(script(name))
            self._seed_dimensions(conn)
            conn.exec_driver_sql(statements("load.sql")["backfill_outcome_totals"])
        with self.begin() as conn:
            merges = self._rekey_agencies(conn)
            mark = statements("publish.sql")["mark_schema_version"]
            conn.exec_driver_sql(mark.format(version=schema_version()))
            return merges

    def stored_schema_version(self) -> str | None:
        """Return the schema version ensure_schema last marked in this file (None: none, an
        older xxgk's warehouse)."""
        try:
            with self.begin() as conn:
                return str(
                    conn.exec_driver_sql(statements("publish.sql")["schema_version"]).scalar()
                )
        except sa.exc.DBAPIError:  # no such macro
            return None

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
            "dim_zones": zones_frame(),
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
        view = f"_xxgk_{table}"
        with registered(conn, **{view: frame}):
            conn.exec_driver_sql(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")

    def replace_reports(self, batch: Iterable[ReportRows], *, force: bool = False) -> LoadResult:
        """Given ReportRows, replace their agency-years in one transaction; return what it did.

        Bulk: one insert per table for the whole batch (DuckDB's DataFrame scan); rows
        are deleted only for agency-years that already hold a report. Within a batch the
        last report of an agency-year wins. A re-read of the file already loaded for an
        agency-year that is worse (transform/readings.py) is not loaded unless `force`:
        it goes to `report_attempts` and `LoadResult.kept`. A failure rolls the whole
        batch back: the warehouse never holds half an agency-year.
        """
        latest = list({frames.key: frames for frames in batch}.values())
        if not latest:
            return LoadResult(0)
        with self.begin() as conn:
            loaded = self._loaded_readings(conn, [f.key for f in latest])
            at = datetime.now(UTC).replace(tzinfo=None)
            to_load: list[ReportRows] = []
            kept: list[KeptReading] = []
            attempts: list[dict[str, Any]] = []
            for frames in latest:
                before = loaded.get(frames.key)
                verdict = judge_reread(frames_to_reading(frames), before, force)
                if verdict.load:
                    to_load.append(frames)
                if before is None or verdict.reason is None:  # a first reading, or nothing to note
                    continue
                attempts.append(_attempt_row(frames, before, verdict, at))
                if not verdict.load:
                    reason = as_literal(verdict.reason, KEPT_REASONS)
                    kept.append(kept_reading(frames, before, reason))
            self._insert_frame(conn, "report_attempts", pd.DataFrame(attempts))
            written = self._write_reports(conn, to_load)
        return LoadResult(written, tuple(kept))

    def _loaded_readings(
        self, conn: sa.Connection, keys: list[tuple[str, int]]
    ) -> dict[tuple[str, int], Reading]:
        """Given an open transaction and agency-years, return the reading loaded for each."""
        candidates = pd.DataFrame(keys, columns=["agency_id", "year"])
        with registered(conn, _xxgk_candidate_keys=candidates):
            rows = conn.exec_driver_sql(statements("load.sql")["loaded_readings"]).fetchall()
        return {
            (agency_id, year): Reading(sha, status, int(cells or 0), version)
            for agency_id, year, sha, status, cells, version in rows
        }

    def _write_reports(self, conn: sa.Connection, batch: list[ReportRows]) -> int:
        """Given an open transaction and ReportRows of distinct agency-years, replace those
        agency-years' rows and recompute their warnings; return the rows written."""
        if not batch:
            return 0
        sql = statements("load.sql")
        keys = pd.DataFrame([f.key for f in batch], columns=["agency_id", "year"])
        uris = pd.DataFrame({"source_uri": [f.report.source_uri for f in batch]})
        written = 0
        with registered(conn, _xxgk_batch_keys=keys, _xxgk_batch_uris=uris):
            self._upsert_agencies(conn, [f.agency for f in batch])
            existing = conn.exec_driver_sql(sql["existing_batch_keys"]).fetchall()
            if existing:
                existing_keys = pd.DataFrame(existing, columns=["agency_id", "year"])
                with registered(conn, _xxgk_existing_keys=existing_keys):
                    for table in REPLACED_TABLES:
                        conn.exec_driver_sql(sql["delete_existing_keys"].format(table=table))
            reports = pd.DataFrame([f.report.to_row() for f in batch])
            self._insert_frame(conn, "reports", reports)
            for table, name in FRAME_OF_TABLE.items():
                # one frame per table for the whole batch, not one per report and a concat
                frame = records_to_frame(name, [r for f in batch for r in f.records[name]])
                self._insert_frame(conn, table, frame)
                written += len(frame)
            # not counted in rows written: they describe how the cells were read
            readings = records_to_frame(
                "readings", [r for f in batch for r in f.records["readings"]]
            )
            self._insert_frame(conn, "table_readings", readings)
            conn.exec_driver_sql(sql["insert_outcome_totals"])
            conn.exec_driver_sql(sql["clear_failures_of_batch"])
            self._refresh_warnings(conn, [f.key[0] for f in batch])
        return written

    @staticmethod
    def _upsert_agencies(conn: sa.Connection, agencies: list[AgencyRow]) -> None:
        """Given an open transaction and agency rows, insert them or fold them into the stored
        ones (one statement; rows of one id combined first)."""
        if not agencies:
            return
        sql = statements("load.sql")
        rows = [a.to_row() for a in combine_agencies(agencies)]
        frame = pd.DataFrame(rows, columns=list(AGENCY_COLUMNS))
        with registered(conn, _xxgk_agencies=frame):
            conn.exec_driver_sql(sql["upsert_agencies"])
            conn.exec_driver_sql(sql["drop_names_from_aliases"])

    # ------------------------------------------------------------ identity

    def _rekey_agencies(self, conn: sa.Connection) -> list[Merge]:
        """Given an open transaction, re-resolve every agency last checked under other registry
        rules (stale_to_rekeying); merge those whose id is now another's (same region and
        body). Return the merges.

        Rows move to the surviving id; a year two merging ids both hold keeps the newer
        load and records the other in report_attempts (reason merge_conflict).
        """
        stale = conn.exec_driver_sql(
            statements("load.sql")["stale_agencies"], {"registry_version": REGISTRY_VERSION}
        ).fetchall()
        rekeying = stale_to_rekeying(stale)
        self._mark_checked(conn, rekeying.checked)
        if not rekeying.moves:
            return []
        self._upsert_agencies(conn, rekeying.targets)
        merges = self._move_agencies(conn, rekeying.moves)
        self._refresh_warnings(conn, sorted({m.to_id for m in merges}))
        return sorted(merges, key=lambda m: m.from_id)

    @staticmethod
    def _mark_checked(conn: sa.Connection, checked: list[tuple[str, str | None, str, str]]) -> None:
        """Given an open transaction and (agency_id, body, id_source, registry_version) rows,
        record those agencies as checked under today's registry."""
        if not checked:
            return
        frame = pd.DataFrame(
            checked, columns=["agency_id", "body", "id_source", "registry_version"]
        )
        with registered(conn, _xxgk_checked=frame):
            conn.exec_driver_sql(statements("load.sql")["mark_agencies_checked"])

    @staticmethod
    def _move_agencies(conn: sa.Connection, moves: list[tuple[str, str, str]]) -> list[Merge]:
        """Given an open transaction and (from_id, to_id, reason) moves, move every row of each
        from_id to its to_id (a year both hold keeps the newer load) and drop the from_ids;
        return the merges."""
        sql = statements("load.sql")
        frame = pd.DataFrame(moves, columns=["from_id", "to_id", "reason"])
        with registered(conn, _xxgk_rekey=frame):
            conn.exec_driver_sql(sql["rekey_claims"])
            conn.exec_driver_sql(sql["rekey_record_losers"])
            for table in REPLACED_TABLES:
                conn.exec_driver_sql(sql["rekey_delete_losers"].format(table=table))
            merges = [
                Merge(f, t, int(moved), int(conflicts))
                for f, t, moved, conflicts in conn.exec_driver_sql(
                    sql["rekey_record_merges"]
                ).fetchall()
            ]
            for table in MERGED_TABLES:
                conn.exec_driver_sql(sql["rekey_move_rows"].format(table=table))
            conn.exec_driver_sql(sql["rekey_rehash_report_ids"])
            conn.exec_driver_sql(sql["rekey_delete_agencies"])
            conn.exec_driver_sql(sql["rekey_drop_claims"])
        return merges

    @staticmethod
    def _refresh_warnings(conn: sa.Connection, agency_ids: list[str]) -> None:
        """Given an open transaction and the agencies just loaded, recompute their cross-report checks."""
        if not agency_ids:
            return
        params = {"agency_ids": sorted(set(agency_ids))}
        for sql in statements("checks.sql").values():
            conn.exec_driver_sql(sql, params if "$agency_ids" in sql else {})

    def record_failures(self, failures: Iterable[Failure]) -> None:
        """Given failures, record them in one transaction, each replacing earlier failures of
        its source (the last one of a source wins)."""
        latest = {f.source_uri: f.to_row() for f in failures}
        if not latest:
            return
        frame = pd.DataFrame(list(latest.values()), columns=FAILURE_COLUMNS)
        sql = statements("load.sql")
        with self.begin() as conn, registered(conn, _xxgk_failures=frame):
            conn.exec_driver_sql(sql["clear_failures_of_rows"])
            conn.exec_driver_sql(sql["insert_failures"])

    def record_sources(self, rows: Sequence[SourceRow]) -> None:
        """Given `sources` rows in order, upsert (a good answer) or mark failed their rows in
        one transaction: one statement per kind and round (a URI at most once a round)."""
        if not rows:
            return
        sql = statements("load.sql")
        with self.begin() as conn:
            for good, failed in source_rounds(rows):
                for name, part in (("upsert_sources", good), ("sources_failed", failed)):
                    if not part:
                        continue
                    frame = pd.DataFrame([source_to_row(r) for r in part], columns=SOURCE_COLUMNS)
                    with registered(conn, _xxgk_source_rows=frame):
                        conn.exec_driver_sql(sql[name])

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

    def source_states(self) -> dict[str, Validators]:
        """Return source URI -> what was kept of its last good answer."""
        with self.begin() as conn:
            result = conn.exec_driver_sql(statements("load.sql")["source_states"])
            return {uri: Validators(*kept) for uri, *kept in result}

    def sources_of_agency(self, agency_id: str, year: int | None = None) -> list[dict[str, Any]]:
        """Given an agency (and optionally a year), return its loaded reports' sources."""
        with self.begin() as conn:
            result = conn.exec_driver_sql(
                statements("load.sql")["sources_of_agency"], {"agency_id": agency_id, "year": year}
            )
            return [dict(r._mapping) for r in result]

    def rows(
        self, sql: str, params: dict[str, Any] | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Given SQL, return (column names, rows) exactly as the database gives them."""
        with self.begin() as conn:
            result = conn.exec_driver_sql(sql, params or {})
            if not result.returns_rows:
                return [], []
            return list(result.keys()), [tuple(r) for r in result.fetchall()]

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Given SQL, return its result as a DataFrame."""
        with self.begin() as conn:
            result = conn.exec_driver_sql(sql, params or {})
            if not result.returns_rows:
                return pd.DataFrame()
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
