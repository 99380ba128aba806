"""Property tests: the HTML grid builder never loses or invents a cell."""

from collections import Counter

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.html import cell_text, cells_to_grid, table_to_cells


def parse_table(markup: str):
    return lxml.html.fragment_fromstring(markup)


def td(text: str, rowspan: int, colspan: int) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f" colspan={colspan}" if colspan > 1 else ""
    )
    return f"<td{attrs}><p class=MsoNormal><span>{text}</span><o:p></o:p></p></td>"


@st.composite
def rectangles(draw, side: int = 6):
    """Disjoint merged cells tiling an H x W grid (H, W <= side), in reading order:
    (height, width, [(r, c, rs, cs)])."""
    height = draw(st.integers(1, side))
    width = draw(st.integers(1, side))
    covered: set[tuple[int, int]] = set()
    out = []
    for r in range(height):
        for c in range(width):
            if (r, c) in covered:
                continue
            max_cs = 1
            while c + max_cs < width and (r, c + max_cs) not in covered:
                max_cs += 1
            cs = draw(st.integers(1, max_cs))
            rs = draw(st.integers(1, height - r))
            while any((r + dr, c + dc) in covered for dr in range(rs) for dc in range(cs)):
                rs -= 1
            covered |= {(r + dr, c + dc) for dr in range(rs) for dc in range(cs)}
            out.append((r, c, rs, cs))
    return height, width, out


@st.composite
def tilings(draw):
    """A table of merged cells that exactly tile an H x W grid: (markup, expected grid)."""
    height, width, spans = draw(rectangles(7))
    rows: list[list[str]] = [[] for _ in range(height)]
    expected = [[""] * width for _ in range(height)]
    for n, (r, c, rs, cs) in enumerate(spans):
        text = f"c{n}" if draw(st.booleans()) else str(n)
        rows[r].append(td(text, rs, cs))
        expected[r][c] = text
    markup = "<table>" + "".join(f"<tr>{''.join(tds)}</tr>" for tds in rows) + "</table>"
    return markup, expected


@settings(max_examples=150, deadline=None)
@given(tilings())
def test_tiling_gives_each_cell_at_its_top_left(case):
    markup, expected = case
    assert cells_to_grid(table_to_cells(parse_table(markup))) == expected


ragged_rows = st.lists(
    st.lists(st.tuples(st.integers(1, 4), st.integers(1, 4)), min_size=0, max_size=6),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(ragged_rows)
def test_overlapping_and_ragged_spans_lose_and_invent_nothing(rows):
    texts = []
    trs = []
    for spans in rows:
        tds = []
        for rs, cs in spans:
            text = f"t{len(texts)}"
            texts.append(text)
            tds.append(td(text, rs, cs))
        trs.append(f"<tr>{''.join(tds)}</tr>")
    grid = cells_to_grid(table_to_cells(parse_table("<table>" + "".join(trs) + "</table>")))

    assert len(grid) == len(rows)
    assert len({len(r) for r in grid}) <= 1
    written = Counter(t for r in grid for t in r if t)
    assert written == Counter(texts)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**7), st.integers(0, 3), st.data())
def test_number_split_over_spans_and_nbsp_reads_whole(value, pad, data):
    text = str(value)
    cut = data.draw(st.integers(0, len(text)))
    nbsp = "&nbsp;" * pad
    markup = (
        f"<td><p class=MsoNormal align=center><span lang=EN-US>{nbsp}</span>"
        f"<span>{text[:cut]}</span><span lang=EN-US>{text[cut:]}</span>"
        f"<span lang=EN-US>{nbsp}<o:p></o:p></span></p></td>"
    )
    cell = lxml.html.fragment_fromstring(f"<table><tr>{markup}</tr></table>").find(".//td")
    assert cell_text(cell) == text


@settings(max_examples=40, deadline=None)
@given(rectangles())
def test_docx_merged_cells_keep_each_text_once_at_its_top_left(case):
    """The same invariant for Word tables merged by python-docx (gridSpan and vMerge)."""
    from docx import Document

    from extract.docx import table_to_grid

    height, width, spans = case
    table = Document().add_table(rows=height, cols=width)
    cells = table._cells
    expected = [[""] * width for _ in range(height)]
    for n, (r, c, rs, cs) in enumerate(spans):
        cell = cells[r * width + c]
        if rs > 1 or cs > 1:
            cell = cell.merge(cells[(r + rs - 1) * width + c + cs - 1])
        cell.text = f"c{n}"
        expected[r][c] = f"c{n}"
    assert table_to_grid(table._tbl) == expected


def test_caption_is_a_prose_line_before_the_grid():
    from extract.html import element_to_rows

    page = lxml.html.document_fromstring(
        "<html><body><p>前言</p><table><caption>表 三</caption><tr><td>a</td><td>1</td></tr>"
        "</table><p>后记</p></body></html>"
    )
    rows = [(r.texts, r.is_table) for r, _ in element_to_rows(page)]
    assert rows == [(["前言"], False), (["表 三"], False), (["a", "1"], True), (["后记"], False)]
