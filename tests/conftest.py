"""Shared fixtures: a Prefect test harness, a CLI runner, a warehouse path, a fake site.

Helpers that test modules import (paths, `q`, golden values) live in tests/helpers.py."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# Extract in-process in tests (fast); tests of the worker pool pass --workers themselves.
os.environ.setdefault("XXGK_WORKERS", "0")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server (SQLite) for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def cli(prefect_harness):
    """Run `xxgk ...` in-process; return the click Result and fail on an unexpected exception."""
    from typer.testing import CliRunner

    from flows.cli import app

    runner = CliRunner()

    def run(*args: str, expect: int = 0):
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == expect, result.output
        return result

    return run


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "warehouse.duckdb")


@pytest.fixture
def site():
    """A fake government site on a loopback port (tests/sources/fakesite.py), stopped after."""
    from tests.sources.fakesite import FakeSite

    s = FakeSite().start()
    yield s
    s.stop()
