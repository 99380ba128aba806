"""Errors of the extract stage, each with a stable code that becomes ``failures.error``."""

from common.errors import CodedError


class ExtractError(CodedError):
    """A document that yields no report; ``code`` is the stable ``failures.error``."""

    code = "extract_error"


class EmptyDocument(ExtractError):
    code = "empty_file"


class NotAReport(ExtractError):
    code = "not_a_report"


class UnsupportedFormat(ExtractError):
    code = "unsupported_format"


class Encrypted(ExtractError):
    code = "encrypted"


class Corrupt(ExtractError):
    code = "corrupt"


class NoTextLayer(ExtractError):
    code = "no_text_layer"


class NeedsConverter(ExtractError):
    code = "needs_converter"


class FileTooLarge(ExtractError):
    code = "too_large"


class Timeout(ExtractError):
    code = "timeout"


class ZipBomb(ExtractError):
    """An office zip that says it inflates to far more than any report needs."""

    code = "zip_bomb"


class TooManyPages(ExtractError):
    code = "too_many_pages"


class TooComplex(ExtractError):
    """Structure nested deeper than any report (a parser would recurse without end)."""

    code = "too_complex"
