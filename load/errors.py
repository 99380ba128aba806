"""Errors of the load stage."""


class LoadError(Exception):
    code = "load_error"


class WarehouseBusy(LoadError):
    """Another process holds the warehouse's write lock."""

    code = "warehouse_busy"
