"""Errors of the sources and fetch stage."""


class SourceError(Exception):
    code = "source_error"

    def __init__(self, detail: str, code: str | None = None):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code


class BadManifest(SourceError):
    code = "bad_manifest"


class MissingFile(SourceError):
    code = "missing_file"


class UnsupportedSource(SourceError):
    code = "unsupported_source"
