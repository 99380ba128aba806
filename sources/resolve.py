"""Resolve SOURCE arguments (file, folder, manifest CSV, URL) into SourceItems, and read local ones."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from sources.errors import BadManifest, MissingFile, SourceError
from spec.kinds import SourceRole

MAX_FILE_BYTES = 200 * 1024 * 1024
MANIFEST_FIELDS = ("agency_id", "agency_name", "region_code", "level", "year")
# What a row's agency fields name: `agency`, the body of every report it leads to (the
# default); `portal`, only the site that lists them (a county's column of its bureaus' and
# townships' reports), each report's body then coming from its own title.
Scope = Literal["agency", "portal"]
SCOPES: tuple[str, ...] = get_args(Scope)
PORTAL_FIELDS = ("agency_id", "agency_name", "level")  # what a portal row's fields name
# What an item is: a source's role in the `sources` table, or a rerun's file in the raw store.
ItemKind = Literal[SourceRole, "stored"]


@dataclass(frozen=True)
class SourceItem:
    """One document to fetch: a local path or a URL, with what the manifest says of it.

    `kind` is "listing" for a manifest's `listing_url` (a page to discover reports
    from); `found_via` is the page that linked to a discovered document; `portal` the
    owner of the portal it was listed on, for a manifest row of scope `portal` (whose
    agency fields are then not among the overrides).
    """

    uri: str
    path: Path | None = None
    url: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    error: SourceError | None = field(default=None, hash=False, compare=False)
    kind: ItemKind = field(default="document", compare=False)
    found_via: str | None = field(default=None, compare=False)
    portal: str | None = field(default=None, compare=False)  # the portal owner it was found on

    def discovered(self, url: str, via: str | None, kind: SourceRole = "document") -> SourceItem:
        """Given a URL discovery reached from this listing, the page that led to it and its
        kind, return its item: the listing's manifest values and portal carried along."""
        return SourceItem(
            url, url=url, overrides=self.overrides, kind=kind, found_via=via, portal=self.portal
        )


def is_url(text: str) -> bool:
    return "://" in text


def is_manifest(path: Path) -> bool:
    """Given a path, tell whether it is a manifest CSV (a .csv whose header has url, path or listing_url)."""
    if path.suffix.lower() != ".csv":
        return False
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        header = next(csv.reader(fh), [])
    return bool({"url", "path", "listing_url"} & {h.strip().lower() for h in header})


def row_to_overrides(row: dict[str, str], line_no: int) -> tuple[dict[str, Any], str | None]:
    """Given a manifest row and its line, return (the values its documents take, the portal
    owner it names for scope `portal`); raise BadManifest for a bad year or scope."""
    overrides: dict[str, Any] = {k: row[k] for k in MANIFEST_FIELDS if row.get(k)}
    if "year" in overrides:
        try:
            overrides["year"] = int(overrides["year"])
        except ValueError:
            raise BadManifest(f"line {line_no}: year {row['year']!r} is not a year") from None
    scope = row.get("scope") or "agency"
    if scope not in SCOPES:
        raise BadManifest(f"line {line_no}: scope {scope!r} is not one of {', '.join(SCOPES)}")
    if scope == "agency":
        return overrides, None
    portal = overrides.get("agency_name") or overrides.get("agency_id")
    return {k: v for k, v in overrides.items() if k not in PORTAL_FIELDS}, portal


def manifest_to_items(path: Path) -> Iterator[SourceItem]:
    """Given a manifest CSV, yield an item per row; relative paths are from the manifest's folder."""
    text = path.read_text(encoding="utf-8-sig")
    for line_no, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        try:
            overrides, portal = row_to_overrides(row, line_no)
        except BadManifest as exc:
            yield SourceItem(f"{path}#L{line_no}", error=exc)
            continue
        if row.get("url"):
            yield SourceItem(row["url"], url=row["url"], overrides=overrides, portal=portal)
        elif row.get("path"):
            target = Path(row["path"])
            target = target if target.is_absolute() else (path.parent / target)
            target = target.resolve()
            yield SourceItem(str(target), path=target, overrides=overrides, portal=portal)
        elif row.get("listing_url"):
            url = row["listing_url"]
            yield SourceItem(url, url=url, overrides=overrides, kind="listing", portal=portal)
        else:
            yield SourceItem(
                f"{path}#L{line_no}",
                error=BadManifest(f"line {line_no}: none of url, path, listing_url"),
            )


def resolve_sources(args: list[str], exclude: tuple[Path, ...] = ()) -> list[SourceItem]:
    """Given SOURCE arguments, return the items they name, in order, each once.

    Files at or under an `exclude` path (the warehouse, its lock and WAL, the raw
    store) are never sources, even inside a folder being ingested.
    """
    skip = tuple(p.resolve() for p in exclude)
    items: list[SourceItem] = []
    for arg in args:
        if is_url(arg):
            items.append(SourceItem(arg, url=arg))
            continue
        path = Path(arg).expanduser()
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                resolved = child.resolve()
                if any(resolved == s or s in resolved.parents for s in skip):
                    continue
                if is_manifest(child):
                    items.extend(manifest_to_items(child))
                else:
                    items.append(SourceItem(str(resolved), path=resolved))
        elif path.is_file() and is_manifest(path):
            items.extend(manifest_to_items(path))
        elif path.is_file():
            resolved = path.resolve()
            items.append(SourceItem(str(resolved), path=resolved))
        else:
            items.append(SourceItem(str(path), error=MissingFile(f"no such file or folder: {arg}")))
    seen, unique = set(), []
    for item in items:
        if item.uri not in seen:
            seen.add(item.uri)
            unique.append(item)
    return unique


def read_local(item: SourceItem) -> bytes:
    """Given a local item, return its bytes; raise SourceError if missing or too large."""
    assert item.path is not None
    if not item.path.is_file():
        raise MissingFile(f"no such file: {item.path}")
    size = item.path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SourceError(f"{size} bytes is over the {MAX_FILE_BYTES}-byte limit", code="too_large")
    return item.path.read_bytes()
