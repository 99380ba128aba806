"""A document's real media type, sniffed from its bytes: fetching keeps it, extraction
picks the reader by it."""

from __future__ import annotations

import re

_MARKUP = re.compile(
    rb"<(?:p|div|table|tr|td|th|h[1-6]|section|article)\b[^>]{0,200}>"
)  # not <br>: markdown has it


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
