"""Fixtures of the load stage's tests."""

import pytest

from load.warehouse import Warehouse


@pytest.fixture
def warehouse(tmp_path) -> Warehouse:
    """An empty warehouse with its schema, in a temporary folder (its path: warehouse.path)."""
    w = Warehouse(tmp_path / "w.duckdb")
    w.ensure_schema()
    return w
