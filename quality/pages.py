"""Draw what was read on the PDF's own pages: one PNG per page that holds a table.

pdfium renders the page (pypdfium2); every cell read is boxed at its stored bbox (PDF
points from the top-left, scaled to the render) in the colour of its check state and
labelled with its row and column code; a margin on the right lists the template cells
of the page's tables that were not read, and the blank cells that have no box.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pypdfium2
from PIL import Image, ImageDraw, ImageFont

from quality.view import (
    BLANK,
    FAIL,
    PASS,
    UNCHECKED,
    UNREAD,
    BBox,
    CellView,
    ReportView,
    TableView,
)

BOX_COLOURS = {
    PASS: (0, 140, 60),
    FAIL: (220, 20, 20),
    BLANK: (120, 120, 120),
    UNCHECKED: (30, 90, 220),
}
PALETTE_TINTS = 15
STATE_WORDS = {
    PASS: "identities pass",
    FAIL: "a failing identity",
    BLANK: "read, no value (blank)",
    UNCHECKED: "no identity (active: table 2)",
}


@dataclass(frozen=True)
class PageSettings:
    """How pages are drawn: render scale (1 = 72 dpi), box line width, label and margin."""

    scale: float = 3.0
    box_width: int = 2  # pixels, drawn outside the bbox so the glyphs stay visible
    label_size: float = 3.0  # points, scaled with the page: the largest label
    label_min_px: int = 6  # the smallest label, in pixels, when the codes do not fit
    margin_width: float = 250.0  # points
    margin_size: float = 7.0  # points

    def __post_init__(self) -> None:
        for name in ("scale", "label_size", "margin_width", "margin_size"):
            if not getattr(self, name) > 0:
                raise ValueError(f"PageSettings.{name} must be positive, not {getattr(self, name)}")
        if self.box_width < 1:
            raise ValueError(f"PageSettings.box_width must be at least 1, not {self.box_width}")


@dataclass(frozen=True)
class Boxed:
    """One cell to draw: its table, codes, state and box in pixels (left, top, right, bottom)."""

    table: str
    cell: CellView
    box: tuple[int, int, int, int]


def bbox_to_box(bbox: BBox, scale: float, width: int) -> tuple[int, int, int, int]:
    """Given a cell's bbox in PDF points, the render scale and the line width, return the
    outer edges in pixels of a box whose inner edge runs just around the scaled bbox."""
    x0, top, x1, bottom = bbox
    return (
        math.floor(x0 * scale) - width,
        math.floor(top * scale) - width,
        math.ceil(x1 * scale) + width,
        math.ceil(bottom * scale) + width,
    )


def table_cells(table: TableView) -> list[CellView]:
    """Given a table's view, return every cell read, in template order."""
    cells = [c for b in table.blocks for r in b.rows for c in r.cells if c.state != UNREAD]
    return cells + list(table.extra)


def pages_with_tables(view: ReportView) -> list[int]:
    """Given a view, return the pages that hold a cell of some table, in order."""
    return sorted({c.page for t in view.tables for c in table_cells(t) if c.page is not None})


def page_to_boxed(view: ReportView, page: int, settings: PageSettings) -> list[Boxed]:
    """Given a view and a page, return the cells read on it that have a bbox, as boxes."""
    return [
        Boxed(t.table, c, bbox_to_box(c.bbox, settings.scale, settings.box_width))
        for t in view.tables
        for c in table_cells(t)
        if c.page == page and c.bbox is not None
    ]


def keys_by_row(keys: list[str]) -> list[str]:
    """Given row/col keys, return one entry per row: `row: col, col` (or `row: all`)."""
    rows: dict[str, list[str]] = {}
    for key in keys:
        row, col = key.split("/", 1)
        rows.setdefault(row, []).append(col)
    return [f"{row}: {', '.join(cols)}" for row, cols in rows.items()]


def margin_lines(view: ReportView, page: int, boxed: list[Boxed]) -> list[str]:
    """Given a view, a page and its boxes, return the margin's text: what the boxes mean,
    the template cells of this page's tables not read, and blank cells with no box."""
    lines = [f"page {page}: {len(boxed)} cells boxed, labelled row / column", ""]
    lines += [f"{state}: {STATE_WORDS[state]}" for state in BOX_COLOURS]
    on_page = [t for t in view.tables if any(c.page == page for c in table_cells(t))]
    for t in view.tables:
        if t in on_page or not table_cells(t):
            where = "" if t in on_page else " (on no page)"
            unread = keys_by_row(list(t.unread))
            lines += ["", f"{t.table}{where}: {len(t.unread)} template cells not read"]
            lines += [f"  {line}" for line in unread]
        if t in on_page:
            boxless = [f"{c.row}/{c.col}" for c in table_cells(t) if c.page == page and not c.bbox]
            if boxless:
                lines.append(f"  read blank, no box: {len(boxless)}")
                lines += [f"  {line}" for line in keys_by_row(boxless)]
    return lines


@cache
def _font(pixels: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return Pillow's default font at `pixels`: a FreeTypeFont, or without FreeType its one
    bitmap font (of one size, whatever was asked)."""
    return ImageFont.load_default(size=pixels)


def line_height(font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> float:
    """Given a label font, return the pixels from one label line to the next: a FreeType
    font's size, the bitmap font's glyph height (it has no size)."""
    if isinstance(font, ImageFont.FreeTypeFont):
        return font.size
    return font.getbbox("Ag")[3]


def room_right(b: Boxed, boxed: list[Boxed], page_width: int) -> int:
    """Given a box, every box of its page and the page width, return the pixels from its left
    edge to the next box on the same line (or to the page's edge)."""
    lefts = [
        o.box[0]
        for o in boxed
        if o.box[0] > b.box[0] and o.box[1] < b.box[3] and o.box[3] > b.box[1]
    ]
    return min(lefts, default=page_width) - b.box[0]


def label_font(
    b: Boxed, room: int, settings: PageSettings
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Given a box and the room to its right, return the largest label font (down to the
    smallest allowed) in which its row and column codes fit that room."""
    size = round(settings.label_size * settings.scale)
    while size > settings.label_min_px:
        font = _font(size)
        if max(font.getlength(b.cell.row), font.getlength(b.cell.col)) <= room - 2:
            return font
        size -= 1
    return _font(settings.label_min_px)


def draw_labels(
    draw: ImageDraw.ImageDraw, boxed: list[Boxed], page_width: int, settings: PageSettings
) -> None:
    """Given boxes, write each one's row code and column code just below its left corner,
    as large as fits before the next box on its line."""
    for b in boxed:
        font = label_font(b, room_right(b, boxed, page_width), settings)
        x, y = b.box[0], b.box[3] + 1
        colour = BOX_COLOURS[b.cell.state]
        draw.text((x, y), b.cell.row, fill=colour, font=font)
        draw.text((x, y + line_height(font)), b.cell.col, fill=colour, font=font)


def draw_margin(image: Image.Image, left: int, lines: list[str], settings: PageSettings) -> None:
    """Given the image, where the margin starts and its lines, write them (wrapped)."""
    draw = ImageDraw.Draw(image)
    size = round(settings.margin_size * settings.scale)
    font = _font(size)
    width = max(20, int(settings.margin_width / (settings.margin_size * 0.6)))
    y: float = size
    for line in lines:
        colour = BOX_COLOURS.get(line.split(":")[0], (0, 0, 0))
        for part in textwrap.wrap(line, width, subsequent_indent="    ") or [""]:
            if y > image.height - 2 * size:
                draw.text((left + size, y), "…", fill=(0, 0, 0), font=font)
                return
            draw.text((left + size, y), part, fill=colour, font=font)
            y += size * 1.25


def render_page(
    page: pypdfium2.PdfPage,
    boxed: list[Boxed],
    margin: list[str],
    settings: PageSettings,
    turn: float = 0.0,
) -> Image.Image:
    """Given a pypdfium2 page, its boxes and margin lines, and the degrees it was turned by
    to be read (a scan deskewed for OCR: its boxes stand on the turned page), return the
    annotated image."""
    rendered = page.render(scale=settings.scale).to_pil().convert("RGB")
    return annotated(rendered, boxed, margin, settings, turn)


def annotated(
    rendered: Image.Image,
    boxed: list[Boxed],
    margin: list[str],
    settings: PageSettings,
    turn: float = 0.0,
) -> Image.Image:
    """Given a page's image at ``settings.scale`` pixels per point, its boxes and margin
    lines, and the degrees it was turned by to be read, return the annotated image."""
    if turn:
        rendered = rendered.rotate(turn, resample=Image.Resampling.BICUBIC, fillcolor="white")
    margin_px = round(settings.margin_width * settings.scale)
    image = Image.new("RGB", (rendered.width + margin_px, rendered.height), "white")
    image.paste(rendered, (0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(rendered.width, 0), (rendered.width, image.height)], fill=(160, 160, 160))
    draw_labels(draw, boxed, rendered.width, settings)  # labels first: none covers a box edge
    for b in boxed:
        draw.rectangle(b.box, outline=BOX_COLOURS[b.cell.state], width=settings.box_width)
    draw_margin(image, rendered.width, margin, settings)
    return image


def tint(colour: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    """Given a colour and its share t in 0..1, return it mixed with white."""
    r, g, b = (round(255 * (1 - t) + c * t) for c in colour)
    return r, g, b


@cache
def _palette() -> Image.Image:
    """Return the palette pages are saved in: greys, then each box colour with its tints
    (labels are anti-aliased) and itself, exactly."""
    colours = [(g, g, g) for g in range(0, 256, 2)] + [(255, 255, 255)]
    for colour in BOX_COLOURS.values():
        colours += [tint(colour, k / (PALETTE_TINTS + 1)) for k in range(1, PALETTE_TINTS + 1)]
        colours.append(colour)
    image = Image.new("P", (1, 1))
    image.putpalette([v for colour in colours for v in colour])
    return image


def to_palette(image: Image.Image) -> Image.Image:
    """Given an RGB page, return it in the fixed palette, undithered: a third of the bytes,
    and every box keeps its exact colour."""
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


def view_to_picture_pngs(
    view: ReportView,
    pictures: dict[int, Image.Image],
    scales: dict[int, float],
    folder: Path,
    stem: str,
    settings: PageSettings = PageSettings(),
    turns: dict[int, float] | None = None,
) -> list[Path]:
    """Given a web page's view, its pictures read by OCR by page number with their pixels
    per point (and the degrees each was turned by), write one PNG per picture holding a
    table to `folder` as STEM.picture-N.png, its cells boxed; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in pages_with_tables(view):
        if number not in pictures or number not in scales:
            continue
        picture = pictures[number].convert("RGB")
        grow = settings.scale / scales[number]
        size = (max(1, round(picture.width * grow)), max(1, round(picture.height * grow)))
        rendered = picture.resize(size, Image.Resampling.LANCZOS)
        boxed = page_to_boxed(view, number, settings)
        margin = margin_lines(view, number, boxed)
        image = annotated(rendered, boxed, margin, settings, (turns or {}).get(number, 0.0))
        path = folder / f"{stem}.picture-{number}.png"
        to_palette(image).save(path, optimize=True)
        written.append(path)
    return written


def view_to_pngs(
    view: ReportView,
    pdf: bytes,
    folder: Path,
    stem: str,
    settings: PageSettings = PageSettings(),
    turns: dict[int, float] | None = None,
) -> list[Path]:
    """Given a PDF's view and bytes (and, for pages read by OCR, the degrees each was turned
    by), write one PNG per page holding a table to `folder` as STEM.page-N.png; return the
    paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for number in pages_with_tables(view):
            boxed = page_to_boxed(view, number, settings)
            margin = margin_lines(view, number, boxed)
            turn = (turns or {}).get(number, 0.0)
            image = render_page(doc[number - 1], boxed, margin, settings, turn)
            path = folder / f"{stem}.page-{number}.png"
            to_palette(image).save(path, optimize=True)
            written.append(path)
    finally:
        doc.close()
    return written
