"""Reports read by OCR: a scanned PDF's pages, an HTML page's pictured tables.

:mod:`extract.ocr` turns each image into positioned words; here they become a Report
the way a born-digital PDF's words do. The prose lines give the heading and the
sections; the tables are read by the same two readings of words a PDF has, the word
positions (``ocr-words``, :mod:`extract.positions`) and the lines (``ocr-text``,
:mod:`extract.lines`), and the self-check keeps one only when it is complete and passes
the template's identities (:mod:`extract.selfcheck`). Both readings stand on one OCR
pass, so a guess of either is confirmed by nothing but the arithmetic.

Every cell keeps its page and box (points on the upright page), and the confidence of
the words it was read from (:func:`words_in`: each keeps its confidence).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from extract.document import (
    assemble_report,
    grid_reading,
    heading_of,
    layout_to_heading,
    layout_to_table_rows,
    rows_to_layout,
)
from extract.labels import has_digit, is_page_number
from extract.lines import rows_to_line_reads
from extract.ocr import PROSE_SIZE as PROSE_SIZE_POINTS
from extract.ocr import UNREADABLE, OcrPage, OcrWord, bounds, cleaned, image_to_words, scaled
from extract.pdf import join_page_breaks
from extract.positions import pages_to_position_reads, words_to_lines
from extract.records import BBox, Cell, Fragment, Problem, Report, Row, TableRead
from extract.selfcheck import Reading, failing_cells
from extract.template.tokens import Word, bbox_of
from spec.kinds import TableName
from spec.numbers import UnparseableNumber, parse_count, parse_number

if TYPE_CHECKING:
    from PIL.Image import Image
    from pypdfium2 import PdfDocument, PdfPage

SCAN_SCALE = 2.0  # pixels per point a scanned page is rendered at (144 dpi)


def ocr_pages_to_rows(pages: Sequence[OcrPage]) -> list[Row]:
    """Given OCR'd pages, return their lines as rows: section headings and page numbers
    as prose, every other line a table row of one cell per word (with its box)."""
    rows = []
    for page in pages:
        for line in words_to_lines([w.word for w in page.words]):
            prose = Row((Fragment(line.text, line.page),))
            if heading_of(prose) or is_page_number(line.text) or len(line.words) == 1:
                rows.append(prose)
            else:
                cells = tuple(Fragment(w.text, w.page, bbox_of([w])) for w in line.words)
                rows.append(Row(cells, is_table=True))
    return rows


_EDGE_TOL = 4.0  # points: cell edges closer than this are one ruling line
CARRY_TOL = 8.0  # points: an edge of a table's part this near one of another's is the same


def _edges(values: Sequence[float]) -> list[float]:
    """Given cell edges along one axis, return the distinct ruling lines they stand on."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] >= _EDGE_TOL:
            out.append(v)
    return out


def _index(edges: Sequence[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def table_to_grid_rows(
    table: Sequence[BBox], words: Sequence[Word], page: int, columns: Sequence[float]
) -> list[Row]:
    """Given one ruled table's cells (points), the page's words, its number and the
    table's column edges, return the table's rows, one fragment per column: a merged
    cell's text in its top-left position, the positions it covers marked ``spanned``. A
    word belongs to the cell holding its centre; a cell's lines are joined top to bottom."""
    tops = _edges([c[1] for c in table])
    grid: list[list[Fragment]] = [[Fragment("", page, spanned=True) for _ in columns] for _ in tops]
    for x0, y0, x1, y1 in table:
        inside = [w for w in words if x0 <= w.cx <= x1 and y0 <= w.cy <= y1]
        text = "".join(line.text for line in words_to_lines(inside))
        grid[_index(tops, y0)][_index(columns, x0)] = Fragment(text, page, (x0, y0, x1, y1))
    return [Row(tuple(cells), is_table=True) for cells in grid]


def shared_columns(tables: Sequence[Sequence[BBox]]) -> list[list[float]]:
    """Given tables that follow one another with nothing between them (a table broken
    over pages or pictures), return each one's column edges: the edges of the one with
    the most columns for all when every edge of the others stands on one of them (a
    header's merged cells show fewer columns than its body), else each table's own."""
    own = [_edges([c[0] for c in t]) for t in tables]
    if not own:
        return []
    widest = max(own, key=len)
    if all(any(abs(x - y) < CARRY_TOL for y in widest) for edges in own for x in edges):
        return [widest for _ in tables]
    return own


def ocr_pages_to_grid_rows(pages: Sequence[OcrPage]) -> list[Row]:
    """Given OCR'd pages, return their prose lines and ruled tables' rows in reading order
    (a line inside a table belongs to its cells; page numbers do not part a table)."""
    items: list[tuple[int, Sequence[BBox] | Row]] = []  # (page, a table's cells or a line)
    for page in pages:
        words = [w.word for w in page.words]
        boxes = [bounds(t) for t in page.tables]
        loose = [w for w in words if not any(_holds(b, w) for b in boxes)]
        placed: list[tuple[float, Sequence[BBox] | Row]] = [(bounds(t)[1], t) for t in page.tables]
        placed += [
            (line.top, Row((Fragment(line.text, line.page),))) for line in words_to_lines(loose)
        ]
        items += [(page.page, item) for _, item in sorted(placed, key=lambda p: p[0])]
    words_of = {p.page: [w.word for w in p.words] for p in pages}
    rows: list[Row] = []
    run: list[tuple[int, Sequence[BBox]]] = []

    def flush() -> None:
        for (number, table), columns in zip(run, shared_columns([t for _, t in run]), strict=True):
            rows.extend(table_to_grid_rows(table, words_of[number], number, columns))
        run.clear()

    for number, item in items:
        if isinstance(item, Row):
            if is_page_number(item.cells[0].text):
                continue
            flush()
            rows.append(item)
        else:
            run.append((number, item))
    flush()
    return join_page_breaks(rows)


def _holds(box: BBox, word: Word) -> bool:
    return box[0] <= word.cx <= box[2] and box[1] <= word.cy <= box[3]


def prose_rows(pages: Sequence[OcrPage]) -> list[Row]:
    """Given OCR'd pages, return each line as one prose row (its words joined)."""
    return [
        Row((Fragment(line.text, line.page),))
        for page in pages
        for line in words_to_lines([w.word for w in page.words])
    ]


def ocr_readings(pages: Callable[[], Sequence[OcrPage]]) -> list[Reading]:
    """Given a function returning the OCR'd pages (called once, when a reading is first
    wanted), return the two readings of their tables: word positions and lines."""
    cache: dict[str, Sequence[OcrPage]] = {}

    def got() -> Sequence[OcrPage]:
        if "pages" not in cache:
            cache["pages"] = pages()
        return cache["pages"]

    def words() -> dict[TableName, TableRead]:
        words = [[w.word for w in p.words] for p in got()]
        return witnessed(pages_to_position_reads(words, "ocr-words"), got())

    def text() -> dict[TableName, TableRead]:
        rows = ocr_pages_to_rows(got())
        reads = rows_to_line_reads(layout_to_table_rows(rows_to_layout(rows), rows), "ocr-text")
        return witnessed(reads, got())

    def grid() -> dict[TableName, TableRead]:
        rows = ocr_pages_to_grid_rows(got())
        reads = grid_reading(layout_to_table_rows(rows_to_layout(rows), rows), "ocr-grid")
        return witnessed(reads, got())

    return [("ocr-grid", grid), ("ocr-words", words), ("ocr-text", text)]


def _value(table: str, text: str) -> float | None | str:
    """Given a table and a cell's text, return its value, or the text when it is none."""
    try:
        return parse_number(text).value if table == "active" else parse_count(text)
    except UnparseableNumber:
        return text


def words_in(cell: Cell, pages: Sequence[OcrPage]) -> list[OcrWord]:
    """Given a cell read from OCR'd pages, return the words whose centre lies in its box."""
    if cell.bbox is None:
        return []
    x0, top, x1, bottom = cell.bbox
    return [
        w
        for page in pages
        if page.page == cell.page
        for w in page.words
        if x0 - 1 <= w.word.cx <= x1 + 1 and top - 1 <= w.word.cy <= bottom + 1
    ]


def read_twice(cell: Cell, pages: Sequence[OcrPage]) -> tuple[str, str] | None:
    """Given a cell read from OCR'd pages, return what its own crops read and what the
    detector read of the same ink, each in reading order with its spaces left out (a number
    printed with its digits spaced, 「１ ７ ４」, is one number however either recognition
    parts it), or None where the detector read none of it. Words a crop parted that share
    one detector box share its reading: it counts once."""
    words = sorted(words_in(cell, pages), key=lambda w: w.word.x0)
    witnesses = [cleaned(w.witness) for w in words if w.witness is not None]
    if not any(witnesses):
        return None  # the detector missed it, or saw only a speck
    once = [t for i, t in enumerate(witnesses) if i == 0 or t != witnesses[i - 1]]
    mine = "".join(w.word.text for w in words)
    return "".join(mine.split()), "".join("".join(once).split())


def disagreements(read: TableRead, pages: Sequence[OcrPage]) -> list[str]:
    """Given a reading of OCR'd pages, return its cells whose two witnesses read two
    different numbers (the recognition of the cell's own crop and the detector's
    recognition of the same ink: 「-10」 and 「10」), as 「row/col 「a」 or 「b」」."""
    out = []
    for cell in read.cells:
        both = read_twice(cell, pages)
        if both is None:
            continue
        mine, other = (_value(read.table, text) for text in both)
        if mine != other and not isinstance(other, str):
            out.append(f"{cell.row}/{cell.col} 「{both[0]}」 or 「{both[1]}」")
    return out


def all_witnessed(read: TableRead, pages: Sequence[OcrPage]) -> bool:
    """Given a reading of OCR'd pages, tell whether each of its cells that prints a digit
    was read alike by both witnesses: the cell's own crop and the detector's line (a cell
    the detector missed has one witness only). Where the reading fails identities, only
    their cells are asked (:func:`extract.selfcheck.failing_cells`): a cell outside them stands in identities
    that pass, which a single misread of it would break."""
    failing = failing_cells(read)
    for cell in read.cells:
        if not has_digit(cell.raw) or (failing and (cell.row, cell.col) not in failing):
            continue
        both = read_twice(cell, pages)
        if both is None or _value(read.table, cell.raw) != _value(read.table, both[1]):
            return False
    return True


def witnessed(
    reads: dict[TableName, TableRead], pages: Sequence[OcrPage]
) -> dict[TableName, TableRead]:
    """Given readings of OCR'd pages, return them with each table whose cells the two OCR
    witnesses read differently, or that words and lines alone read wholly blank, marked a
    guess (no value is chosen between them: the report is ``partial`` unless a certain
    reading agrees), with a problem saying why."""
    out = {}
    for table, read in reads.items():
        differ = disagreements(read, pages)
        if differ:
            problem = Problem(table, "unconfirmed", "OCR read differently: " + "; ".join(differ))
            read = replace(read, guessed=True, problems=(*read.problems, problem))
        elif blank_by_words(read):
            problem = Problem(table, "unconfirmed", "every cell blank, and no cell seen")
            read = replace(read, guessed=True, problems=(*read.problems, problem))
        elif unread := unreadable_within(read, pages):
            problem = Problem(table, "unconfirmed", f"ink OCR could not read at {unread}")
            read = replace(read, guessed=True, problems=(*read.problems, problem))
        elif read.cells and all_witnessed(read, pages):
            read = replace(read, witnessed=True)
        out[table] = read
    return out


def unreadable_within(read: TableRead, pages: Sequence[OcrPage]) -> str:
    """Given a reading of OCR'd pages, return where ink it could not read (「?」: printed,
    so no blank) stands among its cells, on any page ('' where none does): a reading
    that left such a cell blank (a 0 cut by a page break read 「n」) is no reading of it."""
    for page in pages:
        boxes = [c.bbox for c in read.cells if c.page == page.page and c.bbox]
        if not boxes:
            continue
        x0, top, x1, bottom = bounds(boxes)
        for w in page.words:
            word = w.word
            if (
                word.text == UNREADABLE
                and x0 <= word.x0
                and word.x1 <= x1
                and top <= word.top <= bottom
            ):
                return f"page {page.page}, ({word.x0:.0f}, {word.top:.0f})"
    return ""


def blank_by_words(read: TableRead) -> bool:
    """Given a reading of OCR'd pages, tell whether it reads a whole table blank without
    having seen its cells (by words and lines, not ruled cells): values the recogniser
    missed or placed elsewhere look the same, so only the cells can vouch for it."""
    return (
        read.found
        and bool(read.cells)
        and read.method != "ocr-grid"
        and not any(ch.isdigit() for c in read.cells for ch in c.raw)
    )


def scanned_pages_to_report(pages: Sequence[OcrPage], meta_title: str = "") -> Report:
    """Given a scanned document's OCR'd pages, return its Report."""
    prose = prose_rows(pages)
    layout = rows_to_layout(prose)
    heading = layout_to_heading(layout, prose, [("metadata", meta_title)])
    report = assemble_report(heading, layout.sections(), ocr_readings(lambda: pages))
    skews = ", ".join(f"{p.page}: {p.skew:+.2f}°" for p in pages if p.skew)
    filled = sum(p.filled for p in pages)
    report.text_layer = "ocr (RapidOCR PP-OCRv4)" + (f"; deskewed {skews}" if skews else "")
    report.page_turns = {p.page: p.skew for p in pages if p.skew}
    if filled:
        report.text_layer += f"; {filled} cell(s) recognised on their own"
    return report


def pdf_pages_to_words(doc: PdfDocument) -> list[OcrPage]:
    """Given an open PDF of page images, return its pages OCR'd in order, each rendered at
    SCAN_SCALE only when its turn comes and let go once read (a page is 6 MiB as an RGB
    image: a 40-page scan rendered whole held 240 MiB through all of its OCR). Rendered
    in colour: :func:`extract.ocr.ink_of` reads a colour scan's red channel, where a red
    seal prints pale."""
    return [pdf_page_to_words(doc[i], i + 1) for i in range(len(doc))]


def pdf_page_to_words(page: PdfPage, number: int) -> OcrPage:
    """Given a PDF page and its number, return it rendered at SCAN_SCALE and OCR'd (the
    image let go once read)."""
    image = page.render(scale=SCAN_SCALE).to_pil()
    return image_to_words(image, number, SCAN_SCALE)


def scanned_pdf_to_report(data: bytes) -> Report:
    """Given the bytes of a PDF whose pages are images with no text layer (a printed and
    scanned report), return its Report read by OCR."""
    from extract.errors import NoTextLayer
    from extract.guards import check_page_count
    from extract.pdf import open_pdfium

    doc = open_pdfium(data)
    try:
        check_page_count(len(doc))
        meta_title = (doc.get_metadata_dict() or {}).get("Title") or ""
        pages = pdf_pages_to_words(doc)
    finally:
        doc.close()
    if sum(len(w.word.text) for p in pages for w in p.words) < 20:
        raise NoTextLayer(f"{len(pages)} page(s) of images, no text layer, and OCR read no text")
    report = scanned_pages_to_report(pages, meta_title)
    report.media_type = "application/pdf"
    report.pages = len(pages)
    return report


def _headed(page: OcrPage, heading: str) -> OcrPage:
    """Given an OCR'd picture and the section heading the page shows above it, return the
    picture with the heading as a line of its own at its top (the readings find a table's
    section by its heading)."""
    size = PROSE_SIZE_POINTS
    word = Word(heading, 0.0, size * len(heading), -3 * size, -2 * size, size, page.page, "ocr")
    return replace(page, words=[OcrWord(word, 1.0), *page.words])


LEAST_PICTURE = (160, 16)  # pixels: narrower, an icon; lower than a line of text, a rule
# (a table's one row pictured alone, as table 四's values after a page break, is 30-60 high)


def open_picture(data: bytes) -> Image | None:
    """Given a picture's bytes, return it opened when it is large enough to hold a table
    (:data:`LEAST_PICTURE`); None for an icon, a rule, or bytes no picture."""
    import io

    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        picture = PILImage.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if picture.width < LEAST_PICTURE[0] or picture.height < LEAST_PICTURE[1]:
        return None
    return picture


def picture_readings(
    pictures: Callable[[], Sequence[tuple[str | None, Image]]], read: list[OcrPage]
) -> list[Reading]:
    """Given a function returning a document's pictures, each with the section heading
    above it (None: the same as the picture before), and a list, return the OCR readings
    of the pictures, which OCR them only when first asked (the pages read are added to
    ``read``)."""

    def pages() -> list[OcrPage]:
        read.extend(pictures_to_pages(pictures()))
        return read

    return ocr_readings(pages)


def pictures_to_pages(pictures: Sequence[tuple[str | None, Image]]) -> list[OcrPage]:
    """Given the pictures of a web page in order, each with the section heading above it
    (None: the same as the picture before), return them OCR'd, one page each. A
    picture's size in points is unknown: all of one page's pictures are scaled by one
    factor (a table broken over two pictures keeps its columns), so their median text
    is ``PROSE_SIZE`` points."""
    pages = [image_to_words(image, i + 1, 1.0) for i, (_, image) in enumerate(pictures)]
    sizes = sorted(w.word.size for p in pages for w in p.words)
    factor = sizes[len(sizes) // 2] / PROSE_SIZE_POINTS if sizes else 1.0
    return [
        _headed(scaled(page, factor), heading) if heading else scaled(page, factor)
        for page, (heading, _) in zip(pages, pictures, strict=True)
    ]
