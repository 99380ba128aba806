"""Where things are, and whether a Prefect server is configured; Prefect defaults, quiet logs.

Imported before prefect anywhere in flows/ (and never imports it); environment
variables already set win.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flows.workers import DEFAULT_TIMEOUT

DEFAULT_DB = os.environ.get("XXGK_DB", "data/warehouse.duckdb")

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_UI_ENABLED", "false")
# The ephemeral server's 20 s default is too short on a busy 2-core machine at night.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def raw_root_for(db: str | Path) -> Path:
    """Given a warehouse path, return its raw file store: ``raw/`` beside the warehouse."""
    return Path(os.environ.get("XXGK_RAW", Path(db).resolve().parent / "raw"))


@dataclass(frozen=True)
class RunOptions:
    """How one ingest or rerun runs: the warehouse file; whether to extract again bytes
    already loaded (ingest) and load a re-read worse than the loaded one (both); extraction
    processes (0: in this process) and each document's time limit in seconds; seconds to wait
    for another run writing the same warehouse.

    `xxgk` builds it from its options and passes it down; the Prefect flows take it as a
    parameter (plain fields: a deployment stores it as JSON).
    """

    db: str = DEFAULT_DB
    force: bool = False
    workers: int = 2
    doc_timeout: float = DEFAULT_TIMEOUT
    wait: float = 30.0

    @property
    def raw_root(self) -> Path:
        """The warehouse's raw file store (raw_root_for)."""
        return raw_root_for(self.db)


def prefect_home_for(db: str | Path) -> Path:
    """Given a warehouse path, return the home (SQLite database, logs) of the Prefect server
    `xxgk serve` starts: ``prefect/`` beside the warehouse, or $XXGK_PREFECT_HOME."""
    return Path(os.environ.get("XXGK_PREFECT_HOME", Path(db).resolve().parent / "prefect"))


def _profile_api_url(env: Mapping[str, str]) -> str | None:
    """Given the environment, return PREFECT_API_URL of the active Prefect profile, if it sets one."""
    home = Path(env.get("PREFECT_HOME", "~/.prefect")).expanduser()
    path = Path(env.get("PREFECT_PROFILES_PATH", home / "profiles.toml")).expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    active = env.get("PREFECT_PROFILE") or profiles.get("active", "ephemeral")
    url = profiles.get("profiles", {}).get(active, {}).get("PREFECT_API_URL")
    return str(url).strip() or None if url else None


def prefect_api_url(env: Mapping[str, str] = os.environ) -> str | None:
    """Return the Prefect server this process is configured for (PREFECT_API_URL in the
    environment, else in the active Prefect profile), or None: no server, run here."""
    return env.get("PREFECT_API_URL", "").strip() or _profile_api_url(env)
