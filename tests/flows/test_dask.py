"""Scale-out: the same ingestion flow with extraction on Dask workers (prefect-dask, LocalCluster)."""

import random

import duckdb
import pytest

from tests.docgen.compare import expected_values, warehouse_values
from tests.docgen.layout import Style
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth

pytest.importorskip("prefect_dask")


@pytest.mark.slow
def test_ingest_on_a_dask_local_cluster(cli, db, tmp_path):
    truths = []
    for i in range(6):
        truth = random_truth(
            random.Random(40 + i), "2021" if i % 2 else "2019", agency=f"分布式{i}号局"
        )
        truths.append(truth)
        (tmp_path / f"r{i}.txt").write_bytes(
            render_text(truth, Style(swallow=i % 3 == 0), fmt="tab" if i % 2 else "pipe")
        )
    (tmp_path / "empty.txt").write_bytes(b"")
    result = cli("ingest", str(tmp_path), "--db", db, "--runner", "dask", "--workers", "2")
    assert "empty_file" in result.output
    for truth in truths:
        assert warehouse_values(db, truth.agency, truth.year) == expected_values(truth)
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT status, count(*) FROM reports GROUP BY 1").fetchall() == [
            ("valid", 6)
        ]
        assert con.execute("SELECT error FROM failures").fetchall() == [("empty_file",)]


def test_unknown_runner_is_a_clear_error(cli, db, tmp_path):
    result = cli("ingest", str(tmp_path), "--db", db, "--runner", "spark", expect=2)
    assert "unknown runner 'spark'" in result.output
