"""The worker pool: documents extracted in limited processes; limits become failures."""

import pytest

from flows.workers import Job, JobFailure, WorkerPool
from load.rawstore import RawStore
from tests.helpers import SEEDS


@pytest.fixture
def jobs(tmp_path):
    store = RawStore(tmp_path / "raw")
    out = []
    for path in SEEDS:
        sha = store.put(path.read_bytes())
        out.append(Job(str(path), str(store.path_of(sha)), path.name, sha, {}))
    empty = store.put(b"")
    out.append(Job("empty.txt", str(store.path_of(empty)), "empty.txt", empty, {}))
    return out


@pytest.mark.parametrize("workers", [0, 2])
def test_pool_extracts_in_order_and_reports_failures(jobs, workers):
    with WorkerPool(workers=workers) as pool:
        results = list(pool.map(jobs))
    assert [job.uri for job, _ in results] == [job.uri for job in jobs]
    frames = [r for _, r in results[:2]]
    assert [f.report["agency_id"] for f in frames] == ["410307:科学技术局", "130600:科学技术局"]
    assert [len(f.requests) for f in frames] == [175, 175]
    assert results[2][1] == JobFailure(
        "empty.txt", jobs[2].sha256, "extract", "empty_file", "the file is empty"
    )


def test_timeout_kills_the_worker_and_the_pool_goes_on(jobs, tmp_path):
    # A 20 MB report (one seed 2,000 times over) takes far longer than 0.05 s to read.
    store = RawStore(tmp_path / "raw")
    slow = SEEDS[0].read_bytes() * 2000
    sha = store.put(slow)
    slow_jobs = [
        Job(f"slow{i}.txt", str(store.path_of(sha)), "slow.txt", sha, {}) for i in range(2)
    ]
    with WorkerPool(workers=1, timeout=0.05) as pool:
        results = [r for _, r in pool.map(slow_jobs)]
    assert [(r.error, r.stage) for r in results] == [("timeout", "extract"), ("timeout", "extract")]
    with WorkerPool(workers=1, timeout=60) as pool:
        assert [type(r).__name__ for _, r in pool.map(jobs[:1])] == ["ReportRows"]
