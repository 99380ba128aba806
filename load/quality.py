"""The data behind the quality report: reports, failed checks and failures as frames."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from load.sqlfiles import statements
from load.warehouse import Warehouse


@dataclass(frozen=True)
class QualityData:
    """What `xxgk report --html` shows: one row per report, failed check and failure."""

    reports: pd.DataFrame
    failed_checks: pd.DataFrame
    failures: pd.DataFrame


def quality_data(warehouse: Warehouse) -> QualityData:
    """Given a warehouse, return the frames the quality report is drawn from."""
    sql = statements("quality.sql")
    return QualityData(
        reports=warehouse.query(sql["reports"]),
        failed_checks=warehouse.query(sql["failed_checks"]),
        failures=warehouse.query(sql["failures"]),
    )
