"""Read the SQL that lives in ``sql/*.sql``: whole scripts, or statements by ``-- name:``."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files


@cache
def script(name: str) -> str:
    """Given a file name in sql/, return its text."""
    return files("sql").joinpath(name).read_text(encoding="utf-8")


@cache
def relations(name: str) -> tuple[str, ...]:
    """Given a file name in sql/, return the tables and views it creates, in order."""
    created = r"^CREATE (?:TABLE IF NOT EXISTS|OR REPLACE VIEW) (\w+)"
    return tuple(re.findall(created, script(name), flags=re.M))


@cache
def statements(name: str) -> dict[str, str]:
    """Given a file name in sql/, return its statements keyed by their ``-- name:`` markers."""
    out: dict[str, str] = {}
    for block in re.split(r"^-- name:\s*", script(name), flags=re.M)[1:]:
        key, _, body = block.partition("\n")
        out[key.strip()] = body.strip()
    return out
