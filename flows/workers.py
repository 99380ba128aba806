"""Run extract → transform for one document in a limited worker process.

Documents come from thousands of websites we do not control: a pathological
PDF must not stall or crash the run. Each document runs in a pebble worker
process with a wall-clock limit (the worker is killed and replaced when it is
exceeded) and a memory limit (RLIMIT_AS in the worker). Extraction is CPU-bound,
so the pool is also how documents are extracted in parallel on one machine.

This module must stay light to import: it is what every worker process loads.
"""

from __future__ import annotations

import os
import resource
import threading
import traceback
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIMEOUT = float(os.environ.get("XXGK_DOC_TIMEOUT", "120"))
DEFAULT_MEMORY_MB = int(os.environ.get("XXGK_DOC_MEMORY_MB", "3072"))


@dataclass(frozen=True)
class Job:
    """One document to extract: where its bytes are and what the source says of it."""

    uri: str
    raw_path: str
    filename: str
    sha256: str
    overrides: dict


@dataclass
class JobFailure:
    """Why a document yielded nothing: stage and stable error code."""

    uri: str
    sha256: str
    stage: str
    error: str
    detail: str


def _limit_memory(memory_mb: int) -> None:
    """Pool initializer: cap the worker's address space so a memory bomb fails inside it."""
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _one_line(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"[:500]


def run_job(job: Job):
    """Given a Job, return its ReportRows or a JobFailure (never raises for a bad document)."""
    try:
        return _run_job(job)
    except MemoryError:
        return JobFailure(
            job.uri,
            job.sha256,
            "extract",
            "memory_limit",
            "the document needed more memory than allowed",
        )


def _run_job(job: Job):
    """Given a Job, return its ReportRows or a JobFailure; a MemoryError is left to run_job."""
    from extract.dispatch import extract_document
    from extract.errors import ExtractError
    from transform.errors import MissingKey
    from transform.frames import SourceMeta, report_to_rows

    try:
        data = Path(job.raw_path).read_bytes()
        report = extract_document(data, job.filename)
    except ExtractError as exc:
        return JobFailure(job.uri, job.sha256, "extract", exc.code, exc.detail)
    except RecursionError as exc:
        return JobFailure(job.uri, job.sha256, "extract", "too_complex", _one_line(exc))
    except ImportError as exc:
        if "failed to map" in str(exc):  # the address-space limit hit while loading a library
            return JobFailure(job.uri, job.sha256, "extract", "memory_limit", _one_line(exc))
        raise
    except Exception as exc:  # an extractor bug must not stop the run
        return JobFailure(job.uri, job.sha256, "extract", "internal_error", _one_line(exc))
    try:
        return report_to_rows(report, SourceMeta(job.uri, job.sha256, **job.overrides))
    except MissingKey as exc:
        return JobFailure(job.uri, job.sha256, "transform", exc.code, exc.detail)
    except Exception as exc:
        return JobFailure(job.uri, job.sha256, "transform", "internal_error", _one_line(exc))


_IN_PROCESS = threading.Lock()


def run_in_process(jobs: list[Job]) -> list:
    """Given jobs, run them here one at a time (pdfium is not thread-safe) and return their results."""
    with _IN_PROCESS:
        return [run_job(job) for job in jobs]


def extract_batch(jobs: list[Job], pool: WorkerPool | None = None) -> list:
    """Given jobs, return their results in order: spread over `pool`'s processes when given,
    else one after another in this process (a Dask worker, or --workers 0)."""
    if pool is not None:
        return [result for _, result in pool.map(jobs)]
    return run_in_process(jobs)


def _warm() -> None:
    """In a fresh worker: import what every document needs, before the first one comes."""
    import extract.dispatch  # noqa: F401
    import transform.frames  # noqa: F401


class WorkerPool:
    """A pebble process pool running :func:`run_job` with per-document time and memory limits.

    ``workers=0`` runs jobs in this process (no isolation; for debugging and tiny runs).
    """

    def __init__(
        self, workers: int = 2, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB
    ):
        self.workers, self.timeout, self.memory_mb = workers, timeout, memory_mb
        self._pool = None
        if workers > 0:
            import multiprocessing

            from pebble import ProcessPool

            # spawn, not fork: the parent runs Prefect's threads and event loop.
            self._pool = ProcessPool(
                max_workers=workers,
                max_tasks=200,  # a fresh worker now and then: no slow leak survives a long night
                initializer=_limit_memory,
                initargs=(memory_mb,),
                context=multiprocessing.get_context("spawn"),
            )

    def prestart(self) -> None:
        """Start the worker processes now, in the background (pebble starts them on the first
        job): they start while this process opens the warehouse and reads the sources."""
        if self._pool is not None:
            for _ in range(self.workers):
                self._pool.schedule(_warm)

    def run(self, job: Job):
        """Given a Job, return its ReportRows or JobFailure once a worker has run it."""
        if self._pool is None:
            return run_job(job)
        return self._settle(job, self._pool.schedule(run_job, args=(job,), timeout=self.timeout))

    def map(self, jobs: list[Job]):
        """Given jobs, yield (job, ReportRows | JobFailure) as each finishes, in input order."""
        if self._pool is None:
            for job in jobs:
                yield job, run_job(job)
            return
        futures = [
            (job, self._pool.schedule(run_job, args=(job,), timeout=self.timeout)) for job in jobs
        ]
        for job, future in futures:
            yield job, self._settle(job, future)

    def _settle(self, job: Job, future):
        """Given a job's future, return its result, turning a limit or a crash into a JobFailure."""
        from pebble import ProcessExpired

        try:
            return future.result()
        except FutureTimeout:
            return JobFailure(
                job.uri,
                job.sha256,
                "extract",
                "timeout",
                f"extraction took over {self.timeout:g} s; worker killed",
            )
        except ProcessExpired as exc:
            error = "memory_limit" if exc.exitcode in (-9, 137) else "worker_crashed"
            return JobFailure(job.uri, job.sha256, "extract", error, f"worker died: {exc}")
        except Exception as exc:  # pickling errors and the like: the run goes on
            return JobFailure(job.uri, job.sha256, "extract", "internal_error", _one_line(exc))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool.join()
            self._pool = None
