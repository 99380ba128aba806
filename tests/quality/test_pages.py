"""quality/pages.py: drawing labels with either of the fonts Pillow may hand back."""

from PIL import Image, ImageDraw, ImageFont

from quality import pages
from quality.pages import Boxed, PageSettings, draw_labels
from quality.view import PASS, CellView


def test_union_attr_labels_drawn_with_bitmap_font(monkeypatch):
    """Without FreeType, Pillow's load_default() is its bitmap ImageFont, which has no `size`:
    the column code goes one glyph height below the row code instead of failing."""
    monkeypatch.setattr(pages, "_font", lambda pixels: ImageFont.load_default_imagefont())
    cell = CellView("r1", "c2", 1, "1", "1", None, PASS, page=1, bbox=(10.0, 10.0, 30.0, 20.0))
    image = Image.new("RGB", (200, 120), "white")
    draw_labels(ImageDraw.Draw(image), [Boxed("二", cell, (10, 10, 40, 30))], 200, PageSettings())
    inked = [
        y for y in range(120) if any(image.getpixel((x, y)) != (255, 255, 255) for x in range(200))
    ]
    assert inked and min(inked) > 30  # below the box: row code, then column code
    assert max(inked) - min(inked) > ImageFont.load_default_imagefont().getbbox("Ag")[3]
