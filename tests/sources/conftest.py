"""Fixtures of the replica tests (tests/sources/replicas.py)."""

import pytest


@pytest.fixture
def replica_env(monkeypatch):
    """Fetch from the loopback replicas at once: no delay, no retry, 10 listing pages."""
    monkeypatch.setenv("XXGK_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    monkeypatch.setenv("XXGK_HTTP_DELAY", "0")
    monkeypatch.setenv("XXGK_HTTP_RETRIES", "0")
    monkeypatch.setenv("XXGK_HTTP_MAX_PAGES", "10")
