"""Printed-and-scanned PDFs and tables pasted as pictures, made from generated reports.

Two formats of the adversarial generators, each drawn from a ``pdf-ruled`` case (one in
four ``pdf-unruled`` for the scans) and carrying its truth:

- ``pdf-scan``: every page rendered at 150-300 dpi, in grey or colour, turned by up to
  1.5°, blurred, speckled, lit unevenly, offset by a few millimetres, JPEG-compressed and
  put back into a PDF of page images with no text layer; on some, a red official seal
  stamped over the signature and date (in colour, or grey where the scan is grey);
- ``html-image``: the report as a CMS article whose tables 二, 三 and 四 (or only 三 and
  四) were pasted as pictures (``<img src="data:image/png;base64,...">``), one picture
  per table and page of the PDF (a turned page pictured upright, as a reader shows it),
  each placed after its section's heading;
- ``pdf-picture``: the report as a born-digital PDF whose tables (all three, or only 三
  and 四) were pasted as pictures (as Word exports a report whose tables are
  screenshots): each table's text and rulings taken off its page and a picture of them
  (90-200 dpi, PNG or JPEG) drawn in their place; the prose stays in the text layer;
- ``docx-picture``: the report as a Word document whose tables (all three, or only 三
  and 四) are pictures of the PDF's tables pasted in their place, one a paragraph.
"""

from __future__ import annotations

import base64
import io
import math
import random
import re
from dataclasses import dataclass, field, replace
from typing import Any

from tests.docgen.adversarial import Case, draw_case

SCAN_DPI = (150, 200, 240, 300)


@dataclass
class ScanLook:
    """How one document was scanned."""

    dpi: int = 200
    colour: bool = False
    skews: list[float] = field(default_factory=list)  # degrees, one per page
    blur: float = 0.6  # pixels
    noise: float = 3.0  # grey levels
    quality: int = 70  # JPEG
    offset_mm: tuple[float, float] = (0.0, 0.0)
    seal: bool = False
    seed: int = 0


def draw_look(rng: random.Random, pages: int) -> ScanLook:
    """Given an rng and a page count, return a scan's look drawn at random."""
    return ScanLook(
        dpi=rng.choice(SCAN_DPI),
        colour=rng.random() < 0.4,
        skews=[round(rng.uniform(-1.5, 1.5), 2) for _ in range(pages)],
        blur=round(rng.uniform(0.3, 1.2), 2),
        noise=round(rng.uniform(2, 7), 1),
        quality=rng.randint(55, 80),
        offset_mm=(round(rng.uniform(-3, 3), 1), round(rng.uniform(-3, 3), 1)),
        seal=rng.random() < 0.4,
        seed=rng.randint(0, 10**6),
    )


def _seal(image, at: tuple[int, int], radius: int, colour: bool):  # noqa: ANN001, ANN202
    """Stamp a red official seal (a ring, a star, its body's name round it) on a page."""
    from PIL import ImageDraw

    layer = image.convert("RGB")
    draw = ImageDraw.Draw(layer)
    red = (215, 40, 40)
    x, y = at
    for k in range(3):
        draw.ellipse((x - radius + k, y - radius + k, x + radius - k, y + radius - k), outline=red)
    star = [
        (
            x + (radius / 3 if i % 2 == 0 else radius / 7) * math.sin(i * 0.6283),
            y - (radius / 3 if i % 2 == 0 else radius / 7) * math.cos(i * 0.6283),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=red)
    for i in range(12):  # strokes standing for the characters round the ring
        a = -2.4 + i * 0.4
        cx, cy = x + 0.72 * radius * math.sin(a), y - 0.72 * radius * math.cos(a)
        draw.rectangle(
            (cx - radius / 14, cy - radius / 14, cx + radius / 14, cy + radius / 14), fill=red
        )
    from PIL import Image

    out = Image.blend(image.convert("RGB"), layer, 0.8)
    return out if colour else out.convert("L")


def scan_pdf(pdf: bytes, look: ScanLook) -> bytes:
    """Given a born-digital PDF and a scan's look, return it printed and scanned: a PDF of
    JPEG page images with no text layer."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(look.seed)
    doc = pdfium.PdfDocument(pdf)
    pages = []
    for i in range(len(doc)):
        image = doc[i].render(scale=look.dpi / 72).to_pil().convert("RGB" if look.colour else "L")
        w, h = image.size
        if look.seal and i == len(doc) - 1:
            image = _seal(image, (int(w * 0.68), int(h * 0.78)), int(w * 0.09), look.colour)
        dx, dy = (int(mm / 25.4 * look.dpi) for mm in look.offset_mm)
        fill = (255, 255, 255) if look.colour else 255
        image = image.rotate(
            look.skews[i % len(look.skews)],
            resample=Image.Resampling.BICUBIC,
            translate=(dx, dy),
            fillcolor=fill,
        )
        image = image.filter(ImageFilter.GaussianBlur(look.blur))
        pixels = np.asarray(image).astype(np.float32)
        light = np.linspace(0, 18, w, dtype=np.float32)  # uneven light across the page
        pixels = pixels - (light[None, :, None] if look.colour else light[None, :])
        pixels += rng.normal(0, look.noise, pixels.shape).astype(np.float32)
        specks = rng.random(pixels.shape[:2]) < 0.0004
        pixels[specks] = 40
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=look.quality)
        pages.append(Image.open(io.BytesIO(buf.getvalue())))
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=look.dpi)
    return out.getvalue()


class FromPdfCase(Case):
    """A PDF case whose document is its PDF made over (:meth:`made_over`), once."""

    pdf: bytes = b""

    @property
    def filename(self) -> str:
        return "doc.pdf"

    def made_over(self, born: bytes) -> bytes:
        raise NotImplementedError

    def render(self) -> bytes:
        if not self.pdf:
            from tests.docgen.pdf import render_pdf

            self.pdf = self.made_over(render_pdf(self.truth, self.style, self.options))  # type: ignore[arg-type]
        return self.pdf


class ScanCase(FromPdfCase):
    """A PDF case printed and scanned."""

    look: ScanLook = ScanLook()

    def made_over(self, born: bytes) -> bytes:
        return scan_pdf(born, self.look)


def draw_scan_case(rng: random.Random) -> ScanCase:
    """Given an rng, return one scanned document (a ruled PDF case; one in four unruled)."""
    fmt = "pdf-unruled" if rng.random() < 0.25 else "pdf-ruled"
    case = draw_case(rng, fmt)
    # Pages printed turned (a landscape table scanned sideways) are not read yet: the
    # OCR turns a page by a few degrees, not a quarter (see the README).
    options = replace(case.options, turn="")  # type: ignore[type-var]
    out = ScanCase("pdf-scan", case.truth, case.style, options, case.variant)
    out.look = draw_look(rng, 8)
    out.variant += [f"scan_dpi_{out.look.dpi}", "scan_rgb" if out.look.colour else "scan_grey"]
    out.variant += ["scan_seal"] * out.look.seal + (
        ["scan_unruled"] if fmt == "pdf-unruled" else []
    )
    return out


# ---------------------------------------------------------------- pictured tables

_SECTION = re.compile(r"^([二三四五])\s*[、.．]")


def table_boxes(pdf: bytes) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """Given a ruled report PDF with upright pages, return its tables' boxes: (page, table,
    bbox in points from the page's top left), one per ruled table and page, in order, each
    assigned to the section (active, requests, appeals) whose heading stands last before
    it; the tables after section 五's heading are left out."""
    import pdfplumber

    sections = {"二": "active", "三": "requests", "四": "appeals", "五": None}
    found: list[tuple[int, float, str | None]] = []
    boxes: list[tuple[int, float, tuple[float, float, float, float]]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for i, page in enumerate(doc.pages):
            if page.rotation % 360:
                # pdfplumber's boxes on a page shown turned are not where pdfium draws it
                raise ValueError(f"page {i + 1} is turned by /Rotate: no picture of it")
            tables = [table.bbox for table in page.find_tables()]
            for x0, y0, x1, y1 in tables:
                if x0 < 0 or y0 < 0 or x1 > page.width or y1 > page.height:
                    raise ValueError(f"page {i + 1}: a table runs off the page")
                boxes.append((i, y0, (x0, y0, x1, y1)))
            for line in page.extract_text_lines():
                m = _SECTION.match(line["text"].strip())
                # 「二、上年结转…」 and 「四、结转下年度继续办理」 are rows of table 三
                inside = any(y0 <= line["top"] < y1 for _, y0, _, y1 in tables)
                if m and not inside:
                    found.append((i, line["top"], sections[m.group(1)]))
    out = []
    for i, top, bbox in boxes:
        before = [s for p, t, s in found if (p, t) <= (i, top)]
        if before and before[-1] is not None:
            out.append((i, before[-1], bbox))
    return out


def pdf_table_pictures(pdf: bytes, scale: float) -> dict[str, list[bytes]]:
    """Given a ruled report PDF with upright pages and a scale, return PNG pictures of its
    tables by table (active, requests, appeals): one per ruled table and page
    (:func:`table_boxes`), in order, as a screenshot of the page cuts it out."""
    import pypdfium2 as pdfium
    from PIL import Image

    rendered = pdfium.PdfDocument(pdf)
    out: dict[str, list[bytes]] = {"active": [], "requests": [], "appeals": []}
    images: dict[int, Image.Image] = {}  # a page rendered once, however many tables it holds
    for i, table, (x0, y0, x1, y1) in table_boxes(pdf):
        if i not in images:
            images[i] = rendered[i].render(scale=scale).to_pil()
        image = images[i]
        pad = 6
        crop = image.crop(
            (
                max(0, int((x0 - pad) * scale)),
                max(0, int((y0 - pad) * scale)),
                min(image.width, int((x1 + pad) * scale)),
                min(image.height, int((y1 + pad) * scale)),
            )
        )
        buf = io.BytesIO()
        crop.save(buf, "PNG")
        out[table].append(buf.getvalue())
    return out


class PictureCase(Case):
    """An HTML case whose tables were pasted as pictures of the PDF's tables."""

    pictured: tuple[str, ...] = ("active", "requests", "appeals")
    scale: float = 1.5
    html_options: dict = {}  # noqa: RUF012

    @property
    def filename(self) -> str:
        return "doc.html"

    def pictures(self) -> dict[str, list[bytes]]:
        """The PDF's tables pictured at the case's scale, by table; every pictured one."""
        from tests.docgen.pdf import render_pdf

        pictures = pdf_table_pictures(render_pdf(self.truth, self.style, self.options), self.scale)  # type: ignore[arg-type]
        missing = [t for t in self.pictured if not pictures[t]]
        if missing:
            raise ValueError(f"no picture of table(s) {missing}")
        return pictures

    def render(self) -> bytes:
        from tests.docgen.html import render_html

        html = render_html(self.truth, self.style, **self.html_options).decode("utf-8")
        return picture_tables(html, self.pictures(), self.pictured).encode("utf-8")


def picture_tables(html: str, pictures: dict[str, list[bytes]], pictured: tuple[str, ...]) -> str:
    """Given an article's HTML, pictures of its tables and which tables to picture, return
    the HTML with each pictured table's <table> elements replaced by its pictures."""
    parts = re.split(r"(<table\b.*?</table>)", html, flags=re.S)
    heads = {"二": "active", "三": "requests", "四": "appeals"}
    current: str | None = None
    done: set[str] = set()
    out = []
    for part in parts:
        if part.startswith("<table"):
            if current is not None and current in pictured:
                if current not in done:
                    out += [
                        f'<p><img src="data:image/png;base64,{base64.b64encode(p).decode()}"/></p>'
                        for p in pictures[current]
                    ]
                    done.add(current)
                continue
            out.append(part)
            continue
        for m in re.finditer(r">\s*([二三四五])\s*、", part):
            current = heads.get(m.group(1), current if m.group(1) != "五" else None)
        out.append(part)
    if set(pictured) - done:
        raise ValueError(f"no table of {sorted(set(pictured) - done)} found to picture")
    return "".join(out)


def draw_picture_case(rng: random.Random) -> PictureCase:
    """Given an rng, return one HTML article with pictured tables (a ruled PDF case's
    tables; one in four with only tables 三 and 四 pictured)."""
    out = _draw_pictured(rng, PictureCase, "html-image", (1.25, 1.5, 2.0))  # 90 dpi and more
    out.html_options = {"markup": rng.choice(["cms", "word"]), "seed": rng.randint(0, 10**6)}
    out.variant += [f"pictured_{'_'.join(out.pictured)}", f"picture_scale_{out.scale}"]
    return out


def _draw_pictured(rng: random.Random, kind: type, fmt: str, scales: tuple[float, ...]) -> Any:
    """Given an rng, a pictured format's case class and name and the pictures' scales to
    draw from, return such a case of a ruled PDF case's truth, style and options with the
    tables to picture and the scale drawn."""
    case = draw_case(rng, "pdf-ruled")
    # A table on a page turned by /Rotate or drawn sideways is pictured as a reader shows
    # it, turned upright: the picture of a landscape page's table.
    turn = "landscape" if case.options.turn else ""  # type: ignore[attr-defined]
    options = replace(case.options, turn=turn)  # type: ignore[type-var]
    out = kind(fmt, case.truth, case.style, options, case.variant)
    out.pictured = (
        ("requests", "appeals") if rng.random() < 0.25 else ("active", "requests", "appeals")
    )
    out.scale = rng.choice(scales)
    return out


# ------------------------------------------------------- a PDF's tables pasted as pictures


def picture_pdf_tables(pdf: bytes, scale: float, pictured: tuple[str, ...], jpeg: bool) -> bytes:
    """Given a ruled report PDF with upright pages, a picture's pixels per point, which
    tables to picture and whether as JPEG, return the PDF with each such table's text
    and ruling lines (every object whose middle stands in its box) replaced by a picture
    of the table as the page shows it."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    boxes = [(i, bbox) for i, table, bbox in table_boxes(pdf) if table in pictured]
    shown = pdfium.PdfDocument(pdf)
    doc = pdfium.PdfDocument(pdf)
    kinds = (pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH)
    for i in sorted({i for i, _ in boxes}):
        page, height = doc[i], doc[i].get_height()
        image = shown[i].render(scale=scale).to_pil().convert("RGB")
        mine = [bbox for j, bbox in boxes if j == i]
        pad = 3.0
        for x0, top, x1, bottom in mine:
            y0, y1 = height - bottom - pad, height - top + pad  # PDF user space: up from the foot
            area = (x0 - pad, y0, x1 + pad, y1)
            for obj in [
                o for o in page.get_objects(max_depth=1) if o.type in kinds and _middle_in(o, area)
            ]:
                page.remove_obj(obj)
            crop = image.crop(
                (
                    int((x0 - pad) * scale),
                    int((top - pad) * scale),
                    int((x1 + pad) * scale),
                    int((bottom + pad) * scale),
                )
            )
            picture = pdfium.PdfImage.new(doc)
            if jpeg:
                buf = io.BytesIO()
                crop.save(buf, "JPEG", quality=85)
                picture.load_jpeg(io.BytesIO(buf.getvalue()), inline=False)
            else:
                picture.set_bitmap(pdfium.PdfBitmap.from_pil(crop))
            w, h = (x1 - x0) + 2 * pad, (bottom - top) + 2 * pad
            picture.set_matrix(pdfium.PdfMatrix().scale(w, h).translate(x0 - pad, y0))
            page.insert_obj(picture)
        page.gen_content()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _middle_in(obj: Any, area: tuple[float, float, float, float]) -> bool:
    left, low, right, high = obj.get_bounds()
    return area[0] <= (left + right) / 2 <= area[2] and area[1] <= (low + high) / 2 <= area[3]


class PicturedPdfCase(FromPdfCase):
    """A ruled PDF case whose tables were pasted as pictures."""

    pictured: tuple[str, ...] = ("active", "requests", "appeals")
    scale: float = 1.5
    jpeg: bool = False

    def made_over(self, born: bytes) -> bytes:
        return picture_pdf_tables(born, self.scale, self.pictured, self.jpeg)


def draw_pictured_pdf_case(rng: random.Random) -> PicturedPdfCase:
    """Given an rng, return one born-digital PDF whose tables are pictures (a ruled PDF
    case; one in four with only tables 三 and 四 pictured)."""
    case = draw_case(rng, "pdf-ruled")
    options = replace(case.options, turn="")  # type: ignore[type-var]
    out = PicturedPdfCase("pdf-picture", case.truth, case.style, options, case.variant)
    out.pictured = (
        ("requests", "appeals") if rng.random() < 0.25 else ("active", "requests", "appeals")
    )
    out.scale = rng.choice([1.25, 1.5, 2.0, 2.8])  # 90 to 200 dpi
    out.jpeg = rng.random() < 0.5
    out.variant += [
        f"pictured_{'_'.join(out.pictured)}",
        f"picture_scale_{out.scale}",
        "picture_jpeg" if out.jpeg else "picture_png",
    ]
    return out


# ------------------------------------------------------ a Word report's tables as pictures


def picture_docx_tables(
    docx: bytes, pictures: dict[str, list[bytes]], pictured: tuple[str, ...]
) -> bytes:
    """Given a report .docx, pictures of its tables (by table, in order) and which tables
    to picture, return the .docx with each such table's ``w:tbl`` elements (a table
    broken by a page break is two) replaced by its pictures, one a paragraph, 15 cm wide
    at most."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm
    from PIL import Image

    doc = Document(io.BytesIO(docx))
    body = doc.element.body
    # the sections' headings by their words (numbered by Word's lists, they print no 「三、」)
    heads = {
        "主动公开政府信息": "active",
        "收到和处理": "requests",
        "行政复议": "appeals",
        "存在的主要问题": None,
    }
    current: str | None = None
    done: set[str] = set()
    for block in list(body):
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            current = next((t for w, t in heads.items() if w in text and len(text) < 40), current)
            continue
        if tag != "tbl" or current not in pictured:
            continue
        if current not in done:
            for png in pictures[current]:
                width = min(Image.open(io.BytesIO(png)).width / 96 * 2.54, 15.0)
                para = doc.add_paragraph()
                para.add_run().add_picture(io.BytesIO(png), width=Cm(width))
                block.addprevious(para._p)
            done.add(current)
        body.remove(block)
    if set(pictured) - done:
        raise ValueError(f"no table of {sorted(set(pictured) - done)} found to picture")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class PicturedDocxCase(PictureCase):
    """A Word report whose tables were pasted as pictures of the PDF's tables."""

    docx_options: dict = {}  # noqa: RUF012

    @property
    def filename(self) -> str:
        return "doc.docx"

    def render(self) -> bytes:
        from tests.docgen.docx import render_docx

        docx = render_docx(self.truth, self.style, **self.docx_options)
        return picture_docx_tables(docx, self.pictures(), self.pictured)


def draw_pictured_docx_case(rng: random.Random) -> PicturedDocxCase:
    """Given an rng, return one Word report whose tables are pictures (a ruled PDF case's
    tables; one in four with only tables 三 and 四 pictured)."""
    out = _draw_pictured(rng, PicturedDocxCase, "docx-picture", (1.25, 1.5, 2.0, 2.8))
    out.docx_options = {"seed": rng.randint(0, 10**6), "list_headings": rng.random() < 0.2}
    out.variant += [f"pictured_{'_'.join(out.pictured)}", f"picture_scale_{out.scale}"]
    return out
