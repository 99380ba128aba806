"""Errors of running the pipeline: the local Prefect server `xxgk serve` starts."""


class ServerFailed(Exception):
    """The local Prefect server did not start or did not answer in time."""

    code = "server_failed"
