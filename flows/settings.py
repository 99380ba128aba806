"""Defaults for running with no server to set up: Prefect's ephemeral mode, quiet logs.

Imported before prefect anywhere in flows/; environment variables already set win.
"""

from __future__ import annotations

import os
from pathlib import Path

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
