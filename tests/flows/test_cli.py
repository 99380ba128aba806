"""`xxgk` end to end on real files into a real DuckDB file, through the CLI."""

import os
import random
import shutil
import subprocess
import sys

import pytest

from tests.docgen.compare import expected_values, warehouse_values
from tests.docgen.layout import Style
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth
from tests.helpers import FACT_TABLES, REPO, SEEDS, failures_by_name, golden_rows, q, snapshot


def counts(db):
    return {t: q(db, f"SELECT count(*) FROM {t}")[0][0] for t in FACT_TABLES + ["failures"]}


def test_ingest_seeds_every_value_golden(cli, db):
    result = cli("ingest", *map(str, SEEDS), "--db", db)
    assert "│    2 │     2 │" in result.output
    reports = q(
        db, "SELECT agency_id, year, template, status, media_type FROM reports ORDER BY agency_id"
    )
    assert reports == [
        ("130600:科学技术局", 2024, "2021", "valid", "text/plain"),  # 保定市科学技术局
        ("410307:科学技术局", 2024, "2021", "valid", "text/markdown"),  # 偃师区科学技术局
    ]
    assert q(db, "SELECT count(*) FROM requests")[0][0] == 2 * 25 * 7
    assert q(db, "SELECT count(*) FROM appeals")[0][0] == 2 * 15
    assert q(db, "SELECT count(*) FROM active_disclosure")[0][0] == 2 * 10
    for path, agency in zip(SEEDS, ["410307:科学技术局", "130600:科学技术局"], strict=True):
        want = {
            (r["table"], r["row"], r["col"]): (r["raw"], float(r["value"]))
            for r in golden_rows(path.stem)
        }
        got = {}
        for table, a, b in (
            ("requests", "row_code", "applicant"),
            ("appeals", "proceeding", "outcome"),
            ("active_disclosure", "item", "metric"),
        ):
            for x, y, raw, value, sha in q(
                db, f"SELECT {a}, {b}, raw, value, sha256 FROM {table} WHERE agency_id = ?", agency
            ):
                got[(table, x, y)] = (raw, float(value))
                assert sha == q(db, "SELECT sha256 FROM reports WHERE agency_id = ?", agency)[0][0]
        assert got == want
    assert q(db, "SELECT count(*) FROM checks WHERE NOT passed")[0][0] == 0
    assert q(db, "SELECT count(*) FROM report_sections")[0][0] == 12


def test_ingest_twice_adds_no_rows_and_rerun_reproduces(cli, db):
    cli("ingest", *map(str, SEEDS), "--db", db)
    first, rows = snapshot(db), counts(db)
    again = cli("ingest", *map(str, SEEDS), "--db", db)
    assert "Nothing changed" in again.output
    assert counts(db) == rows
    cli("ingest", *map(str, SEEDS), "--db", db, "--force")
    assert counts(db) == rows and snapshot(db) == first
    cli("rerun", "--agency", "130600:科学技术局", "--db", db)
    assert snapshot(db) == first
    cli("rerun", "--agency", "偃师区科学技术局", "--year", "2024", "--db", db)  # by name
    assert snapshot(db) == first
    missing = cli("rerun", "--agency", "没有这个机关", "--db", db, expect=1)
    assert "no loaded report" in missing.output


def test_generated_reports_round_trip_through_warehouse(cli, db, tmp_path):
    truths = [random_truth(random.Random(i), t) for i, t in enumerate(["2021", "2019", "2021"])]
    folder = tmp_path / "in"
    folder.mkdir()
    for i, truth in enumerate(truths):
        truth.agency = f"测试{i}号局"
        (folder / f"r{i}.txt").write_bytes(
            render_text(truth, Style(swallow=i % 2 == 0), fmt="tab" if i else "pipe")
        )
    cli("ingest", str(folder), "--db", db)
    for truth in truths:
        assert warehouse_values(db, truth.agency, truth.year) == expected_values(truth)
        assert q(db, "SELECT template, status FROM reports WHERE agency_id = ?", truth.agency) == [
            (truth.template, "valid")
        ]


def test_inconsistent_report_loaded_with_failing_checks(cli, db, tmp_path):
    truth = random_truth(random.Random(5), "2021", agency="算错局", year=2023)
    truth.appeals[("review", "total")] += 2
    path = tmp_path / "bad_sum.txt"
    path.write_bytes(render_text(truth))
    cli("ingest", str(path), "--db", db)
    assert q(db, "SELECT status FROM reports") == [("inconsistent",)]
    assert q(db, "SELECT check_code, subject, expected, actual FROM checks WHERE NOT passed") == [
        (
            "appeals_total",
            "review",
            truth.appeals[("review", "total")],
            truth.appeals[("review", "total")] - 2,
        )
    ]
    assert q(db, "SELECT value FROM appeals WHERE proceeding='review' AND outcome='total'") == [
        (truth.appeals[("review", "total")],)
    ]


def test_bad_inputs_go_to_failures_and_run_goes_on(cli, db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notice.txt").write_text("会议通知\n\n兹定于下周一召开全体会议。\n", encoding="utf-8")
    shutil.copy(SEEDS[0], folder / SEEDS[0].name)
    result = cli("ingest", str(folder), str(tmp_path / "missing.pdf"), "--db", db)
    assert "empty_file" in result.output
    failures = failures_by_name(db)
    assert failures == [
        ("empty.txt", "extract", "empty_file"),
        ("missing.pdf", "fetch", "missing_file"),
        ("notice.txt", "extract", "not_a_report"),
    ]
    assert q(db, "SELECT count(*) FROM reports")[0][0] == 1
    # the source files are kept in the raw store
    raw = tmp_path / "raw"
    assert len([p for p in raw.rglob("*") if p.is_file()]) == 3


def test_manifest_values_win(cli, db, tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        f"path,agency_id,agency_name,region_code,level,year\n{SEEDS[0]},410381-kjj,偃师区科学技术局,410381,county,2024\n",
        encoding="utf-8",
    )
    cli("ingest", str(manifest), "--db", db)
    assert q(db, "SELECT agency_id, name, region_code, level FROM agencies") == [
        ("410381-kjj", "偃师区科学技术局", "410381", "county")
    ]
    assert q(db, "SELECT count(*) FROM requests WHERE agency_id = '410381-kjj'")[0][0] == 175


def test_sql_command_prints_table_and_errors_cleanly(cli, db):
    cli("ingest", str(SEEDS[1]), "--db", db)
    out = cli(
        "sql",
        "SELECT item, metric, value FROM active_disclosure WHERE value > 0 ORDER BY value",
        "--db",
        db,
    )
    assert "normative_documents" in out.output and "(3 rows)" in out.output
    labelled = cli(
        "sql", "SELECT row_label, applicant_label FROM requests_labelled LIMIT 1", "--db", db
    )
    assert "本年新收" in labelled.output
    bad = cli("sql", "SELECT nope FROM reports", "--db", db, expect=1)
    assert "error" in bad.output


@pytest.mark.slow
def test_installed_command_runs_in_a_fresh_process(tmp_path):
    """The real `xxgk` entry point in a fresh process: no Prefect server, no harness."""
    db = tmp_path / "w.duckdb"
    exe = shutil.which("xxgk", path=str(REPO / ".venv" / "bin")) or shutil.which("xxgk")
    cmd = [exe] if exe else [sys.executable, "-m", "flows.cli"]
    proc = subprocess.run(
        [*cmd, "ingest", *map(str, SEEDS), "--db", str(db)],
        capture_output=True,
        env={**os.environ, "XXGK_WORKERS": "2"},  # the real default: extraction in 2 processes
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert q(str(db), "SELECT count(*) FROM requests")[0][0] == 350


def test_warehouse_inside_the_ingested_folder_is_not_a_source(cli, tmp_path):
    """`xxgk ingest DIR --db DIR/w.duckdb`: the warehouse, its lock and raw store are skipped."""
    shutil.copy(SEEDS[0], tmp_path / SEEDS[0].name)
    db = str(tmp_path / "w.duckdb")
    cli("ingest", str(tmp_path), "--db", db)
    cli("ingest", str(tmp_path), "--db", db, "--force")
    assert q(db, "SELECT count(*) FROM reports")[0][0] == 1
    assert q(db, "SELECT count(*) FROM failures")[0][0] == 0
