"""Cheap checks on a document's bytes before a reader parses them.

Files come from thousands of websites: a zip that inflates to gigabytes, a PDF
with 200,000 pages or a 100 MB web page must be refused from what they declare,
before any reader spends time or memory on them. The per-document worker
limits (flows/workers.py) are the backstop; these guards give the specific code.
"""

from __future__ import annotations

import io
import re
import zipfile

from extract.errors import Corrupt, FileTooLarge, TooComplex, TooManyPages, ZipBomb

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # all members of an office zip, as declared
MAX_ZIP_RATIO = 200  # declared size / compressed size of one member
MAX_ZIP_MEMBERS = 10_000
MAX_HTML_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 1000
MAX_PDF_NESTING = 100
# A run of array or dictionary openers: pdfium silently gives up past 64 levels and
# would report a page with a nested-away text layer as a scan; say what it is instead.
_PDF_OPENERS = re.compile(rb"[\[<][\[<\s]{%d,}" % (MAX_PDF_NESTING - 1))

ZIP_MEDIA_TYPES = (
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)


def check_zip(data: bytes) -> None:
    """Given an office zip's bytes, raise ZipBomb if its central directory declares too much."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError) as exc:
        raise Corrupt(f"not a readable zip: {exc}") from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise ZipBomb(f"{len(members)} zip members, over the {MAX_ZIP_MEMBERS} limit")
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise ZipBomb(f"declares {total} bytes unzipped, over the {MAX_UNZIPPED_BYTES}-byte limit")
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise ZipBomb(
                f"{m.filename} inflates {m.file_size // max(m.compress_size, 1)}-fold "
                f"(limit {MAX_ZIP_RATIO})"
            )


def check_html_size(data: bytes) -> None:
    """Given an HTML page's bytes, raise FileTooLarge if no report page is that big."""
    if len(data) > MAX_HTML_BYTES:
        raise FileTooLarge(f"{len(data)} bytes of HTML is over the {MAX_HTML_BYTES}-byte limit")


def check_page_count(pages: int) -> None:
    """Given a PDF's page count, raise TooManyPages if no report is that long."""
    if pages > MAX_PDF_PAGES:
        raise TooManyPages(f"{pages} pages, over the {MAX_PDF_PAGES}-page limit")


def check_pdf_nesting(data: bytes) -> None:
    """Given PDF bytes, raise TooComplex if they open arrays or dictionaries too deep."""
    for run in _PDF_OPENERS.finditer(data):
        if run.group().count(b"[") + run.group().count(b"<<") >= MAX_PDF_NESTING:
            raise TooComplex(f"objects nested over {MAX_PDF_NESTING} levels deep")


def check_bytes(data: bytes, media_type: str) -> None:
    """Given a document's bytes and sniffed media type, raise an ExtractError if it is hostile."""
    if media_type in ZIP_MEDIA_TYPES:
        check_zip(data)
    elif media_type == "text/html":
        check_html_size(data)
    elif media_type == "application/pdf":
        check_pdf_nesting(data)
