"""extract/html.py: which pictures of a web page are read as pasted tables."""

import base64
import io

from PIL import Image

from extract.html import element_to_rows, html_to_tree, pictures_with_headings


def png(width: int, height: int) -> str:
    """Given a size in pixels, return an <img> carrying a white PNG of that size."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return f'<img src="data:image/png;base64,{base64.b64encode(out.getvalue()).decode()}"/>'


def test_a_tables_one_row_pictured_alone_is_read_but_icons_and_rules_are_not():
    """Table 四's header on one picture and its one value row alone on the next (a page
    break between them: a strip 864 x 40 pixels) are both read; an icon and a rule not."""
    page = (
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
        f"<p>{png(864, 182)}</p><p>{png(864, 40)}</p><p>{png(24, 24)}</p><p>{png(600, 3)}</p>"
    )
    tree = html_to_tree(page)
    pictures = pictures_with_headings(tree, element_to_rows(tree))
    assert [(heading, picture.size) for heading, picture in pictures] == [
        ("四、政府信息公开行政复议、行政诉讼情况", (864, 182)),
        (None, (864, 40)),
    ]
