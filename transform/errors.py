"""Errors of the transform stage."""


class TransformError(Exception):
    code = "transform_error"


class MissingKey(TransformError):
    """A report whose agency or year cannot be told from the document or the manifest."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail
