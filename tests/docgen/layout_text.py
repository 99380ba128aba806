"""Layout text: generated ruled PDFs read back by ``pdftotext -layout`` (poppler-utils).

The format ``txt-layout`` of the adversarial generators: a ``pdf-ruled`` case drawn from
the same rng (every PDF switch: label widths, alignments, page breaks inside tables,
blanks for zeros, the source's own errors), rendered, then converted with
``pdftotext -layout`` and, for one document in three, ``-nopgbrk`` (no form feeds). The
truth is the PDF's. Needs pdftotext and poppler-data: :func:`missing_tools` tells.
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


_CMAP = Path("/usr/share/poppler/cMap/Adobe-GB1/UniGB-UCS2-H")  # poppler-data


def missing_tools() -> str | None:
    """Return why layout text cannot be made here (None when it can): pdftotext
    (poppler-utils) missing, or poppler-data, without which pdftotext reads no character
    of the generator's non-embedded CID font STSong-Light."""
    if shutil.which("pdftotext") is None:
        return "pdftotext (poppler-utils) is not installed"
    if not _CMAP.exists():
        return f"poppler-data is not installed (no {_CMAP})"
    return None


def have_pdftotext() -> bool:
    """Tell whether layout text can be made here (see :func:`missing_tools`)."""
    return missing_tools() is None


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
        subprocess.run(
            [exe, *flags, str(src), str(out)], check=True, timeout=60, capture_output=True
        )
        return out.read_bytes()


class LayoutTextCase(Case):
    """A ruled PDF case whose document is its ``pdftotext -layout`` text."""

    page_breaks: bool = True
    pdf: bytes = b""  # the rendered PDF, once

    @property
    def filename(self) -> str:
        return f"doc.{EXTENSION}"

    def render_pdf(self) -> bytes:
        if not self.pdf:
            from tests.docgen.pdf import render_pdf

            self.pdf = render_pdf(self.truth, self.style, self.options)  # type: ignore[arg-type]
        return self.pdf

    def render(self) -> bytes:
        return pdftotext_layout(self.render_pdf(), self.page_breaks)


def off_page(pdf: bytes) -> bool:
    """Given PDF bytes, tell whether some text stands past a page's edge (a title or a
    table drawn wider than the page): pdftotext leaves it out, pdfium reads it."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return any(
            c["x0"] < 0 or c["x1"] > page.width or c["top"] < 0 or c["bottom"] > page.height
            for page in doc.pages
            for c in page.chars
        )


_TRIES = 20  # documents drawn before one lies wholly on its pages


def draw_layout_case(rng: random.Random) -> LayoutTextCase:
    """Given an rng, return one layout-text document: a ruled PDF case, drawn again while
    some of its text lies past a page's edge (its truth is then not in the text), through
    pdftotext; one in three with ``-nopgbrk``."""
    for _ in range(_TRIES):
        case = draw_case(rng, "pdf-ruled")
        out = LayoutTextCase(FORMAT, case.truth, case.style, case.options, case.variant)
        if not off_page(out.render_pdf()):
            break
    out.page_breaks = rng.random() >= 1 / 3
    if not out.page_breaks:
        out.variant.append("pdftotext_nopgbrk")
    return out
