"""Sniff a document's real type from its bytes and hand it to the right reader."""

from __future__ import annotations

import re
from collections.abc import Callable

from extract import EXTRACTOR_VERSION
from extract.errors import Corrupt, EmptyDocument, FileTooLarge, NoTextLayer, UnsupportedFormat
from extract.guards import check_bytes
from extract.records import Report

MAX_BYTES = 200 * 1024 * 1024
_MARKUP = re.compile(
    rb"<(?:p|div|table|tr|td|th|h[1-6]|section|article)\b[^>]{0,200}>"
)  # not <br>: markdown has it


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


def sniff_media_type(data: bytes, filename: str | None = None) -> str:
    """Given a document's bytes (and optionally its name), return its media type.

    The bytes decide; the name only breaks ties (a .wps and a .doc are both OLE files).
    """
    head = data[:2048].lstrip()
    name = (filename or "").lower()
    if data[:1024].find(b"%PDF-") != -1:
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or name.endswith(".docx"):
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if b"OFD.xml" in data[:65536] or name.endswith(".ofd"):
            return "application/ofd"  # GB/T 33190 (China's fixed-layout format): a zip
        return "application/zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/vnd.ms-works" if name.endswith(".wps") else "application/msword"
    lowered = head[:1024].lower()
    if lowered.startswith(b"\xef\xbb\xbf"):
        lowered = lowered[3:]
    if (
        lowered.startswith((b"<!doctype html", b"<html", b"<?xml"))
        or b"<html" in lowered
        or b"<body" in lowered
        or len(_MARKUP.findall(data[:8192].lower())) >= 3  # a fragment: <p>, <table> ... only
    ):
        return "text/html"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "application/octet-stream"
    if name.endswith(".md"):
        return "text/markdown"
    return "text/plain"


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


__all__ = ["extract_document", "sniff_media_type", "EXTRACTOR_VERSION"]
