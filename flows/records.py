"""The records a run passes along, and what says where its stages' work runs.

A source starts as a `SourceItem` (sources/resolve.py), becomes a `Fetched`
(sources/fetch.py), a `ToExtract` if it needs extracting, and ends as one `Settled`
record: its `Outcome`, its `sources` row, its report if one was extracted. `Run` is
what every stage reads; `Stages` runs the work (flows/pipeline.py `PlainStages`
here, flows/ingest.py `PrefectStages` as Prefect tasks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

from flows import progress
from flows.workers import Job
from load.batches import Loaded
from load.warehouse import KeptReading
from sources.fetch import Fetched
from sources.http import Fetcher
from sources.resolve import SourceItem
from spec.failures import Failure
from spec.kinds import ReportStatus
from spec.sources import SourceRow, Validators

if TYPE_CHECKING:
    from transform.frames import ReportRows

T_co = TypeVar("T_co", covariant=True)

# What became of a source that did not fail: loaded with a report status, its bytes already
# loaded (unchanged), or its re-read kept out because the loaded reading was better (kept).
Result = Literal[ReportStatus, "unchanged", "kept"]
Status = Literal[Result, "failed"]


@dataclass(frozen=True)
class Outcome:
    """What became of one source: its result (none when it failed), the agency-year it was
    loaded under, and its Failure if it failed; `status` says which in one word."""

    uri: str
    result: Result | None
    sha256: str | None = None
    key: tuple[str, int] | None = None
    seconds: float = 0.0
    failure: Failure | None = None

    def __post_init__(self) -> None:
        if (self.result is None) == (self.failure is None):
            raise ValueError(f"{self.uri}: an outcome has either a result or a failure")

    @property
    def status(self) -> Status:
        """failed, or the result: valid | inconsistent | partial | unchanged | kept."""
        return "failed" if self.result is None else self.result

    @classmethod
    def failed(cls, failure: Failure, seconds: float = 0.0) -> Outcome:
        """Given a source's Failure, return its failed Outcome."""
        return cls(failure.source_uri, None, failure.sha256, None, seconds, failure)


@dataclass
class Summary:
    """What a run did: an outcome per source, rows written, HTTP answers by status or error."""

    outcomes: list[Outcome] = field(default_factory=list)
    rows_written: int = 0
    http: dict[str, int] = field(default_factory=dict)
    kept: list[KeptReading] = field(default_factory=list)  # worse re-reads not loaded

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        progress.advanced(outcome)

    def failures(self) -> list[Failure]:
        """Return the Failure of every source that failed, in the order they settled."""
        return [o.failure for o in self.outcomes if o.failure is not None]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[o.status] = out.get(o.status, 0) + 1
        return out


@dataclass(frozen=True)
class Settled:
    """A source's last word in the stream: its outcome (none for a listing or article page),
    its `sources` row (none for a rerun's stored file), and its report when one was
    extracted."""

    outcome: Outcome | None = None
    source: SourceRow | None = None
    frames: ReportRows | None = None


@dataclass(frozen=True)
class ToExtract:
    """A fetched document that needs extracting, and the job that says where its bytes are."""

    fetched: Fetched  # without its bytes: the job's worker reads them from the raw store
    job: Job  # what a worker process is sent


@dataclass(frozen=True)
class Run:
    """What every stage of one run reads: where things are, and the warehouse as the run began."""

    db: str
    raw_root: str
    force: bool = False
    fetcher: Fetcher | None = None
    loaded: Mapping[str, list[tuple[str, int]]] = field(default_factory=dict)  # sha -> keys
    states: Mapping[str, Validators] = field(default_factory=dict)  # uri -> its last good answer's
    extract_window: int = 4  # extraction batches in flight
    replace_worse: bool = False  # load a re-read even when worse than the loaded reading

    def prior(self, uri: str) -> Validators | None:
        """Given a source URI, return what we kept of its last good answer."""
        return self.states.get(uri)

    def unchanged_key(self, fetched: Fetched) -> tuple[str, int] | None:
        """Return the agency-year these exact bytes are already loaded under, if the source's
        manifest values agree with it."""
        if fetched.sha256 is None:  # a failed fetch: no bytes
            return None
        overrides = fetched.item.overrides
        want_id, want_year = overrides.get("agency_id"), overrides.get("year")
        for agency_id, year in self.loaded.get(fetched.sha256, []):
            if want_id in (None, agency_id) and want_year in (None, year):
                return agency_id, year
        return None


class Pending(Protocol[T_co]):
    """A stage's work under way: a concurrent.futures.Future or a PrefectFuture."""

    def result(self) -> T_co: ...


class Stages(Protocol):
    """How the stages' work is run: here (PlainStages) or as Prefect tasks."""

    def prestart(self) -> None: ...

    def fetch(self, item: SourceItem, prior: Validators | None) -> Pending[Fetched]: ...

    def extract(self, jobs: list[Job]) -> Pending[list[ReportRows | Failure]]: ...

    def load(self, batch: list[ReportRows]) -> Loaded: ...


StagesFactory = Callable[[Run, int, float], AbstractContextManager[Stages]]
