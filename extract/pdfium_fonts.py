"""The system fonts pdfium draws a PDF's non-embedded fonts with, loaded once per process.

A PDF that does not embed a font (``STSong-Light``, the Adobe Chinese font that iText and
ReportLab write without its glyphs) is drawn with a system font pdfium picks (here a Noto
CJK collection, 19 to 27 MB). pdfium keeps the faces it loaded only while some open
document uses them, and it looks a collection's face up by reading the whole file first:
so every such document read the file again and loaded a new FreeType face of it (about a
tenth of pdfium's time on a generated report).

:func:`install` puts a thin layer over pdfium's own system font lookup (``FPDF_SYSFONTINFO``):

- every lookup is pdfium's own (same file, same face), but a face of a collection is
  handed over as the whole file read at face 0, which is the face pdfium opens for it
  anyway (its default lookup gives no face offset): pdfium then looks the face up by name,
  weight and style before it reads anything;
- :func:`keep_substitutes`, called once a document's pages are loaded, keeps each face
  that document was given loaded in a one-page document of its own (one char in a font
  that asks for the same face, weight and style), so the next document finds it loaded.
  At most :data:`KEPT` faces are kept (each holds its file in memory).

Glyph boxes are those of the same face of the same file: what is read does not change.
"""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from typing import Any

import pypdfium2 as pdfium

KEPT = 2  # faces kept loaded at most (the least recently used one goes first)
_TTCF = 0x74746366  # the table tag pdfium asks for a whole font collection with: 'ttcf'
_KEEPER = "XxgkKeptFace"  # the base font name of a keeping document's font, then a number

Key = tuple[int, int, bool]  # (pdfium's handle of a system font, weight, italic)


class _Substitutes(pdfium.PdfSysfontBase):  # type: ignore[misc]  # pypdfium2 is untyped
    """pdfium's default system font lookup, with collections handed over whole and the
    faces asked for recorded for :func:`keep_substitutes`."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: dict[Key, None] = {}  # faces asked for since the last keep, in order
        self.kept: OrderedDict[Key, tuple[pdfium.PdfDocument, pdfium.PdfPage]] = OrderedDict()
        self.keepers: dict[bytes, int] = {}  # a keeping font's name -> its system font
        self.reads = 0  # whole collections handed to pdfium (each a read of its file)

    def MapFont(  # noqa: V105  # an FPDF_SYSFONTINFO callback: pdfium calls it
        self, _: Any, weight: int, italic: int, charset: int, pitch: int, face: Any, exact: Any
    ) -> int | None:
        name = ctypes.cast(face, ctypes.c_char_p).value or b""
        if name in self.keepers:
            return self.keepers[name]
        found: int | None = self.default.MapFont(
            self.default, weight, italic, charset, pitch, face, exact
        )
        if found:
            self.asked[(found, weight, bool(italic))] = None
        return found

    def GetFontData(  # noqa: V105  # an FPDF_SYSFONTINFO callback: pdfium calls it
        self, _: Any, font: Any, table: int, buffer: Any, size: int
    ) -> int:
        default = self.default
        if table in (0, _TTCF):
            whole = default.GetFontData(default, font, _TTCF, None, 0)
            if whole and not default.GetFontData(default, font, 0, None, 0):
                # A face of a collection: the whole file, as a font of its own (face 0).
                if table == _TTCF:
                    return 0
                if buffer and size >= whole:
                    self.reads += 1
                    return int(default.GetFontData(default, font, _TTCF, buffer, whole))
                return int(whole)
        return int(default.GetFontData(default, font, table, buffer, size))

    def keep(self) -> None:
        """Keep the faces asked for since the last call loaded (see keep_substitutes)."""
        asked, self.asked = list(self.asked), {}
        for key in asked:
            if key in self.kept:
                self.kept.move_to_end(key)
            elif (keeping := self._keeping(key)) is not None:
                self.kept[key] = keeping
        while len(self.kept) > KEPT:
            _, (doc, _page) = self.kept.popitem(last=False)
            doc.close()

    def _keeping(self, key: Key) -> tuple[pdfium.PdfDocument, pdfium.PdfPage] | None:
        """Given a face asked for, return a loaded one-page document whose font asks for
        it; None when no font can ask for that weight."""
        font, weight, italic = key
        if weight <= 0 or weight % 5:
            return None  # a CID font asks for five times its stem width
        name = f"{_KEEPER}{len(self.keepers)}".encode()
        self.keepers[name] = font
        try:
            doc = pdfium.PdfDocument(keeping_pdf(name.decode(), weight // 5, italic))
            return doc, doc[0]
        except pdfium.PdfiumError:
            return None


def keeping_pdf(name: str, stem: int, italic: bool) -> bytes:
    """Given a font name, a stem width and whether italic, return a one-page PDF showing
    「一」 in that Chinese CID font, not embedded: pdfium asks the system for a face of
    weight five times the stem width, italic or not, under that name."""
    flags = 4 | (64 if italic else 0)  # symbolic (a CJK font), italic
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 20 20]"
        b" /Resources << /Font << /F0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [6 0 R] >>" % name.encode(),
        b"<< /Length 32 >>\nstream\nBT /F0 10 Tf 5 5 Td <4E00> Tj ET\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /%s"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 0 >>"
        b" /FontDescriptor 7 0 R >>" % name.encode(),
        b"<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [0 -120 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV %d >>"
        % (name.encode(), flags, stem),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_installed: _Substitutes | None = None


def install() -> None:
    """Put the layer over pdfium's system font lookup, once per process (pdfium has one
    lookup per process; pypdfium2 keeps it installed until the process ends)."""
    global _installed
    if _installed is None:
        _installed = _Substitutes()
        _installed.setup()


def keep_substitutes() -> None:
    """Keep loaded, for the documents that follow, the faces pdfium was given for the
    non-embedded fonts of the pages loaded so far (call it once a document's pages and
    text pages are loaded: the keeping documents' own lookups then come after all of
    theirs)."""
    if _installed is not None and _installed.asked:
        _installed.keep()
