"""Errors of the load stage."""


class LoadError(Exception):
    code = "load_error"


class WarehouseBusy(LoadError):
    """Another process holds the warehouse's write lock."""

    code = "warehouse_busy"


class PublishFailed(LoadError):
    """A run's working copy could not be made, or not published over the warehouse analysts
    read (disk full, a folder that cannot be written): the published state is unchanged."""

    code = "publish_failed"
