"""Run extract → transform for one document in a limited worker process.

Documents come from thousands of websites we do not control: a pathological
PDF must not stall or crash the run. Each document runs in a pebble worker
process with a wall-clock limit (the worker is killed and replaced when it is
exceeded) and a memory limit (RLIMIT_AS in the worker, set once the worker has
loaded every reader's libraries, so that a library never fails to load under it).
Extraction is CPU-bound, so the pool is also how documents are extracted in
parallel on one machine.

This module must stay light to import: it is what every worker process loads.
"""

from __future__ import annotations

import os
import resource
import threading
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spec.failures import Failure, Stage, one_line

if TYPE_CHECKING:
    from transform.frames import ReportRows

DEFAULT_TIMEOUT = float(os.environ.get("XXGK_DOC_TIMEOUT", "120"))
DEFAULT_MEMORY_MB = int(os.environ.get("XXGK_DOC_MEMORY_MB", "3072"))
# A scanned PDF is read by OCR page by page (about 3 s a page on 2 cores): a long scan
# gets this long a page when that is more than the limit.
OCR_PAGE_SECONDS = 6.0


@dataclass(frozen=True)
class Job:
    """One document to extract: where its bytes are and what the source says of it."""

    uri: str
    raw_path: str
    filename: str
    sha256: str
    overrides: dict[str, Any]
    found_via: str | None = None  # the page that linked to it

    def failure(self, stage: Stage, error: str, detail: str) -> Failure:
        """Return the Failure of this document at `stage`."""
        return Failure(self.uri, stage, error, detail, self.sha256, self.found_via)


def time_allowed(job: Job, limit: float) -> float:
    """Given a job and the per-document limit in seconds, return its wall-clock limit: the
    limit, or for a PDF of many pages, time enough to OCR every page."""
    try:
        with open(job.raw_path, "rb") as f:
            if b"%PDF-" not in f.read(1024):
                return limit
        import pypdfium2

        pdf = pypdfium2.PdfDocument(job.raw_path)
        try:
            pages = len(pdf)
        finally:
            pdf.close()
    except Exception:  # unreadable here: the worker says why
        return limit
    return max(limit, OCR_PAGE_SECONDS * pages)


def run_job(job: Job) -> ReportRows | Failure:
    """Given a Job, return its ReportRows or its Failure (never raises for a bad document).
    What the document's extraction freed goes back to the system before the next job."""
    from extract.memory import release_memory

    try:
        return _run_job(job)
    except MemoryError:
        return job.failure(
            "extract", "memory_limit", "the document needed more memory than allowed"
        )
    finally:
        release_memory()


def _run_job(job: Job) -> ReportRows | Failure:
    """Given a Job, return its ReportRows or its Failure; a MemoryError is left to run_job."""
    from extract.dispatch import extract_document
    from extract.errors import ExtractError
    from transform.errors import MissingKey
    from transform.frames import SourceMeta, report_to_rows

    try:
        data = Path(job.raw_path).read_bytes()
        report = extract_document(data, job.filename)
    except ExtractError as exc:
        return job.failure("extract", exc.code, exc.detail)
    except RecursionError as exc:
        return job.failure("extract", "too_complex", one_line(exc))
    except Exception as exc:  # an extractor bug must not stop the run
        return job.failure("extract", "internal_error", one_line(exc))
    try:
        return report_to_rows(report, SourceMeta(job.uri, job.sha256, **job.overrides))
    except MissingKey as exc:
        return job.failure("transform", exc.code, exc.detail)
    except Exception as exc:
        return job.failure("transform", "internal_error", one_line(exc))


_IN_PROCESS = threading.Lock()


def run_in_process(jobs: list[Job]) -> list[ReportRows | Failure]:
    """Given jobs, run them here one at a time (pdfium is not thread-safe) and return their results."""
    with _IN_PROCESS:
        return [run_job(job) for job in jobs]


def extract_batch(jobs: list[Job], pool: WorkerPool | None = None) -> list[ReportRows | Failure]:
    """Given jobs, return their results in order: spread over `pool`'s processes when given,
    else one after another in this process (a Dask worker, or --workers 0)."""
    if pool is not None:
        return [result for _, result in pool.map(jobs)]
    return run_in_process(jobs)


def load_readers() -> None:
    """Import every reader and the libraries they load (pdfium's shared library among them)."""
    import charset_normalizer  # noqa: F401
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401
    import pypdfium2.raw  # noqa: F401

    import extract.convert  # noqa: F401
    import extract.dispatch  # noqa: F401
    import extract.docx  # noqa: F401
    import extract.html  # noqa: F401
    import extract.pdf  # noqa: F401
    import extract.text  # noqa: F401
    import transform.frames  # noqa: F401


def start_worker(memory_mb: int, ocr_threads: int = 0, turns: Any = None) -> None:
    """Pool initializer: load the readers, share the cores among the workers' OCR (each
    worker's onnxruntime takes ``ocr_threads`` threads, not one per core) and, given the
    pool's lock, make their page detections take turns (two at once held 2 x 300 MiB),
    then cap the worker's address space so that a memory bomb fails inside it (as a MemoryError: the
    libraries are loaded already)."""
    if ocr_threads > 0:
        os.environ.setdefault("XXGK_OCR_THREADS", str(ocr_threads))
    if turns is not None:
        from extract.memory import take_turns

        take_turns(turns)
    load_readers()
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _ready() -> None:
    """A job that does nothing: scheduling it starts a worker."""


class WorkerPool:
    """A pebble pool of `workers` (at least one) processes running :func:`run_job`, with
    per-document time and memory limits."""

    def __init__(
        self, workers: int = 2, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB
    ):
        import multiprocessing

        from pebble import ProcessPool

        if workers < 1:
            raise ValueError(f"a worker pool needs at least one worker, not {workers}")
        self.workers, self.timeout, self.memory_mb = workers, timeout, memory_mb
        # spawn, not fork: the parent runs Prefect's threads and event loop.
        spawn = multiprocessing.get_context("spawn")
        self._pool = ProcessPool(
            max_workers=workers,
            max_tasks=200,  # a fresh worker now and then: no slow leak survives a long night
            initializer=start_worker,
            initargs=(memory_mb, max(1, (os.cpu_count() or 1) // workers), spawn.Lock()),
            context=spawn,
        )

    def prestart(self) -> None:
        """Start the worker processes now, in the background (pebble starts them on the first
        job): they load the readers while this process opens the warehouse and the sources."""
        for _ in range(self.workers):
            self._pool.schedule(_ready)

    def map(self, jobs: list[Job]) -> Iterator[tuple[Job, ReportRows | Failure]]:
        """Given jobs, yield (job, ReportRows | Failure) as each finishes, in input order."""
        scheduled = []
        for job in jobs:
            allowed = time_allowed(job, self.timeout)  # opens a PDF once, here
            scheduled.append(
                (job, allowed, self._pool.schedule(run_job, args=(job,), timeout=allowed))
            )
        for job, allowed, future in scheduled:
            yield job, self._settle(job, allowed, future)

    def _settle(self, job: Job, allowed: float, future: Any) -> ReportRows | Failure:
        """Given a job, its time limit and its future, return its result, turning a limit or a
        crash into a Failure."""
        from pebble import ProcessExpired

        try:
            result: ReportRows | Failure = future.result()
            return result
        except FutureTimeout:
            detail = f"extraction took over {allowed:g} s; worker killed"
            return job.failure("extract", "timeout", detail)
        except ProcessExpired as exc:
            error = "memory_limit" if exc.exitcode in (-9, 137) else "worker_crashed"
            return job.failure("extract", error, f"worker died: {exc}")
        except Exception as exc:  # pickling errors and the like: the run goes on
            return job.failure("extract", "internal_error", one_line(exc))

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.stop()
        self._pool.join()
