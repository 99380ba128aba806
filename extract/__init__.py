"""Extract: bytes in, typed records out. Pure: no database, no network, no Prefect.

The public entry point is :func:`extract.dispatch.extract_document`.
"""

EXTRACTOR_VERSION = "0.1.0"
