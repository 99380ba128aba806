"""Sniff a document's real type from its bytes and hand it to the right reader."""

from __future__ import annotations

import importlib
import re

from extract import EXTRACTOR_VERSION
from extract.errors import Corrupt, EmptyDocument, TooLarge, UnsupportedFormat
from extract.guards import check_bytes
from extract.records import Report

MAX_BYTES = 200 * 1024 * 1024
_MARKUP = re.compile(rb"<(?:p|div|table|tr|td|th|h[1-6]|section|article)\b[^>]{0,200}>")  # not <br>: markdown has it

# media type -> "module:function" taking bytes and returning a Report
READERS = {
    "text/plain": "extract.text:text_to_report",
    "text/markdown": "extract.text:text_to_report",
    "application/pdf": "extract.pdf:pdf_to_report",
    "text/html": "extract.html:html_to_report",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "extract.docx:docx_to_report",
    "application/msword": "extract.convert:doc_to_report",
    "application/vnd.ms-works": "extract.convert:doc_to_report",
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
        raise TooLarge(f"{len(data)} bytes is over the {MAX_BYTES}-byte limit")
    media_type = sniff_media_type(data, filename)
    if media_type == "application/octet-stream" and (filename or "").lower().endswith(".pdf"):
        raise Corrupt("named .pdf but the bytes are not a PDF")
    check_bytes(data, media_type)
    target = READERS.get(media_type)
    if target is None:
        raise UnsupportedFormat(f"no reader for {media_type}")
    module_name, func_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise UnsupportedFormat(f"no reader for {media_type} yet") from exc
        raise
    report: Report = getattr(module, func_name)(data)
    report.media_type = report.media_type or media_type
    return report


__all__ = ["extract_document", "sniff_media_type", "EXTRACTOR_VERSION"]
