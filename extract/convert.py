"""Legacy Word (.doc) and WPS (.wps) reports, converted to .docx by LibreOffice.

LibreOffice is optional: when ``soffice`` is not on the PATH (or
``$XXGK_SOFFICE`` names no program) the document fails with
``needs_converter`` and is kept in the raw store for a later ``xxgk rerun``.
Each conversion runs headless in its own temporary folder and user profile
(so parallel conversions do not fight over one profile) and is killed after
``$XXGK_CONVERT_TIMEOUT`` seconds (default 120).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extract.docx import docx_to_report
from extract.errors import Corrupt, Encrypted, NeedsConverter, Timeout
from extract.records import Report

DEFAULT_TIMEOUT = 120.0
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def find_converter() -> str | None:
    """Return the path of the LibreOffice program to convert with, or None when there is none."""
    name = os.environ.get("XXGK_SOFFICE") or "soffice"
    return shutil.which(name) or (shutil.which("libreoffice") if name == "soffice" else None)


def convert_timeout() -> float:
    """Return the conversion time limit in seconds ($XXGK_CONVERT_TIMEOUT, default 120)."""
    try:
        return float(os.environ.get("XXGK_CONVERT_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def is_encrypted_ole(data: bytes) -> bool:
    """Given OLE bytes, tell whether they hold a password-protected Office document."""
    return data.startswith(_OLE) and "EncryptedPackage".encode("utf-16-le") in data


def doc_to_docx(data: bytes, soffice: str, timeout: float, suffix: str = ".doc") -> bytes:
    """Given .doc/.wps bytes and the LibreOffice program, return the document as .docx bytes."""
    with tempfile.TemporaryDirectory(prefix="xxgk-convert-") as tmp:
        folder = Path(tmp)
        source = folder / f"report{suffix}"
        source.write_bytes(data)
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, so a timeout kills its children too
        )
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise Timeout(f"LibreOffice took more than {timeout:g}s to convert the file") from exc
        produced = folder / "out" / "report.docx"
        if not produced.exists():
            message = err.decode("utf-8", "replace").strip().splitlines()
            raise Corrupt(
                "LibreOffice could not convert the file"
                + (f": {message[-1]}" if message else f" (exit {process.returncode})")
            )
        return produced.read_bytes()


def doc_to_report(data: bytes, suffix: str = ".doc") -> Report:
    """Given the bytes of a .doc or .wps report, return its Report.

    Raises NeedsConverter when LibreOffice is not installed, Timeout when the
    conversion runs over its limit, Encrypted or Corrupt when it cannot be read.
    """
    if is_encrypted_ole(data):
        raise Encrypted("the Word file is password-protected")
    soffice = find_converter()
    if soffice is None:
        raise NeedsConverter(
            "a .doc/.wps file needs LibreOffice (soffice) to be converted; install it and rerun"
        )
    report = docx_to_report(doc_to_docx(data, soffice, convert_timeout(), suffix))
    report.media_type = None  # the dispatcher records the original type
    return report
