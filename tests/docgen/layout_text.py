"""Layout text: generated ruled PDFs read back by ``pdftotext -layout`` (poppler-utils).

The format ``txt-layout`` of the adversarial generators: a ``pdf-ruled`` case drawn from
the same rng (every PDF switch: label widths, alignments, page breaks inside tables,
blanks for zeros, the source's own errors), rendered, then converted with
``pdftotext -layout`` and, for one document in three, ``-nopgbrk`` (no form feeds). The
truth is the PDF's. Needs ``/usr/bin/pdftotext``: :func:`have_pdftotext` tells.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.docgen.adversarial import Case, draw_case

FORMAT = "txt-layout"
EXTENSION = "txt"


def have_pdftotext() -> bool:
    """Tell whether poppler's pdftotext is installed."""
    return shutil.which("pdftotext") is not None


def pdftotext_layout(pdf: bytes, page_breaks: bool = True) -> bytes:
    """Given PDF bytes, return ``pdftotext -layout`` of them (UTF-8); ``page_breaks=False``
    adds ``-nopgbrk``. Raises FileNotFoundError without pdftotext."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise FileNotFoundError("pdftotext (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory(prefix="layout_text_") as tmp:
        src, out = Path(tmp) / "doc.pdf", Path(tmp) / "doc.txt"
        src.write_bytes(pdf)
        flags = ["-layout", "-enc", "UTF-8"] + ([] if page_breaks else ["-nopgbrk"])
        subprocess.run([exe, *flags, str(src), str(out)], check=True, timeout=60)
        return out.read_bytes()


class LayoutTextCase(Case):
    """A ruled PDF case whose document is its ``pdftotext -layout`` text."""

    page_breaks: bool = True

    @property
    def filename(self) -> str:
        return f"doc.{EXTENSION}"

    def render(self) -> bytes:
        from tests.docgen.pdf import render_pdf

        pdf = render_pdf(self.truth, self.style, self.options)  # type: ignore[arg-type]
        return pdftotext_layout(pdf, self.page_breaks)


def draw_layout_case(rng: random.Random) -> LayoutTextCase:
    """Given an rng, return one layout-text document: a ruled PDF case through pdftotext."""
    case = draw_case(rng, "pdf-ruled")
    out = LayoutTextCase(FORMAT, case.truth, case.style, case.options, case.variant)
    out.page_breaks = rng.random() >= 1 / 3
    if not out.page_breaks:
        out.variant.append("pdftotext_nopgbrk")
    return out
