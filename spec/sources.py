"""What a run keeps of a source's answer, and the `sources` row it writes of it.

Fetching makes them (sources/http.py, sources/fetch.py) and loading writes and reads
them (load/warehouse.py): plain records below both, as `Failure` is.
"""

from __future__ import annotations

from dataclasses import dataclass

from spec.kinds import SourceRole


@dataclass(frozen=True)
class Validators:
    """What we kept of a URL's last good response, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    media_type: str | None = None  # as sniffed from the bytes kept


@dataclass(frozen=True)
class SourceRow:
    """A `sources` row as one answer leaves it (the load stamps `fetched_at`): the source, the
    agency-year it is of, how it answered, and what was kept of a good answer (`kept`); a
    failed one has its `error` instead, and the row's last good validators stay."""

    uri: str
    role: SourceRole
    agency_id: str | None
    year: int | None
    found_via: str | None
    portal: str | None
    http_status: int | None
    final_url: str | None
    kept: Validators | None  # a good answer's
    error: str | None = None

    @property
    def answered(self) -> bool:
        """Tell whether the source answered well (its validators and bytes are kept)."""
        return self.error is None
