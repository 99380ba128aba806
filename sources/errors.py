"""Errors of the sources and fetch stage."""

from common.errors import CodedError


class SourceError(CodedError):
    """A source that yielded no bytes, or a listing no report; ``code`` is the stable
    ``failures.error``."""

    code = "source_error"


class BadManifest(SourceError):
    code = "bad_manifest"


class MissingFile(SourceError):
    code = "missing_file"


class UnsupportedSource(SourceError):
    code = "unsupported_source"


class FetchError(SourceError):
    """A URL that yielded no bytes; `transient` ones are worth retrying (Prefect task retries)."""

    code = "fetch_error"
    transient = False


class HttpStatus(FetchError):
    """An HTTP error status: code ``http_<status>``; 5xx and 429 are transient, 4xx are not."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail, code=f"http_{status}")
        self.status = status
        self.transient = status >= 500 or status == 429


class FetchTimeout(FetchError):
    code = "timeout"
    transient = True


class ConnectionReset(FetchError):
    code = "connection_reset"
    transient = True


class ConnectFailed(FetchError):
    code = "connect_error"
    transient = True


class TooManyRedirects(FetchError):
    code = "too_many_redirects"


class BadRedirect(FetchError):
    code = "bad_redirect"


class DownloadTooLarge(FetchError):
    """A download refused for its size (declared or streamed past FetchSettings.max_bytes);
    not extract.errors.FileTooLarge, the extractor refusing a file it was given."""

    code = "too_large"


class BlockedAddress(FetchError):
    code = "blocked_address"


class UnsupportedScheme(FetchError):
    code = "unsupported_scheme"


class DiscoveryError(SourceError):
    code = "nothing_discovered"


class BrowserError(DiscoveryError):
    """Chromium could not render a listing drawn by script (would not start, stopped
    answering): discovery goes on with the static page."""

    code = "browser_error"
