"""PDF reports: pdfium's text layer for the prose, three readings for the tables.

Every page is read with pypdfium2's fast text layer: its lines give the heading, the
sections and the prose. Pages from the one with heading 二 to the one with heading 五
hold the tables, and those are read in three independent ways, cheapest first, until
one is complete and passes the template's identities (:mod:`extract.selfcheck`):

- ``words``: word positions, anchored on the template's headers and row labels
  (:mod:`extract.positions`), ruling lines or not;
- ``grid``: ruled tables found by pdfplumber's ``TableFinder`` from the ruling lines,
  mapped through their headers (:mod:`extract.tables`);
- ``text``: the text layer's lines, each row's trailing values (:mod:`extract.lines`).

pdfplumber gets its chars and lines from pdfium (:mod:`extract.pdfium_layer`) or, with
``layer="pdfminer"``, from its own pdfminer layer. Every table cell keeps its page and
bounding box.
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from extract.document import (
    assemble_report,
    grid_reading,
    heading_of,
    layout_to_heading,
    rows_to_layout,
    rows_to_tables,
)
from extract.errors import Corrupt, Encrypted, NoTextLayer, Timeout
from extract.guards import check_page_count
from extract.labels import is_label, is_page_number, is_value, numbering, squash
from extract.lines import rows_to_line_reads
from extract.pdfium_layer import (
    Frame,
    PdfiumPage,
    char_boxes,
    missing_text_objects,
    page_frame,
    picture_shares,
)
from extract.positions import page_number_lines, pages_to_position_reads, words_to_lines
from extract.records import BBox, Fragment, Report, Row, TableRead
from extract.selfcheck import Reading, for_unread
from extract.template.headers import (
    OUTCOME_HEADERS,
    holds_header_word,
    is_furniture,
    is_header_line,
)
from extract.template.rows import starts_numbered
from extract.template.stacks import is_stacked
from extract.template.tokens import Word, bbox_of, fragments_to_words, words_from_dicts
from spec.kinds import TableName

if TYPE_CHECKING:
    import pypdfium2 as pdfium
    from pdfplumber.table import Table

    from extract.ocr import OcrPage

PdfiumTriple = tuple["pdfium.PdfPage", "pdfium.PdfTextPage", str]  # a page, its text page, text
PlumberObj = dict[str, Any]  # a char, word or edge as pdfplumber gives it
PlumbPage = Any  # a pdfplumber page, or PdfiumPage that stands in for one

LAYER = "pdfium"  # where pdfplumber gets chars and lines from: pdfium or pdfminer
TIME_LIMIT_S = 60.0  # per document, so one pathological file cannot stall a run
_START = re.compile(r"二\s*[、.．]\s*主动公开")
_END = re.compile(r"五\s*[、.．]\s*(存在|主要问题)")
_LINE_TOL = 3.0  # points: chars whose tops differ less sit on one line
_COL_TOL = 4.0  # points: left edges closer than this start the same column


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Given a time limit, yield the deadline, checked between pages.

    A page stuck inside pdfium or pdfminer is not interrupted here (a signal raised
    inside a C callback is not safe); the worker pool (flows/workers.py) kills it.
    """
    yield time.monotonic() + seconds


def _check(end: float, seconds: float) -> None:
    if time.monotonic() > end:
        raise Timeout(f"over the {seconds:g} s limit for one document")


# ---------------------------------------------------------------- the text layer


def open_pdfium(data: bytes) -> pdfium.PdfDocument:
    """Given PDF bytes, return the open pdfium document; Encrypted or Corrupt if it will not open."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Encrypted("the PDF needs a password") from exc
        raise Corrupt(f"pdfium cannot open it: {exc}") from exc


def pdfium_to_pages(doc: pdfium.PdfDocument) -> list[PdfiumTriple]:
    """Given an open pdfium document, return (page, text page, text) for each page."""
    out = []
    for page in doc:
        textpage = page.get_textpage()
        out.append((page, textpage, textpage.get_text_range()))
    return out


def pages_to_read(texts: list[str]) -> list[int]:
    """Given each page's text, return the 0-based pages that hold tables 二 to 四."""
    flat = [squash(t) for t in texts]
    start = next((i for i, t in enumerate(flat) if _START.search(t)), None)
    end = next((i for i, t in enumerate(flat) if _END.search(t)), None)
    if start is None:
        return list(range(len(texts)))
    if end is None or end < start:
        end = len(texts) - 1
    return list(range(start, end + 1))


def text_to_lines(text: str) -> list[str]:
    """Given a page's plain text, return its non-empty lines."""
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def text_to_prose_rows(text: str, page: int) -> list[Row]:
    """Given a page's plain text, return its lines as prose rows."""
    return [Row((Fragment(line, page),)) for line in text_to_lines(text)]


def textpage_to_rows(textpage: pdfium.PdfTextPage, frame: Frame, page: int) -> list[Row]:
    """Given a pdfium text page and its page's frame, return its lines in the text layer's
    order as table rows, one cell per run of non-blank chars, each with its box in the
    frame (section headings and page numbers stay prose; a lone number is no page number
    when it is a digit of a number printed stacked over the next line or under the one
    before)."""
    text = textpage.get_text_range()
    boxes_of = char_boxes(textpage)
    lines: list[tuple[str, list[Fragment]]] = []
    for match in re.finditer(r"[^\r\n]+", text):
        line = match.group().strip()
        if not line:
            continue
        cells = []
        for token in re.finditer(r"\S+", match.group()):
            boxes = [_charbox(boxes_of, frame, match.start() + i) for i in range(*token.span())]
            for start, end in _runs_on_one_line(boxes):
                box = boxes[start:end]
                x0, x1 = min(b[0] for b in box), max(b[2] for b in box)
                top, bottom = min(b[1] for b in box), max(b[3] for b in box)
                bbox = (x0, top, x1, bottom) if x1 > x0 else None
                cells.append(Fragment(token.group()[start:end], page, bbox))
        lines.append((line, cells))
    rows: list[Row] = []
    for i, (line, cells) in enumerate(lines):
        prose = Row((Fragment(line, page),))
        furniture = is_page_number(line) and not any(
            _stacked_on(cells, lines[j][1])
            for j in range(i - 2, i + 3)
            if 0 <= j < len(lines) and j != i
        )
        rows.append(prose if heading_of(prose) or furniture else Row(tuple(cells), is_table=True))
    return rows


def _charbox(boxes_of: Callable[[int], tuple[BBox, BBox]], frame: Frame, index: int) -> BBox:
    """Given a text page's char boxes (:func:`char_boxes`), its frame and a char index, return
    the char's box in the frame: across, the glyph's; up and down, the line's (the font's
    ascent to descent), so that the chars of a line share one height whatever their glyphs."""
    glyph, loose = boxes_of(index)
    x0, _, x1, _ = frame.box(*glyph)
    _, top, _, bottom = frame.box(*loose)
    return x0, top, x1, bottom


def _stacked_on(cells: list[Fragment], other: list[Fragment]) -> bool:
    """Given a line's cells and those of a line beside it, tell whether a digit of one is
    a digit of a number printed stacked with the other's."""
    mine, theirs = fragments_to_words(cells), fragments_to_words(other)
    return any(is_stacked(a, b) or is_stacked(b, a) for a in mine for b in theirs)


def _runs_on_one_line(boxes: list[BBox]) -> list[tuple[int, int]]:
    """Given the boxes (x0, top, x1, bottom) of a run of chars the text layer put on one
    line, return the (start, end) of its parts that stand on one line: a number printed
    stacked in a narrow cell (「1」 above 「4」) beside another cell's 「0」 is no 「014」."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(boxes)):
        a, b = boxes[i - 1], boxes[i]
        height = min(a[3] - a[1], b[3] - b[1])
        if height > 0 and abs((a[1] + a[3]) / 2 - (b[1] + b[3]) / 2) > 0.5 * height:
            runs.append((start, i))
            start = i
    return [*runs, (start, len(boxes))]


# ---------------------------------------------------------------- ruled tables


def table_to_columns(table: Table) -> list[float]:
    """Given a pdfplumber table, return the left edges of its columns."""
    edges = sorted({round(bbox[0], 1) for row in table.rows for bbox in row.cells if bbox})
    return [x for i, x in enumerate(edges) if i == 0 or x - edges[i - 1] >= _COL_TOL]


def carried_columns(columns: list[float], previous: list[float] | None) -> list[float]:
    """Given a table's column edges and those of the table it may continue, return the
    previous ones when every edge here is one of them (merged cells hid a column line)."""
    if not previous or len(previous) <= len(columns):
        return columns
    if all(any(abs(x - p) < _COL_TOL for p in previous) for x in columns):
        return previous
    return columns


def _cell_text(chars: list[PlumberObj]) -> str:
    """Given the chars inside one cell, return its text, lines joined with no break."""
    ordered = sorted(chars, key=lambda c: c["top"])
    lines: list[list[PlumberObj]] = []
    for c in ordered:
        if lines and abs(lines[-1][0]["top"] - c["top"]) < _LINE_TOL:
            lines[-1].append(c)
        else:
            lines.append([c])
    return "".join(
        "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])).strip() for line in lines
    )


def table_to_rows(
    table: Table, page: int, columns: list[float], chars: list[PlumberObj]
) -> list[Row]:
    """Given a pdfplumber table, its column edges and the page's chars, return its rows,
    one cell per column; merged-over cells become empty fragments. A char belongs to the
    cell holding its centre, as in pdfplumber's ``Table.extract``."""
    rows = []
    for row in table.rows:
        _, top, _, bottom = row.bbox
        band = [c for c in chars if top <= (c["top"] + c["bottom"]) / 2 < bottom]
        cells = [Fragment("", page, spanned=True) for _ in columns]
        for bbox in row.cells:
            if bbox is None:
                continue
            x0, y0, x1, y1 = bbox
            inside = [
                c
                for c in band
                if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and y0 <= (c["top"] + c["bottom"]) / 2 < y1
            ]
            col = min(range(len(columns)), key=lambda i: abs(columns[i] - x0))
            cells[col] = Fragment(_cell_text(inside), page, (x0, y0, x1, y1))
        rows.append(Row(tuple(cells), is_table=True))
    return rows


def _is_continuation(row: Row) -> bool:
    """Given a table row, return True if it can only be the rest of the row above:
    label text with no values, no numbering and no header words."""
    texts = [t for t in row.texts if squash(t)]
    if not texts or any(is_value(t) for t in texts):
        return False
    joined = squash("".join(texts))
    if holds_header_word(joined):
        return False
    return all(is_label(t) and not numbering(squash(t)) for t in texts)


def join_rows(upper: Row, lower: Row) -> Row:
    """Given a row and the rest of it (a wrapped line or its part after a page break),
    return the joined row, cell by cell."""
    cells: list[Fragment] = []
    for i in range(max(len(upper.cells), len(lower.cells))):
        a = upper.cells[i] if i < len(upper.cells) else None
        b = lower.cells[i] if i < len(lower.cells) else None
        if a is None or not a.text:
            cells.append(b if b is not None else a if a is not None else Fragment(""))
        elif b is None or not b.text:
            cells.append(a)
        else:
            cells.append(Fragment(a.text + b.text, a.page, a.bbox))
    return Row(tuple(cells), is_table=True)


def _is_repeated_header(row: Row) -> bool:
    """Given a table row, tell whether it is a row of table 二's or 三's header (repeated at
    the top of a page the table runs on to)."""
    joined = squash("".join(row.texts))
    return holds_header_word(joined, ("active", "requests")) or is_furniture(joined)


def join_page_breaks(rows: list[Row]) -> list[Row]:
    """Given a document's rows, return them with table rows broken by a page break joined:
    the first table row of a page that can only be a continuation joins the last one
    before, the rows of a header repeated on the new page between them or not."""
    out: list[Row] = []
    last_table: int | None = None
    for row in rows:
        if not row.is_table:
            if not is_page_number(row.cells[0].text):
                last_table = None
            out.append(row)
            continue
        broken = last_table is not None and out[last_table].page != row.page
        if broken and last_table is not None and _is_continuation(row):
            out[last_table] = join_rows(out[last_table], row)
            continue
        out.append(row)
        if not (broken and _is_repeated_header(row)):
            last_table = len(out) - 1
    return out


# ---------------------------------------------------------------- the readings


def ruled_page_to_rows(
    page: PlumbPage, number: int, carry: list[float] | None = None
) -> tuple[list[Row], list[float] | None]:
    """Given a pdfplumber page and the column edges of the table open at the end of the
    previous page, return (its prose lines and ruled table rows in reading order, the
    edges still open). A page without ruling lines holds no ruled table."""
    tables = page.find_tables() if page.rects or page.lines or page.curves else []
    words = page.extract_words()
    items: list[tuple[float, str | Table]] = [(t.bbox[1], t) for t in tables]
    loose = [w for w in words if not any(_inside(w, t.bbox) for t in tables)]
    items += _word_lines(loose)
    items.sort(key=lambda item: item[0])
    rows: list[Row] = []
    for _, payload in items:
        if isinstance(payload, str):  # a prose line
            rows.append(Row((Fragment(payload, number),)))
            if not is_page_number(payload):
                carry = None  # a heading or prose ends the table
        else:
            columns = carried_columns(table_to_columns(payload), carry)
            rows += table_to_rows(payload, number, columns, page.chars)
            carry = columns
    return rows, carry


def _word_lines(words: list[PlumberObj]) -> list[tuple[float, str]]:
    """Given pdfplumber words, return (top, text) of each line they make."""
    lines: list[list[PlumberObj]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) < _LINE_TOL:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [
        (line[0]["top"], "".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])))
        for line in lines
    ]


def _inside(word: PlumberObj, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return bool(x0 <= cx <= x1 and top <= cy <= bottom)


def grid_pages_to_reads(
    plumbed: list[tuple[int, PlumbPage]], check: Callable[[], None]
) -> dict[TableName, TableRead]:
    """Given the table pages (index, pdfplumber page), return the ruled-grid reading."""
    rows: list[Row] = []
    carry: list[float] | None = None
    for i, page in plumbed:
        check()
        page_rows, carry = ruled_page_to_rows(page, i + 1, carry)
        rows += page_rows
    return grid_reading(rows_to_tables(join_page_breaks(rows)))


def words_of(page: PlumbPage, number: int) -> list[Word]:
    """Given a pdfplumber page, return its words with their font size."""
    return words_from_dicts(page.extract_words(extra_attrs=["size"]), number)


def text_pages_to_reads(
    pages: list[PdfiumTriple], wanted: list[int], frames: dict[int, Frame] | None = None
) -> dict[TableName, TableRead]:
    """Given the pdfium (page, text page, text) of each page, the table pages and (some of)
    their frames, return the text-layer lines reading."""
    frames = frames or {}
    rows = [
        row
        for i in wanted
        for row in textpage_to_rows(
            pages[i][1], frames.get(i) or page_frame(pages[i][0], pages[i][1]), i + 1
        )
    ]
    return rows_to_line_reads(rows_to_tables(rows), "text")


def _pdfminer_pages(data: bytes, wanted: list[int]) -> list[tuple[int, PlumbPage]]:
    """Given PDF bytes and page indices, return (index, pdfplumber page) read by pdfminer."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        return [(i, pdf.pages[i]) for i in wanted]
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise Encrypted(f"pdfminer cannot decrypt it: {exc}") from exc
    except (PDFSyntaxError, PSException) as exc:
        raise Corrupt(f"pdfminer cannot parse it: {exc}") from exc


def lossy_pages(pages: list[PdfiumTriple], numbers: list[int]) -> list[int]:
    """Given the pdfium pages and page indices, return the (1-based) pages whose text layer
    misses the text of some of its text objects: pdfium's readings of those pages are not
    to be trusted, even when they agree with each other."""
    lossy = []
    for i in numbers:
        missing, total = missing_text_objects(pages[i][0], pages[i][1])
        if missing:
            lossy.append(i + 1)
    return lossy


def running_lines(pages: list[PdfiumTriple]) -> frozenset[str]:
    """Given the pdfium pages of a document, return its running headers and footers
    (squashed): a line of four characters or more that opens or closes two pages or more
    and is none of a table's header repeated at the top of its pages, a row of values or a
    row number left at a page's end (「（1」)."""
    ends: Counter[str] = Counter()
    for _, _, text in pages:
        lines = [line for line in text.splitlines() if any(map(is_label, line.split()))]
        ends.update({squash(lines[0]), squash(lines[-1])} if lines else set())
    return frozenset(
        line
        for line, n in ends.items()
        if n >= 2
        and len(line) >= 4
        and not starts_numbered(line)
        and not is_header_line([line])  # table 二's or 三's header
        and not holds_header_word(line, ("appeals",))  # table 四's
        and not any(w in line for w in OUTCOME_HEADERS)
    )


@dataclass
class PdfTables:
    """The pages that hold tables 二 to 四, and the three readings of them.

    ``layer`` is where chars and ruling lines come from: pdfium, or pdfminer when asked
    or when pdfium's text layer misses text on these pages.
    """

    data: bytes
    pages: list[PdfiumTriple]  # pdfium (page, text page, text) of every page
    wanted: list[int]  # 0-based indices of the table pages
    layer: str
    check: Callable[[], None]
    ocr_pages: list[OcrPage] = field(default_factory=list)  # the pages OCR read, if asked

    @cached_property
    def frames(self) -> dict[int, Frame]:
        """Each table page's frame: its user space turned so that its text stands upright."""
        return {i: page_frame(self.pages[i][0], self.pages[i][1]) for i in self.wanted}

    @cached_property
    def plumbed(self) -> list[tuple[int, PlumbPage]]:
        """The table pages as pdfplumber pages of the layer."""
        if self.layer == "pdfminer":
            return _pdfminer_pages(self.data, self.wanted)
        return [
            (i, PdfiumPage(self.pages[i][0], self.pages[i][1], self.frames[i])) for i in self.wanted
        ]

    @cached_property
    def words(self) -> list[list[Word]]:
        out = []
        for i, page in self.plumbed:
            self.check()
            out.append(words_of(page, i + 1))
        return out

    def words_reading(self) -> dict[TableName, TableRead]:
        return pages_to_position_reads(self.words, running=running_lines(self.pages))

    def text_reading(self) -> dict[TableName, TableRead]:
        """pdfium's text layer in its own order; pdfminer's words line by line."""
        if self.layer == "pdfium":
            return text_pages_to_reads(self.pages, self.wanted, self.frames)
        return rows_to_text_reads(words_to_rows(self.words))

    def grid_reading(self) -> dict[TableName, TableRead]:
        return grid_pages_to_reads(self.plumbed, self.check)

    def readings(self) -> list[Reading]:
        """The readings, cheapest first; OCR's last where a table page holds a picture
        (:func:`pictured_pages`), of the tables the text layer's readings left unread."""
        own: list[Reading] = [
            ("words", self.words_reading),
            ("text", self.text_reading),
            ("grid", self.grid_reading),
        ]
        pictured = pictured_pages(self.pages, self.wanted)
        if not pictured:
            return own
        from extract.scanned import ocr_readings, pdf_page_to_words

        # each picture's page and the one before it (a section heading above a picture
        # may end the page before)
        read = sorted({j for i in pictured for j in (i - 1, i) if j in self.wanted})

        def ocr() -> list[OcrPage]:
            # OCR takes seconds a page, as a scan's does: not held to the text layer's time
            # limit (the worker pool's limit for a document holds)
            if not self.ocr_pages:
                self.ocr_pages.extend(pdf_page_to_words(self.pages[i][0], i + 1) for i in read)
            return self.ocr_pages

        return for_unread(own, ocr_readings(ocr))


# A table's picture is as wide as a table (two fifths of the page at least) and, a row of
# one alone, a seventieth of the page's area; a seal or an emblem is far narrower.
PICTURE_WIDTH, PICTURE_AREA = 0.4, 0.015


def pictured_pages(pages: list[PdfiumTriple], wanted: list[int]) -> list[int]:
    """Given a PDF's pdfium pages and the table pages (0-based), return those holding a
    picture as large as a table: tables pasted as screenshots, or pages scanned into a
    born-digital report (their text is in no text layer)."""
    return [
        i
        for i in wanted
        if any(w >= PICTURE_WIDTH and w * h >= PICTURE_AREA for w, h in picture_shares(pages[i][0]))
    ]


def words_to_rows(words_by_page: list[list[Word]]) -> list[Row]:
    """Given each page's words, return their lines as table rows (one cell per word, with
    its box); section headings and page numbers (:func:`extract.positions.page_number_lines`)
    stay prose."""
    rows = []
    for words in words_by_page:
        lines = words_to_lines(words)
        numbers = page_number_lines(lines)
        for i, line in enumerate(lines):
            prose = Row((Fragment(line.text, line.page),))
            if heading_of(prose) or i in numbers:
                rows.append(prose)
            else:
                cells = tuple(Fragment(w.text, w.page, bbox_of([w])) for w in line.words)
                rows.append(Row(cells, is_table=True))
    return rows


def rows_to_text_reads(rows: list[Row]) -> dict[TableName, TableRead]:
    """Given a document's rows of positioned words, return their lines reading (`text`)."""
    return rows_to_line_reads(rows_to_tables(rows), "text")


def pdf_to_report(data: bytes, time_limit: float = TIME_LIMIT_S, layer: str = LAYER) -> Report:
    """Given PDF bytes, return its Report.

    ``layer`` says where pdfplumber's table finder and word extraction get chars and
    ruling lines from: ``pdfium`` (fast, the default) or ``pdfminer`` (pdfplumber's own,
    taken anyway where pdfium's text layer misses text).
    Raises Encrypted, Corrupt, NoTextLayer (a scanned image) or Timeout.
    """
    if layer not in ("pdfium", "pdfminer"):
        raise ValueError(f"layer must be 'pdfium' or 'pdfminer', not {layer!r}")
    if b"%%EOF" not in data[-4096:]:
        raise Corrupt("truncated: no %%EOF at the end")
    with deadline(time_limit) as end:
        doc = open_pdfium(data)
        try:
            check_page_count(len(doc))
            pages = pdfium_to_pages(doc)
            if sum(len(squash(t)) for _, _, t in pages) < 20:
                raise NoTextLayer(f"{len(pages)} page(s) and no text: a scanned image")
            meta_title = (doc.get_metadata_dict() or {}).get("Title") or ""
            report = _pages_to_report(
                data, pages, meta_title, layer, lambda: _check(end, time_limit)
            )
        finally:
            doc.close()
    report.media_type = "application/pdf"
    report.pages = len(pages)
    return report


def _pages_to_report(
    data: bytes,
    pages: list[PdfiumTriple],
    meta_title: str,
    layer: str,
    check: Callable[[], None],
) -> Report:
    """Given a PDF's pdfium pages, return its Report: the prose from pdfium's text layer
    (pdfminer's where pdfium misses text), the tables from the kept readings."""
    texts = [t for _, _, t in pages]
    wanted = pages_to_read(texts)
    lossy = lossy_pages(pages, sorted({0, *wanted}))
    if 1 in lossy:
        texts[0] = _pdfminer_pages(data, [0])[0][1].extract_text() or texts[0]
    prose = [row for i, text in enumerate(texts) for row in text_to_prose_rows(text, i + 1)]
    layout = rows_to_layout(prose)
    heading = layout_to_heading(layout, prose, [("metadata", meta_title)])
    tables = PdfTables(data, pages, wanted, "pdfminer" if lossy else layer, check)
    report = assemble_report(heading, layout.sections(), tables.readings())
    report.text_layer = tables.layer
    if lossy:
        pages_ = ", ".join(map(str, lossy))
        report.text_layer = f"pdfminer (pdfium's text layer misses text on page {pages_})"
    if tables.ocr_pages:  # pictures of tables: OCR was asked
        read = ", ".join(str(p.page) for p in tables.ocr_pages)
        report.text_layer += f"; ocr (RapidOCR PP-OCRv4) of the pictures on page(s) {read}"
        report.page_turns = {p.page: p.skew for p in tables.ocr_pages if p.skew}
    return report
