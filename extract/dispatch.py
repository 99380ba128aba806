"""Hand a document to the reader of its real type, sniffed from its bytes (common/media.py)."""

from __future__ import annotations

from collections.abc import Callable

from common.media import sniff_media_type
from extract import EXTRACTOR_VERSION
from extract.errors import Corrupt, EmptyDocument, FileTooLarge, NoTextLayer, UnsupportedFormat
from extract.guards import check_bytes
from extract.records import Report

MAX_BYTES = 200 * 1024 * 1024


def read_text(data: bytes) -> Report:
    from extract.text import text_to_report

    return text_to_report(data)


def read_pdf(data: bytes) -> Report:
    from extract.pdf import pdf_to_report  # pdfplumber and pypdfium2: only when a PDF comes

    try:
        return pdf_to_report(data)
    except NoTextLayer:
        from extract.scanned import scanned_pdf_to_report  # OCR: only for page images

        return scanned_pdf_to_report(data)


def read_html(data: bytes) -> Report:
    from extract.html import html_to_report

    return html_to_report(data)


def read_docx(data: bytes) -> Report:
    from extract.docx import docx_to_report

    return docx_to_report(data)


def read_doc(data: bytes) -> Report:
    from extract.convert import doc_to_report  # LibreOffice converts it to .docx first

    return doc_to_report(data)


# media type -> the reader taking its bytes and returning a Report
READERS: dict[str, Callable[[bytes], Report]] = {
    "text/plain": read_text,
    "text/markdown": read_text,
    "application/pdf": read_pdf,
    "text/html": read_html,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": read_docx,
    "application/msword": read_doc,
    "application/vnd.ms-works": read_doc,
}


def extract_document(data: bytes, filename: str | None = None) -> Report:
    """Given a document's bytes and optional file name, return its Report.

    Raises a subclass of :class:`extract.errors.ExtractError` with a stable
    ``code`` when the document yields no report.
    """
    if not data or not data.strip():
        raise EmptyDocument("the file is empty")
    if len(data) > MAX_BYTES:
        raise FileTooLarge(f"{len(data)} bytes is over the {MAX_BYTES}-byte limit")
    media_type = sniff_media_type(data, filename)
    if media_type == "application/octet-stream" and (filename or "").lower().endswith(".pdf"):
        raise Corrupt("named .pdf but the bytes are not a PDF")
    check_bytes(data, media_type)
    reader = READERS.get(media_type)
    if reader is None:
        raise UnsupportedFormat(f"no reader for {media_type}")
    report = reader(data)
    report.media_type = report.media_type or media_type
    return report


__all__ = ["extract_document", "EXTRACTOR_VERSION"]
