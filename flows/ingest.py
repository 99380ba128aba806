"""The ingestion flows: flows/pipeline.py's stages as Prefect tasks, on a Prefect server.

The flow is the pipeline's own `ingest` (or `rerun`) with `prefect_stages`: fetches
are `fetch` task runs (Prefect task retries on transient errors, FetchSettings'
count and backoff), extraction batches are `extract_transform` task runs on the
flow's task runner (threads handing documents to the local worker pool, or Dask
workers through prefect-dask), loads are `load` task runs. Each run attaches the
Markdown artifact `xxgk-run-summary`. Same functions, same code path as without
Prefect; only who runs them differs.

No `from __future__ import annotations` here: a served deployment's run gets the flow
function pickled by value, with only the globals its code names, so the types of its
parameters (RunOptions) must be in its annotations themselves, not as names to look up.
"""

import asyncio
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, cast

from prefect import Flow, Task, flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.client.schemas.objects import TaskRun
from prefect.context import FlowRunContext, TaskRunContext
from prefect.futures import PrefectFuture
from prefect.runner import Runner
from prefect.states import State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from flows import pipeline
from flows.pipeline import extract_window, worker_pool
from flows.records import Pending, Run, Summary
from flows.runreport import summary_to_markdown
from flows.settings import RunOptions
from flows.stages import FETCH_WINDOW
from flows.workers import Job, WorkerPool, extract_batch
from load.batches import Loaded, load_batch
from sources.fetch import Fetched, fetch_attempt, is_transient
from sources.http import Fetcher
from sources.resolve import SourceItem
from spec.failures import Failure
from spec.sources import Validators
from transform.frames import ReportRows


def _transient_failure(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Prefect retry condition: retry a fetch only on a transient error (5xx, timeout, reset)."""
    return is_transient(state.result(raise_on_failure=False))


def _retries_left() -> bool:
    """Tell whether the running task run will be retried if it fails now."""
    ctx = TaskRunContext.get()
    if ctx is None or ctx.task_run is None:
        return False
    return ctx.task_run.run_count <= ctx.task.retries


@task(name="fetch", cache_policy=NONE, retry_condition_fn=_transient_failure)
def fetch_task(
    item: SourceItem, raw_root: str, fetcher: Fetcher | None, prior: Validators | None
) -> Fetched:
    """One try at a source (sources/fetch.py); a transient error is raised while Prefect has a
    retry left, so that Prefect retries the task after its backoff."""
    return fetch_attempt(item, raw_root, fetcher, prior, retry_left=_retries_left())


@task(name="extract_transform", cache_policy=NONE)
def extract_task(jobs: list[Job], pool: WorkerPool | None) -> list[ReportRows | Failure]:
    """Extract and transform a batch of documents (flows/workers.py)."""
    return extract_batch(jobs, pool)


@task(name="load", cache_policy=NONE)
def load_task(db: str, batch: list[ReportRows], force: bool = False) -> Loaded:
    """Load a batch of reports in one transaction (load/batches.py)."""
    return load_batch(db, batch, force)


@dataclass(frozen=True)
class PrefectStages:
    """The stages as Prefect task runs: fetches on their own thread pool, extraction on the
    flow's task runner, loads in the flow's thread."""

    run: Run
    fetches: ThreadPoolTaskRunner[Fetched]
    fetch_retrying: Task[..., Fetched]  # fetch_task with the retries of the run's FetchSettings
    pool: WorkerPool | None

    def prestart(self) -> None:
        if self.pool is not None:
            self.pool.prestart()

    def fetch(self, item: SourceItem, prior: Validators | None) -> Pending[Fetched]:
        fetcher = self.run.fetcher
        params = {"item": item, "raw_root": self.run.raw_root, "fetcher": fetcher, "prior": prior}
        return self.fetches.submit(self.fetch_retrying, params)

    def extract(self, jobs: list[Job]) -> Pending[list[ReportRows | Failure]]:
        return extract_task.submit(jobs, self.pool)

    def load(self, batch: list[ReportRows]) -> Loaded:
        # quote(): Prefect would otherwise walk every record of every report looking for futures.
        # Prefect unwraps it before calling the task (its signature does not say so): cast.
        quoted = cast("list[ReportRows]", quote(batch))
        return load_task(self.run.db, quoted, self.run.replace_worse)


def flow_runner(runner: TaskRunner[Any]) -> TaskRunner[PrefectFuture[Any]]:
    """Given a task runner, return it as the one `flow()` asks for: Prefect's TaskRunner is
    invariant in its future type, so to mypy its own ThreadPoolTaskRunner (or DaskTaskRunner)
    is no TaskRunner[PrefectFuture[Any]] (PrefectHQ/prefect#16938): cast."""
    return cast("TaskRunner[PrefectFuture[Any]]", runner)


@contextmanager
def prefect_stages(run: Run, workers: int, doc_timeout: float) -> Iterator[PrefectStages]:
    """Run the block with the fetch task runner and, unless extraction runs on Dask, the local
    worker pool."""
    local = 0 if _on_dask() else workers
    fetch_retrying = fetch_task
    if run.fetcher is not None:  # one retry policy: FetchSettings, as without Prefect
        delays = run.fetcher.settings.retry_delays()
        fetch_retrying = fetch_task.with_options(retries=len(delays), retry_delay_seconds=delays)
    with (
        ThreadPoolTaskRunner[Fetched](max_workers=FETCH_WINDOW) as fetches,
        worker_pool(local, doc_timeout) as pool,
    ):
        yield PrefectStages(run, fetches, fetch_retrying, pool)


def _on_dask() -> bool:
    """Tell whether the running flow's task runner is Dask (its workers extract, not ours)."""
    ctx = FlowRunContext.get()
    if ctx is None:
        return False
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        return False
    return isinstance(ctx.task_runner, DaskTaskRunner)


def _publish(summary: Summary, title: str) -> None:
    """Attach the run's Markdown summary to the flow run as a Prefect artifact."""
    try:
        create_markdown_artifact(
            markdown=summary_to_markdown(summary, title), key="xxgk-run-summary"
        )
    except Exception:  # an artifact is a courtesy: never fail a run over it
        pass


@flow(name="ingest", task_runner=flow_runner(ThreadPoolTaskRunner(max_workers=4)))
def ingest(sources: list[str], options: RunOptions = RunOptions()) -> Summary:
    """Ingest report files, folders, manifests (with discovery) and URLs into the warehouse at
    `options.db` (flows/pipeline.py `ingest`; `options.workers` is ignored under Dask)."""
    summary = pipeline.ingest(sources, options, stages=prefect_stages)
    _publish(summary, "xxgk ingest")
    return summary


@flow(name="rerun", task_runner=flow_runner(ThreadPoolTaskRunner(max_workers=4)))
def rerun(agency_id: str, year: int | None = None, options: RunOptions = RunOptions()) -> Summary:
    """Re-extract an agency's (or agency-year's) stored source files from the raw store and reload
    (a worse re-read of the same file only with `options.force`)."""
    summary = pipeline.rerun(agency_id, year, options, stages=prefect_stages)
    _publish(summary, f"xxgk rerun {agency_id}")
    return summary


class _Runner(Runner):
    """Prefect's Runner, stopping on SIGTERM as on Ctrl-C (asyncio cancels the runner, which
    pauses its schedules and stops its runs): Prefect 3.8's own SIGTERM handler calls the
    async `stop()` without awaiting it."""

    def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
        os.kill(os.getpid(), signal.SIGINT)


def serve(
    flow: Flow[..., Any], name: str, parameters: dict[str, Any], schedule: dict[str, Any]
) -> None:
    """Serve `flow` as the deployment `<flow>/<name>` on `schedule` (`interval` or `cron`) until
    SIGINT or SIGTERM; one run at a time (the warehouse has one writer), schedules paused on exit."""
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with it ignored
    runner = _Runner(name=name, pause_on_shutdown=True, limit=1)
    runner.add_flow(flow, name=name, parameters=parameters, **schedule)
    with suppress(KeyboardInterrupt):
        asyncio.run(runner.start())


def runner_for(
    runner: str, workers: int, dask_address: str | None = None
) -> TaskRunner[PrefectFuture[Any]]:
    """Given --runner local|dask, return the task runner extraction runs on."""
    if runner == "local":
        return flow_runner(ThreadPoolTaskRunner(max_workers=extract_window(workers)))
    if runner != "dask":
        raise ValueError(f"unknown runner {runner!r}: local or dask")
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return flow_runner(DaskTaskRunner(address=dask_address))
    cluster = {
        "n_workers": max(workers, 1),
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
    }
    return flow_runner(DaskTaskRunner(cluster_kwargs=cluster))


__all__ = ["ingest", "rerun", "runner_for", "prefect_stages", "serve"]
