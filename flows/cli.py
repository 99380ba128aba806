"""`xxgk`: the one command-line entry point (thin: parses options, runs flows, prints)."""

from __future__ import annotations

import inspect
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_type_hints

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows import settings
from flows.settings import RunOptions

if TYPE_CHECKING:  # the commands import what they run: `xxgk --help` stays quick
    from prefect import Flow

    from flows.records import Summary
    from load.warehouse import Warehouse

app = typer.Typer(
    help="xxgk: China's 政府信息公开工作年度报告 into one DuckDB warehouse.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err = Console(stderr=True)
DEFAULTS = RunOptions()

Db = Annotated[str, typer.Option("--db", help="DuckDB warehouse file.", envvar="XXGK_DB")]


@dataclass(frozen=True)
class RunFlags:
    """The options of a run, declared once for `ingest`, `rerun` and `serve` (`with_run_flags`):
    the warehouse, where extraction runs, how many processes, a document's time limit and how
    long to wait for another run writing the warehouse."""

    db: Db = settings.DEFAULT_DB
    runner: Annotated[
        str,
        typer.Option(
            "--runner", help="Where extraction runs: local processes, or Dask (prefect-dask)."
        ),
    ] = "local"
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            envvar="XXGK_WORKERS",
            help="Extraction processes (local) or Dask workers of a new LocalCluster; 0: in-process.",
        ),
    ] = DEFAULTS.workers
    dask_address: Annotated[
        str | None,
        typer.Option(
            "--dask-address", help="Scheduler of an existing Dask cluster (with --runner dask)."
        ),
    ] = None
    # the command line's own default: $XXGK_DOC_TIMEOUT sets only the library's (flows/workers.py)
    doc_timeout: Annotated[
        float,
        typer.Option(
            "--doc-timeout", help="Seconds one document may take before its worker is killed."
        ),
    ] = 120.0
    wait: Annotated[
        float,
        typer.Option(
            "--wait", help="Seconds to wait for another run that is writing the same warehouse."
        ),
    ] = DEFAULTS.wait

    def options(self, force: bool = False) -> RunOptions:
        """Return the run's options, with `force` as the command says it."""
        return RunOptions(self.db, force, self.workers, self.doc_timeout, self.wait)


CommandFunction = Callable[..., None]


def with_run_flags(*without: str) -> Callable[[CommandFunction], CommandFunction]:
    """Given the RunFlags a command does not take (serve: wait), return a decorator that gives
    Typer the command with its `flags` parameter replaced by the others, each an option, and
    calls it with them gathered back into one RunFlags (the rest at their defaults)."""
    taken = [f for f in fields(RunFlags) if f.name not in without]
    hints = get_type_hints(RunFlags, include_extras=True)
    options = [
        inspect.Parameter(
            f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=hints[f.name]
        )
        for f in taken
    ]

    def decorate(command: CommandFunction) -> CommandFunction:
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "flags"]

        @wraps(command)
        def gathered(*args: Any, **kwargs: Any) -> None:
            flags = RunFlags(**{f.name: kwargs.pop(f.name) for f in taken})
            command(*args, **kwargs, flags=flags)

        # what Typer reads: inspect.signature() takes __signature__ as the signature
        gathered.__dict__["__signature__"] = signature.replace(parameters=[*own, *options])
        return gathered

    return decorate


def _print_summary(summary: Summary, db: str) -> None:
    counts = summary.counts()
    loaded = {s: counts.get(s, 0) for s in ("valid", "inconsistent", "partial")}
    table = Table(title=f"xxgk: {db}", show_header=True)
    for col in ("seen", "valid", "inconsistent", "partial", "unchanged", "failed", "rows written"):
        table.add_column(col, justify="right")
    table.add_row(
        str(len(summary.outcomes)),
        *(str(v) for v in loaded.values()),
        str(counts.get("unchanged", 0)),
        str(counts.get("failed", 0)),
        str(summary.rows_written),
    )
    console.print(table)
    failed = summary.failures()
    if failed:
        ft = Table(title="failures", show_header=True)
        for col in ("source", "stage", "error", "detail"):
            ft.add_column(col)
        for f in failed[:50]:
            ft.add_row(f.source_uri, f.stage, f.error, f.full_detail[:120])
        console.print(ft)
        if len(failed) > 50:
            console.print(f"... and {len(failed) - 50} more: SELECT * FROM failures")
    if summary.http:
        console.print("HTTP answers: " + ", ".join(f"{k} ×{v}" for k, v in summary.http.items()))
    if summary.kept:
        kt = Table(title=f"kept the earlier reading: {len(summary.kept)}", show_header=True)
        for col in ("agency_id", "year", "loaded", "re-read", "reason", "source"):
            kt.add_column(col)
        for k in summary.kept[:50]:
            kt.add_row(
                k.agency_id,
                str(k.year),
                f"{k.loaded_status}, {k.loaded_cells} cells",
                f"{k.status}, {k.cells} cells",
                k.reason,
                k.source_uri,
            )
        console.print(kt)
        console.print("The worse re-reads are in report_attempts; --force loads them anyway.")
    if not any(loaded.values()) and counts.get("unchanged"):
        console.print("Nothing changed: no report loaded.")


@app.command()
@with_run_flags()
def ingest(
    sources: list[str] = typer.Argument(
        ..., help="Files, folders (recursive), manifest CSVs or http(s) URLs."
    ),
    force: bool = typer.Option(False, help="Re-extract sources whose bytes are already loaded."),
    flags: RunFlags = RunFlags(),
) -> None:
    """Ingest reports and print a summary: seen, loaded by status, failed.

    Runs here, without Prefect, unless a Prefect server is configured (PREFECT_API_URL)
    or --runner dask: then as the `ingest` flow on that server.

    Example: xxgk ingest data/samples --db data/warehouse.duckdb --workers 2
    """
    _print_summary(_run("ingest", {"sources": sources}, flags, force), flags.db)


@app.command()
@with_run_flags()
def rerun(
    agency: str = typer.Option(
        ..., "--agency", help="agency_id to re-extract (an old merged id, or a name, also works)."
    ),
    year: int | None = typer.Option(None, "--year", help="Only this report year."),
    force: bool = typer.Option(
        False, help="Load the re-read even when it is worse than the loaded reading."
    ),
    flags: RunFlags = RunFlags(),
) -> None:
    """Re-extract an agency's stored source files (from the raw store, no network) and reload them.

    Runs here unless a Prefect server is configured (PREFECT_API_URL) or --runner dask.

    Example: xxgk rerun --agency 130600:科学技术局 --year 2024
    """
    if not Path(flags.db).exists():
        err.print(f"[red]error:[/] no warehouse at {flags.db}; run `xxgk ingest` first")
        raise typer.Exit(2)
    summary = _run("rerun", {"agency_id": agency, "year": year}, flags, force)
    if not summary.outcomes:
        err.print(
            f"[red]error:[/] no loaded report for agency {agency!r}"
            + (f" in {year}" if year else "")
        )
        err.print('hint: xxgk sql "SELECT DISTINCT agency_id FROM reports"')
        raise typer.Exit(1)
    _print_summary(summary, flags.db)


@app.command()
def sql(
    query: str = typer.Argument(..., help="SQL to run against the warehouse."),
    db: Db = settings.DEFAULT_DB,
    csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
) -> None:
    """Run SQL against the warehouse (the published state, read-only) and print the result.

    Example: xxgk sql "SELECT status, count(*) FROM reports GROUP BY 1"
    """
    from load.warehouse import Warehouse

    if not Path(db).exists():
        err.print(f"[red]error:[/] no warehouse at {db}; run `xxgk ingest` first")
        raise typer.Exit(2)
    try:
        columns, rows = Warehouse(db, read_only=True).rows(query)
    except Exception as exc:  # show the database's own message, not a traceback
        message = str(getattr(exc, "orig", exc)).splitlines()[0]
        _error(message)
        if "read-only mode" in message:
            err.print("hint: the warehouse is read-only to readers; keep your own tables in a")
            err.print(f"      DuckDB file of yours and ATTACH '{db}' (READ_ONLY)")
        raise typer.Exit(1) from None
    if csv:
        import csv as csvlib

        writer = csvlib.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    table = Table(show_header=True)
    for col in columns:
        table.add_column(str(col))
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
    console.print(f"({len(rows)} rows)")


def _existing_warehouse(db: str) -> Warehouse:
    """Return the published warehouse, read-only (an older version's gets the new views first)."""
    from load.publish import published_warehouse

    if not Path(db).exists():
        err.print(f"[red]error:[/] no warehouse at {db}; run `xxgk ingest` first")
        raise typer.Exit(2)
    return published_warehouse(db)


@app.command()
def export(
    parquet: Path | None = typer.Option(None, "--parquet", help="Write Parquet files here."),
    csv: Path | None = typer.Option(None, "--csv", help="Write CSV files here."),
    db: Db = settings.DEFAULT_DB,
) -> None:
    """Export tables and views: Parquet partitioned by year (hive folders year=YYYY), or CSV.

    Example: xxgk export --parquet out/parquet --csv out/csv
    """
    from load.export import export_warehouse

    if parquet is None and csv is None:
        err.print("[red]error:[/] say where: --parquet DIR and/or --csv DIR")
        raise typer.Exit(2)
    warehouse = _existing_warehouse(db)
    for fmt, folder in (("parquet", parquet), ("csv", csv)):
        if folder is None:
            continue
        done = export_warehouse(warehouse, folder, fmt)
        table = Table(title=f"{fmt}: {folder}", show_header=True)
        table.add_column("relation")
        table.add_column("rows", justify="right")
        table.add_column("path")
        for e in done:
            table.add_row(e.relation, str(e.rows), str(e.path))
        console.print(table)


@app.command()
def report(
    html: Path = typer.Option(..., "--html", help="Write the HTML quality report to this file."),
    db: Db = settings.DEFAULT_DB,
) -> None:
    """Write a static, offline HTML quality report: coverage, status, failed checks, failures.

    Example: xxgk report --html quality.html
    """
    import pandas as pd

    from load.quality import quality_data
    from quality.html import render_quality_html

    data = quality_data(_existing_warehouse(db))
    page = render_quality_html(
        data.reports,
        data.failed_checks,
        data.failures,
        title=f"xxgk data quality: {Path(db).name}",
        generated_at=pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d %H:%M UTC"),
    )
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text(page, encoding="utf-8")
    console.print(
        f"wrote {html}: {len(data.reports)} reports, {len(data.failed_checks)} failed checks, "
        f"{len(data.failures)} failures"
    )


@app.command()
@with_run_flags("wait")
def serve(
    sources: list[str] = typer.Argument(
        ..., help="What the nightly run ingests (as for `ingest`)."
    ),
    cron: str | None = typer.Option(
        None, help='Cron schedule (default "0 2 * * *": nightly at 02:00).'
    ),
    interval: float | None = typer.Option(
        None, "--interval", help="Run every SECONDS instead of on a cron schedule."
    ),
    port: int | None = typer.Option(
        None, "--port", help="Port of the local Prefect server (default: a free one)."
    ),
    name: str = typer.Option("nightly", help="Deployment name."),
    flags: RunFlags = RunFlags(),
) -> None:
    """Serve the ingestion flow as a scheduled Prefect deployment (runs until stopped).

    With no PREFECT_API_URL it starts a local Prefect server (SQLite under prefect/
    beside the warehouse, UI on, loopback), serves against it and stops it on exit;
    with PREFECT_API_URL set it serves against that server.

    Example: xxgk serve manifests/henan.csv --cron "0 2 * * *" --workers 2
    """
    if cron and interval:
        err.print("[red]error:[/] give --cron or --interval, not both")
        raise typer.Exit(2)
    schedule = {"interval": interval} if interval else {"cron": cron or "0 2 * * *"}
    _check_runner(flags.runner)
    parameters = {"sources": sources, "options": asdict(flags.options())}  # stored as JSON
    with _prefect_server(flags.db, port) as api_url:
        from flows.ingest import serve as serve_flow
        from flows.server import stop_descendants

        flow = _flow("ingest", flags.runner, flags.workers, flags.dask_address)
        when = f"every {interval:g} s" if interval else f"on cron {schedule['cron']!r}"
        console.print(f"serving deployment ingest/{name} {when} on {api_url}: {parameters}")
        console.print(f"Prefect UI: {api_url.removesuffix('/api')}")
        try:
            serve_flow(flow, name, parameters, schedule)
        finally:
            stop_descendants()  # flow runs still going, their extraction workers


@contextmanager
def _prefect_server(db: str, port: int | None) -> Iterator[str]:
    """Run the block against the configured Prefect server, or a local one started for it
    (before prefect is imported: the process then talks to that server)."""
    import os

    from flows.errors import ServerFailed
    from flows.server import local_server

    configured = settings.prefect_api_url()
    if configured:
        yield configured
        return
    home = settings.prefect_home_for(db)
    try:
        with local_server(home, port) as api_url:
            os.environ["PREFECT_API_URL"] = api_url
            os.environ["PREFECT_HOME"] = str(home)
            yield api_url
    except ServerFailed as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(4) from None


RunCommand = Literal["ingest", "rerun"]


def _run(command: RunCommand, what: dict[str, Any], flags: RunFlags, force: bool) -> Summary:
    """Run `ingest` or `rerun` on what it takes (sources; agency_id and year) with the run's
    options, holding the writer lock and showing progress: here (flows/pipeline.py), or as
    the Prefect flow of that name (flows/ingest.py) when a server is configured or --runner
    dask."""
    options = flags.options(force)
    with _progress(command), _one_writer(options.db, options.wait, f"xxgk {command}"):
        if _under_prefect(flags.runner):
            flow = _flow(command, flags.runner, options.workers, flags.dask_address)
            summary: Summary = flow(**what, options=options)  # keywords: no overload of Flow's
            return summary
        from flows import pipeline

        if command == "ingest":
            return pipeline.ingest(**what, options=options)
        return pipeline.rerun(**what, options=options)


def _under_prefect(runner: str) -> bool:
    """Tell whether a run goes through Prefect: a server is configured, or Dask runs extraction
    (prefect-dask; on Prefect's ephemeral server when none is configured)."""
    _check_runner(runner)
    return runner == "dask" or settings.prefect_api_url() is not None


def _check_runner(runner: str) -> None:
    if runner not in ("local", "dask"):
        err.print(f"[red]error:[/] unknown runner {runner!r}: local or dask")
        raise typer.Exit(2)


def _flow(
    name: RunCommand, runner: str, workers: int, dask_address: str | None
) -> Flow[..., Summary]:
    """Return the Prefect flow `name` (ingest or rerun) on the task runner asked for."""
    from flows import ingest as prefect_flows

    try:
        task_runner = prefect_flows.runner_for(runner, workers, dask_address)
    except ImportError:
        _error("--runner dask needs prefect-dask: pip install -e '.[dask]'")
        raise typer.Exit(2) from None
    flows: dict[RunCommand, Flow[..., Summary]] = {
        "ingest": prefect_flows.ingest,
        "rerun": prefect_flows.rerun,
    }
    return flows[name].with_options(task_runner=task_runner)


def _error(message: str) -> None:
    """Print one `error:` line on stderr, the message as it is: no markup read in it (`[dask]`),
    never wrapped."""
    err.print(Text.assemble(("error:", "red"), " ", message), soft_wrap=True)


# Exit codes of `ingest` and `rerun` (README "Exit codes").
EXIT_BUSY, EXIT_NOT_PUBLISHED = 3, 5


@contextmanager
def _one_writer(db: str, wait: float, what: str) -> Iterator[None]:
    """Run the block holding the warehouse's writer lock, taken here, before any Prefect flow
    starts (the flow's own taking of it passes through). A warehouse another run writes is
    one line and exit 3; a run that could not publish, one line and exit 5; no traceback."""
    from load.errors import PublishFailed, WarehouseBusy
    from load.lock import writer_lock

    try:
        with writer_lock(db, wait, what=what):
            yield
    except WarehouseBusy as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_BUSY) from None
    except PublishFailed as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_NOT_PUBLISHED) from None


@contextmanager
def _progress(what: str) -> Iterator[None]:
    """Show done/total, rate and failures so far while a run goes (on a terminal only)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from flows import progress

    if not err.is_terminal:
        yield
        return
    bar = Progress(
        TextColumn(f"{what}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s, {task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    state = {"failed": 0, "done": 0}
    started = time.perf_counter()
    task_id = bar.add_task(what, total=None, rate="0.0", failed=0)

    def listen(event: str, payload: Any) -> None:  # a total (started), an Outcome (advanced)
        if event == "started":
            bar.update(task_id, total=payload)
        elif event == "advanced":
            state["done"] += 1
            state["failed"] += payload.status == "failed"
            rate = state["done"] / max(time.perf_counter() - started, 1e-9)
            total = bar.tasks[0].total
            if total is not None and state["done"] > total:
                bar.update(task_id, total=state["done"])
            bar.update(task_id, advance=1, rate=f"{rate:.1f}", failed=state["failed"])

    progress.listen(listen)
    with bar:
        try:
            yield
        finally:
            progress.listen(None)


@app.command("inspect")
def inspect_command(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="A report: PDF, HTML, DOCX, DOC/WPS or text."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document instead."),
    png: Path | None = typer.Option(
        None,
        "--png",
        help="Write pictures to this folder: a PDF's pages holding a table as PNGs, every cell "
        "read boxed and labelled; other formats' tables as one HTML page, cells coloured by check.",
    ),
    provenance: bool = typer.Option(
        False, "--provenance", help="Also list every cell's raw text, page and bbox."
    ),
) -> None:
    """Show what was read from one document, where, and why (no warehouse needed): the heading
    and where it was found, tables 二 三 四 in the template's layout, every identity with its
    two sides, the readings tried and kept, and the problems.

    Example: xxgk inspect tests/fixtures/unruled_wrapped_labels_centred_groups.pdf --png docs/img
    """
    from extract.errors import ExtractError
    from flows.inspect import inspect_file, write_pictures
    from quality.render import print_view, report_console

    try:
        inspection = inspect_file(file)
    except ExtractError as exc:
        err.print(f"[red]error:[/] {file}: {exc.code}: {exc.detail}")
        raise typer.Exit(1) from None
    print_view(report_console(), inspection.view, inspection.about, json_out, provenance)
    for path in write_pictures(inspection, png, file.stem) if png else []:
        err.print(f"wrote {path}")


@app.command("show")
def show_command(
    agency: str = typer.Argument(
        ..., help="agency_id (130600:科学技术局), an id since merged, or a name of one agency."
    ),
    year: int | None = typer.Argument(None, help="Report year (default: the latest loaded)."),
    db: Db = settings.DEFAULT_DB,
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document instead."),
    provenance: bool = typer.Option(
        False, "--provenance", help="Also list every cell's raw text, page and bbox."
    ),
) -> None:
    """Show a stored report as `xxgk inspect` shows its file: source, sha256, status, tables
    in the template's layout, identities (failing ones marked), readings and problems.

    Example: xxgk show 130600:科学技术局 2024 --provenance
    """
    from flows.inspect import show_stored
    from load.show import NoSuchReport
    from quality.render import print_view, report_console

    if not Path(db).exists():
        err.print(f"[red]error:[/] no warehouse at {db}; run `xxgk ingest` first")
        raise typer.Exit(2)
    try:
        inspection = show_stored(db, agency, year)
    except NoSuchReport as exc:
        err.print(f"[red]error:[/] {exc.detail}")
        err.print(f"hint: {exc.hint}")
        raise typer.Exit(1) from None
    print_view(report_console(), inspection.view, inspection.about, json_out, provenance)


if __name__ == "__main__":
    app()
