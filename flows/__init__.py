"""Wiring: the pipeline, its Prefect flows and the `xxgk` command line."""

# Prefect's defaults (flows/settings.py) are environment variables read when prefect is
# imported: set them first, whatever module of flows/ is imported first.
from flows import settings as _settings  # noqa: F401
