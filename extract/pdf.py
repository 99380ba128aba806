"""PDF reports: pdfium triage, then pdfplumber on the pages that hold tables 二, 三 and 四.

Every page is first read with pypdfium2's fast text layer. Pages from the one
with heading 二 to the one with heading 五 are then read with pdfplumber:
ruled tables from their ruling lines (``find_tables``), unruled ones from word
positions (columns are the left edges words share). pdfplumber gets its chars
and lines from pdfium (:mod:`extract.pdfium_layer`) or, with
``layer="pdfminer"``, from its own pdfminer layer. A table continued on the
next page keeps its columns and a row broken by the page break is joined back.
Every table cell keeps its page and bounding box.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

from extract.document import heading_of, rows_to_report
from extract.errors import Corrupt, Encrypted, NoTextLayer, Timeout
from extract.guards import check_page_count
from extract.labels import is_label, is_value, numbering, squash
from extract.pdfium_layer import PdfiumPage
from extract.records import Fragment, Report, Row

LAYER = "pdfium"  # where pdfplumber gets chars and lines from: pdfium or pdfminer
TIME_LIMIT_S = 60.0  # per document, so one pathological file cannot stall a run
_START = re.compile(r"二\s*[、.．]\s*主动公开")
_END = re.compile(r"五\s*[、.．]\s*(存在|主要问题)")
_PAGE_NUMBER = re.compile(
    r"^[-—－–\s]*(第\s*)?\d{1,4}\s*页?\s*(/\s*共?\s*\d{1,4}\s*页?)?[-—－–\s]*$"
)
_HEADER_WORDS = ("信息内容", "申请人情况", "自然人", "商业企业", "行政复议", "行政诉讼")
_LINE_TOL = 3.0  # points: words whose tops differ less sit on one line
_COL_TOL = 4.0  # points: left edges closer than this start the same column
_COL_GAP = 5.0  # points: a gap this wide between words on a line separates columns


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


# ---------------------------------------------------------------- triage


def open_pdfium(data: bytes):
    """Given PDF bytes, return the open pdfium document; Encrypted or Corrupt if it will not open."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise Encrypted("the PDF needs a password") from exc
        raise Corrupt(f"pdfium cannot open it: {exc}") from exc


def pdfium_to_pages(doc) -> list[tuple[object, object, str]]:
    """Given an open pdfium document, return (page, text page, text) for each page."""
    out = []
    for page in doc:
        textpage = page.get_textpage()
        out.append((page, textpage, textpage.get_text_range()))
    return out


def pages_to_read(texts: list[str]) -> set[int]:
    """Given each page's text, return the 0-based pages whose tables pdfplumber must read."""
    flat = [squash(t) for t in texts]
    start = next((i for i, t in enumerate(flat) if _START.search(t)), None)
    end = next((i for i, t in enumerate(flat) if _END.search(t)), None)
    if start is None:
        return set(range(len(texts)))
    if end is None or end < start:
        end = len(texts) - 1
    return set(range(start, end + 1))


def text_to_prose_rows(text: str, page: int) -> list[Row]:
    """Given a page's plain text, return its lines as prose rows."""
    return [
        Row((Fragment(line.strip(), page),))
        for line in text.replace("\r", "\n").split("\n")
        if line.strip()
    ]


def join_title_lines(rows: list[Row]) -> list[Row]:
    """Given page 1's prose rows, return them with a heading broken over its first lines
    (「郑州市金水区人民政府2024年」 / 「政府信息公开工作年度报告」) joined into one."""
    texts = [r.cells[0].text for r in rows[:3]]
    end = next((i for i, t in enumerate(texts) if "年度报告" in t), None)
    if not end or any(len(t) > 30 or heading_of(r) for t, r in zip(texts, rows, strict=False)):
        return rows
    joined = "".join(texts[: end + 1])
    return [Row((Fragment(joined, rows[0].page),)), *rows[end + 1 :]]


# ---------------------------------------------------------------- words to lines


def words_to_lines(words: list[dict]) -> list[list[dict]]:
    """Given pdfplumber words, return them grouped into lines, top to bottom, left to right."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) < _LINE_TOL:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _bbox_of(words: list[dict]) -> tuple[float, float, float, float]:
    return (
        min(w["x0"] for w in words),
        min(w["top"] for w in words),
        max(w["x1"] for w in words),
        max(w["bottom"] for w in words),
    )


def _close(upper: list[dict], lower: list[dict]) -> bool:
    """Given two lines, return True if the lower one is the next line of the same cell."""
    size = max(w["bottom"] - w["top"] for w in lower)
    return min(w["top"] for w in lower) - max(w["bottom"] for w in upper) < 0.45 * size


def lines_to_blocks(lines: list[list[dict]]) -> list[tuple[str, list[list[dict]]]]:
    """Given a page's lines, return ('prose'|'table', lines) blocks; a table block runs
    from its first to its last line of several separate words, cut at section headings."""
    kinds = []
    for line in lines:
        text = "".join(w["text"] for w in line)
        if heading_of(Row((Fragment(text),))) or _PAGE_NUMBER.match(
            " ".join(w["text"] for w in line)
        ):
            kinds.append("heading")  # a page footer ends a table block as a heading does
        else:
            kinds.append("multi" if len(line) >= 2 else "single")
    blocks: list[tuple[str, list[list[dict]]]] = []
    i = 0
    while i < len(lines):
        if kinds[i] != "multi":
            blocks.append(("prose", [lines[i]]))
            i += 1
            continue
        j = i
        last = i
        while j < len(lines) and kinds[j] != "heading":
            if kinds[j] == "multi":
                last = j
            j += 1
        while (
            last + 1 < len(lines)
            and kinds[last + 1] == "single"
            and _close(lines[last], lines[last + 1])
        ):
            last += 1  # the wrapped lines of the last row
        blocks.append(("table", lines[i : last + 1]))
        i = last + 1
    return blocks


def lines_to_columns(lines: list[list[dict]]) -> list[float]:
    """Given the lines of an unruled table, return its column left edges: where words
    start a line or follow a gap wider than a space (a blank column may leave one word)."""
    edges = sorted(
        w["x0"]
        for line in lines
        for k, w in enumerate(line)
        if k == 0 or w["x0"] - line[k - 1]["x1"] >= _COL_GAP
    )
    clusters: list[list[float]] = []
    for x in edges:
        if clusters and x - clusters[-1][-1] < _COL_TOL:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [min(c) for c in clusters]


def line_to_row(line: list[dict], columns: list[float], page: int) -> Row:
    """Given an unruled table line and the column edges, return a table Row, one cell per column."""
    texts: list[list[dict]] = [[] for _ in columns]
    for w in line:
        col = max((i for i, x in enumerate(columns) if x <= w["x0"] + _COL_TOL), default=0)
        texts[col].append(w)
    cells = tuple(
        Fragment("".join(w["text"] for w in ws), page, _bbox_of(ws)) if ws else Fragment("", page)
        for ws in texts
    )
    return Row(cells, is_table=True)


def _is_continuation(row: Row) -> bool:
    """Given a table row, return True if it can only be the rest of the row above:
    label text with no values, no numbering and no header words."""
    texts = [t for t in row.texts if squash(t)]
    if not texts or any(is_value(t) for t in texts):
        return False
    joined = squash("".join(texts))
    if "第二十条" in joined or any(w in joined for w in _HEADER_WORDS):
        return False
    return all(is_label(t) and not numbering(squash(t)) for t in texts)


def join_rows(upper: Row, lower: Row) -> Row:
    """Given a row and the rest of it (a wrapped line or its part after a page break),
    return the joined row, cell by cell."""
    cells = []
    for i in range(max(len(upper.cells), len(lower.cells))):
        a = upper.cells[i] if i < len(upper.cells) else None
        b = lower.cells[i] if i < len(lower.cells) else None
        if a is None or not a.text:
            cells.append(b if b is not None else a)
        elif b is None or not b.text:
            cells.append(a)
        else:
            cells.append(Fragment(a.text + b.text, a.page, a.bbox))
    return Row(tuple(cells), is_table=True)


def unruled_block_to_rows(lines: list[list[dict]], page: int, columns: list[float]) -> list[Row]:
    """Given the lines of an unruled table block and its column edges, return its rows,
    wrapped lines joined."""
    rows: list[Row] = []
    for i, line in enumerate(lines):
        row = line_to_row(line, columns, page)
        if rows and _close(lines[i - 1], line) and _is_continuation(row):
            rows[-1] = join_rows(rows[-1], row)
        else:
            rows.append(row)
    return rows


# ---------------------------------------------------------------- ruled tables


def table_to_columns(table) -> list[float]:
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


def _cell_text(chars: list[dict]) -> str:
    """Given the chars inside one cell, return its text, lines joined with no break."""
    ordered = sorted(chars, key=lambda c: c["top"])
    lines: list[list[dict]] = []
    for c in ordered:
        if lines and abs(lines[-1][0]["top"] - c["top"]) < _LINE_TOL:
            lines[-1].append(c)
        else:
            lines.append([c])
    return "".join(
        "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])).strip() for line in lines
    )


def table_to_rows(table, page: int, columns: list[float], chars: list[dict]) -> list[Row]:
    """Given a pdfplumber table, its column edges and the page's chars, return its rows,
    one cell per column; merged-over cells become empty fragments. A char belongs to the
    cell holding its centre, as in pdfplumber's ``Table.extract``."""
    rows = []
    for row in table.rows:
        _, top, _, bottom = row.bbox
        band = [c for c in chars if top <= (c["top"] + c["bottom"]) / 2 < bottom]
        cells = [Fragment("", page) for _ in columns]
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
            cells[col] = Fragment(_cell_text(inside), page, tuple(bbox))
        rows.append(Row(tuple(cells), is_table=True))
    return rows


def _inside(word: dict, bbox) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def page_to_rows(page, number: int, carry: list[float] | None = None):
    """Given a pdfplumber page and the column edges of the table open at the end of the
    previous page, return (its prose and table rows in reading order, the edges still open)."""
    # Only a page with ruling lines can hold a ruled table; skip the table finder elsewhere.
    tables = page.find_tables() if page.rects or page.lines or page.curves else []
    words = page.extract_words(extra_attrs=["size"])
    items: list[tuple[float, str, object]] = [(t.bbox[1], "ruled", t) for t in tables]
    loose = [w for w in words if not any(_inside(w, t.bbox) for t in tables)]
    for kind, lines in lines_to_blocks(words_to_lines(loose)):
        if kind == "table" and len(lines_to_columns(lines)) >= 2:
            items.append((lines[0][0]["top"], "unruled", lines))
        else:
            items.extend((line[0]["top"], "prose", line) for line in lines)
    items.sort(key=lambda item: item[0])
    rows: list[Row] = []
    for _, kind, payload in items:
        if kind == "prose":
            text = "".join(w["text"] for w in payload)
            rows.append(Row((Fragment(text, number, _bbox_of(payload)),)))
            if not _PAGE_NUMBER.match(text):
                carry = None  # a heading or prose ends the table
        elif kind == "ruled":
            columns = carried_columns(table_to_columns(payload), carry)
            rows += table_to_rows(payload, number, columns, page.chars)
            carry = columns
        else:
            columns = carried_columns(lines_to_columns(payload), carry)
            rows += unruled_block_to_rows(payload, number, columns)
            carry = columns
    return rows, carry


def title_rows(page, number: int):
    """Given page 1, return (its rows with the large-font heading lines joined into one,
    the column edges of a table still open)."""
    rows, carry = page_to_rows(page, number)
    words = page.extract_words(extra_attrs=["size"])
    if not words:
        return rows
    body = sorted(w["size"] for w in words)[len(words) // 2]
    big = [line for line in words_to_lines(words) if min(w["size"] for w in line) > body * 1.2]
    top_big = []
    for line in big:
        text = "".join(w["text"] for w in line)
        if heading_of(Row((Fragment(text),))):
            break
        top_big.append(text)
    if len(top_big) < 2:
        return rows, carry
    joined = "".join(top_big)
    out = [Row((Fragment(joined, number),))]
    skip = set(top_big)
    out += [r for r in rows if r.is_table or r.cells[0].text not in skip]
    return out, carry


def join_page_breaks(rows: list[Row]) -> list[Row]:
    """Given a document's rows, return them with table rows broken by a page break joined:
    the first table row of a page that can only be a continuation joins the last one before."""
    out: list[Row] = []
    last_table: int | None = None
    for row in rows:
        if not row.is_table:
            if not _PAGE_NUMBER.match(row.cells[0].text):
                last_table = None
            out.append(row)
            continue
        if last_table is not None and out[last_table].page != row.page and _is_continuation(row):
            out[last_table] = join_rows(out[last_table], row)
            continue
        out.append(row)
        last_table = len(out) - 1
    return out


# ---------------------------------------------------------------- the reader


def _pdfminer_pages(data: bytes, wanted: set[int]) -> Iterator[tuple[int, object]]:
    """Given PDF bytes and page indices, yield (index, pdfplumber page) read by pdfminer."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i in sorted(wanted):
                yield i, pdf.pages[i]
                pdf.pages[i].close()
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise Encrypted(f"pdfminer cannot decrypt it: {exc}") from exc
    except (PDFSyntaxError, PSException) as exc:
        raise Corrupt(f"pdfminer cannot parse it: {exc}") from exc


def pdf_to_report(data: bytes, time_limit: float = TIME_LIMIT_S, layer: str = LAYER) -> Report:
    """Given PDF bytes, return its Report.

    ``layer`` says where pdfplumber's table finder and word extraction get chars and
    ruling lines from: ``pdfium`` (fast, the default) or ``pdfminer`` (pdfplumber's own).
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
            meta_title = (doc.get_metadata_dict() or {}).get("Title") or None
            texts = [t for _, _, t in pages]
            if not texts:
                raise Corrupt("the PDF has no pages")
            if sum(len(squash(t)) for t in texts) < 20:
                raise NoTextLayer(f"{len(texts)} page(s) and no text: a scanned image")
            wanted = pages_to_read(texts)
            if layer == "pdfium":
                plumbed = ((i, PdfiumPage(pages[i][0], pages[i][1])) for i in sorted(wanted))
            else:
                plumbed = _pdfminer_pages(data, wanted)
            rows: list[Row] = []
            carry: list[float] | None = None
            for i, text in enumerate(texts):
                _check(end, time_limit)
                if i in wanted:
                    _, page = next(plumbed)  # pages come in index order
                    if i == 0:
                        page_rows, carry = title_rows(page, 1)
                    else:
                        page_rows, carry = page_to_rows(page, i + 1, carry)
                    rows += page_rows
                else:
                    prose = text_to_prose_rows(text, i + 1)
                    rows += join_title_lines(prose) if i == 0 else prose
                    carry = None
            for _ in plumbed:
                pass  # let the pdfminer reader close its file
        finally:
            doc.close()
        rows = join_page_breaks(rows)
        report = rows_to_report(rows)
        if report.title is None and meta_title and "年度报告" in meta_title:
            # No heading on page 1: fall back on a metadata title that names the report.
            report = rows_to_report([Row((Fragment(meta_title.strip()),)), *rows])
    report.media_type = "application/pdf"
    report.pages = len(texts)
    return report
