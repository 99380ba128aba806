"""The base of every stage's errors: a stable code, which becomes ``failures.error``, and
one line of detail."""

from __future__ import annotations


class CodedError(Exception):
    """An error with a stable ``code`` (the ``failures.error`` it becomes) and a one-line
    ``detail``; a subclass names its code, or whoever raises it passes one."""

    code = "error"

    def __init__(self, detail: str, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
