"""The worker pool: documents extracted in limited processes; limits become failures."""

import pytest

from common.rawstore import RawStore
from flows.workers import Job, WorkerPool, extract_batch
from spec.failures import Failure
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


def in_a_pool(jobs):
    with WorkerPool(workers=2) as pool:
        pairs = list(pool.map(jobs))
    assert [job.uri for job, _ in pairs] == [job.uri for job in jobs]
    return [result for _, result in pairs]


@pytest.mark.parametrize(
    "extract", [in_a_pool, extract_batch], ids=["worker processes", "this process"]
)
def test_jobs_are_extracted_in_order_and_failures_reported(jobs, extract):
    results = extract(jobs)
    rows = results[:2]
    assert [r.report.agency_id for r in rows] == ["410307:科学技术局", "130600:科学技术局"]
    assert [len(r.requests) for r in rows] == [175, 175]
    assert results[2] == Failure(
        "empty.txt", "extract", "empty_file", "the file is empty", jobs[2].sha256
    )


def test_a_pool_needs_a_worker():
    with pytest.raises(ValueError, match="at least one worker"):
        WorkerPool(workers=0)


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


def test_a_long_pdf_is_allowed_time_to_ocr_every_page(tmp_path):
    # A scan of 40 pages needs about 3 s a page: the per-document limit (120 s) killed
    # long scans read by OCR. A PDF gets OCR_PAGE_SECONDS a page where that is more.
    import pypdfium2

    from flows.workers import OCR_PAGE_SECONDS, time_allowed

    store = RawStore(tmp_path / "raw")

    def pdf_of(pages: int) -> Job:
        pdf = pypdfium2.PdfDocument.new()
        for _ in range(pages):
            pdf.new_page(595, 842)
        path = tmp_path / f"{pages}.pdf"
        pdf.save(path)
        sha = store.put(path.read_bytes())
        return Job(path.name, str(store.path_of(sha)), "report", sha, {})

    assert time_allowed(pdf_of(3), 120.0) == 120.0
    assert time_allowed(pdf_of(40), 120.0) == 40 * OCR_PAGE_SECONDS == 240.0
    text = store.put(SEEDS[0].read_bytes())
    assert time_allowed(Job("a.txt", str(store.path_of(text)), "a.txt", text, {}), 120.0) == 120.0
