"""One code path, two orchestrations: `xxgk ingest` runs the pipeline here (no Prefect
imported) unless a Prefect server is configured; then the same stages run as Prefect
tasks on that server, with the same result in the warehouse and a run artifact."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from sources.errors import ConnectionReset, HttpStatus
from sources.fetch import retrying
from sources.http import FetchSettings
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth
from tests.flows.prefect_api import run_summaries
from tests.hardening.procs import table_contents
from tests.helpers import REPO, SEEDS, q
from tests.sources.fakesite import FakeSite

RETRIES = 2
FAST_HTTP = {
    "XXGK_ALLOW_PRIVATE_HOSTS": "1",
    "XXGK_HTTP_RETRIES": str(RETRIES),
    "XXGK_HTTP_BACKOFF": "0.01",
    "XXGK_HTTP_DELAY": "0",
    "XXGK_HTTP_READ_TIMEOUT": "2",
}


@pytest.fixture
def under_prefect(prefect_harness, monkeypatch):
    """Point `xxgk` at this session's Prefect test server, as PREFECT_API_URL does for a user."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    monkeypatch.setenv("PREFECT_API_URL", url)
    return url


def ingest_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        truth = random_truth(random.Random(90 + i), "2021", agency=f"编排{i}号局", year=2023)
        (folder / f"r{i}.txt").write_bytes(render_text(truth))
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_plain_run_imports_no_prefect(tmp_path):
    """The fast path: one text report ingested without importing prefect, a PDF library or,
    with no URL to fetch, the HTTP client."""
    code = (
        "import sys\n"
        "from flows.cli import app\n"
        f"app(['ingest', {str(SEEDS[0])!r}, '--db', {str(tmp_path / 'w.duckdb')!r}],"
        " standalone_mode=False)\n"
        "heavy = ('prefect', 'pdfplumber', 'pypdfium2', 'pdfminer', 'dask', 'httpx')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "no-profile")
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert q(tmp_path / "w.duckdb", "SELECT count(*) FROM requests")[0][0] == 175


def test_same_warehouse_with_and_without_prefect(cli, tmp_path, monkeypatch, prefect_harness):
    from prefect.settings import PREFECT_API_URL

    api_url = PREFECT_API_URL.value()
    before = run_summaries(api_url)
    folder = ingest_folder(tmp_path)
    plain, flowed = tmp_path / "plain.duckdb", tmp_path / "flowed.duckdb"
    workers = ("--workers", "2")  # the worker pool, handed to the extraction task under Prefect
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    cli("ingest", str(folder), "--db", str(plain), *workers)
    cli("rerun", "--agency", "编排1号局", "--db", str(plain), *workers)
    monkeypatch.setenv("PREFECT_API_URL", api_url)
    cli("ingest", str(folder), "--db", str(flowed), *workers)
    cli("rerun", "--agency", "编排1号局", "--db", str(flowed), *workers)

    assert table_contents(plain) == table_contents(flowed)
    assert q(flowed, "SELECT status, count(*) FROM reports GROUP BY 1") == [("valid", 3)]
    assert q(flowed, "SELECT error FROM failures") == [("empty_file",)]
    # the plain runs made no flow run; the two flow runs each left their summary
    new = {k: v for k, v in run_summaries(api_url).items() if k not in before}
    assert sorted(md.splitlines()[0] for md in new.values()) == [
        "# xxgk ingest",
        "# xxgk rerun 编排1号局",
    ]
    ingest_md = next(md for md in new.values() if md.startswith("# xxgk ingest"))
    assert "| valid | 3 |" in ingest_md and "| extract | empty_file | 1 |" in ingest_md


@pytest.mark.network
@pytest.mark.parametrize("orchestration", ["plain", "prefect"])
def test_transient_fetch_errors_retried_alike(cli, tmp_path, monkeypatch, orchestration, request):
    """One retry policy (FetchSettings): Prefect task retries, or the same tries without Prefect."""
    for key, value in FAST_HTTP.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    if orchestration == "prefect":
        request.getfixturevalue("under_prefect")
    site = FakeSite().start()
    try:
        truth = random_truth(random.Random(3), "2021", agency="重试局", year=2023)
        flaky = site.add("/flaky.txt", render_text(truth), fault="flaky")
        down = site.add("/down.pdf", fault="500")
        gone = site.add("/gone.pdf", fault="404")
        db = str(tmp_path / "w.duckdb")
        result = cli("ingest", flaky, down, gone, "--db", db)
        hits = {path: site.count(path) for path in ("/flaky.txt", "/down.pdf", "/gone.pdf")}
    finally:
        site.stop()
    assert hits == {"/flaky.txt": 2, "/down.pdf": 1 + RETRIES, "/gone.pdf": 1}
    assert q(db, "SELECT agency_id FROM reports") == [("重试局",)]
    assert q(db, "SELECT source_uri, error FROM failures ORDER BY 1") == [
        (down, "http_500"),
        (gone, "http_404"),
    ]
    assert "HTTP answers: 200 ×1, 404 ×1, 500 ×4" in " ".join(result.output.split())


def test_retrying_waits_the_backoff_and_retries_only_transient_errors():
    settings = FetchSettings(retries=3, backoff=2.0)
    slept: list[float] = []
    tries: list[bool] = []

    def attempt(retry_left: bool):
        tries.append(retry_left)
        if len(tries) < 3:
            raise HttpStatus(503, "busy")
        return "bytes"

    assert retrying(attempt, settings.retry_delays(), sleep=slept.append) == "bytes"
    assert (tries, slept) == ([True, True, True], [2.0, 4.0])

    def always_reset(retry_left: bool):
        tries.append(retry_left)
        if retry_left:
            raise ConnectionReset("reset")
        return "the last try's answer"

    tries.clear()
    slept.clear()
    assert retrying(always_reset, settings.retry_delays(), sleep=slept.append).startswith("the")
    assert (tries, slept) == ([True, True, True, False], [2.0, 4.0, 8.0])

    def not_found(retry_left: bool):
        raise HttpStatus(404, "gone")

    with pytest.raises(HttpStatus):
        retrying(not_found, settings.retry_delays(), sleep=slept.append)
