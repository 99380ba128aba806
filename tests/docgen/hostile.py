"""Hostile inputs, made on the fly: each must end as one specific `failures` row, quickly.

Every maker writes into a folder and returns the path; nothing big is kept in git.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path


def zip_bomb_docx(folder: Path, mib: int = 256) -> Path:
    """A .docx whose word/document.xml inflates to `mib` MiB of white space (about 1 MB on disk)."""
    path = folder / "zip_bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (16 * 1024 * 1024)
            for _ in range(mib // 16):
                fh.write(chunk)
    return path


def _pdf(objects: list[bytes]) -> bytes:
    """Given PDF object bodies (object 1 is the catalog), return a PDF file with a valid xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def many_pages_pdf(folder: Path, pages: int = 200_000) -> Path:
    """A small PDF whose page tree holds `pages` references to one empty page."""
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    path = folder / "many_pages.pdf"
    path.write_bytes(_pdf(objects))
    return path


def deeply_nested_pdf(folder: Path, depth: int = 100_000) -> Path:
    """A one-page PDF whose page dictionary holds an array nested `depth` levels deep."""
    nested = b"[" * depth + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Junk " + nested + b" >>",
    ]
    path = folder / "deeply_nested.pdf"
    path.write_bytes(_pdf(objects))
    return path


def huge_file(folder: Path, size: int = 1024**3) -> Path:
    """A 1 GiB file (sparse on disk) named like a PDF."""
    path = folder / "huge.pdf"
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(size)
    return path


def big_html(folder: Path, size: int = 100 * 1024**2) -> Path:
    """A 100 MiB HTML page of repeated table rows."""
    path = folder / "big.html"
    row = "<tr><td>行政许可</td><td>0</td></tr>".encode()
    with open(path, "wb") as fh:
        fh.write(
            b"<html><head><meta charset='utf-8'><title>2024\xe5\xb9\xb4</title></head><body><table>"
        )
        for _ in range(size // len(row)):
            fh.write(row)
        fh.write(b"</table></body></html>")
    return path


def deeply_nested_html(folder: Path, depth: int = 200_000) -> Path:
    """An HTML page of `depth` nested <div>s around a report title."""
    path = folder / "deep.html"
    path.write_bytes(
        b"<html><body>"
        + b"<div>" * depth
        + "某某局2024年政府信息公开工作年度报告".encode()
        + b"</div>" * depth
        + b"</body></html>"
    )
    return path


def junk_named_pdf(folder: Path) -> Path:
    """Random bytes with a .pdf name."""
    path = folder / "junk.pdf"
    path.write_bytes(os.urandom(64 * 1024))
    return path


def truncated_pdf(folder: Path, good: bytes) -> Path:
    """The first half of a real PDF."""
    path = folder / "truncated.pdf"
    path.write_bytes(good[: len(good) // 2])
    return path
