"""Render a Truth as a Word report (.docx) with python-docx.

Merged cells are real Word merges (gridSpan, vMerge) made by python-docx from
the layout grid's spans; numbers are split over several runs as Word splits
them; `split_tables` breaks tables 二 and 三 in two at a page break with the
row-group label repeated; `wrapped` puts the whole report inside a one-cell
layout table with the national tables nested in it; `list_headings` numbers the
headings 一、二、三、 with Word's list numbering instead of in their text.
"""

from __future__ import annotations

import io
import random
import zipfile

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from tests.docgen.layout import Style, blocks_of, title_lines
from tests.docgen.spans import (
    SECTION_OF_WIDTH,
    Span,
    grid_to_spans,
    split_at,
    split_row,
    split_spans,
)
from tests.docgen.truth import Truth


def _fill(cell, text: str, rng: random.Random, breaks: str = "paragraph") -> None:
    """Write text into a table cell, a number split over two runs; a line break in the
    text is a new paragraph or (`breaks='break'`) a <w:br/> in the run."""
    paragraph = cell.paragraphs[0]
    if "\n" in text:
        lines = text.split("\n")
        if breaks == "break":
            run = paragraph.add_run(lines[0])
            for line in lines[1:]:
                run.add_break()
                run = paragraph.add_run(line)
        else:
            paragraph.add_run(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(line)
        return
    if text and any(ch.isdigit() for ch in text) and len(text) > 1:
        cut = rng.randint(1, len(text) - 1)
        paragraph.add_run(text[:cut])
        paragraph.add_run(text[cut:])
    elif "（区分" in text:
        head, note = text.split("（区分", 1)
        paragraph.add_run(head)
        cell.add_paragraph("（区分" + note)
    elif text:
        paragraph.add_run(text)


def _table(
    container, spans: list[Span], width: int, rng: random.Random, breaks: str = "paragraph"
) -> None:
    height = max(s.row + s.rowspan for s in spans)
    table = container.add_table(rows=height, cols=width)
    table.style = "Table Grid"
    cells = table._cells  # once: table.cell() recomputes the whole grid on every call
    for s in spans:
        cell = cells[s.row * width + s.col]
        if s.rowspan > 1 or s.colspan > 1:
            corner = cells[(s.row + s.rowspan - 1) * width + s.col + s.colspan - 1]
            cell = cell.merge(corner)
        _fill(cell, s.text, rng, breaks)


_NUMBERING = (
    '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'w:abstractNumId="90"><w:multiLevelType w:val="hybridMultilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
)
_NUM = (
    '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
    '<w:abstractNumId w:val="90"/></w:num>'
)


def _chinese_list(document) -> str:
    """Add a 一、二、三、 list to the document's numbering; return its numId."""
    root = document.part.numbering_part.element
    first_num = next(root.iterchildren(qn("w:num")), None)
    abstract = parse_xml(_NUMBERING)
    if first_num is not None:
        first_num.addprevious(abstract)  # every abstractNum must come before the nums
    else:
        root.append(abstract)
    root.append(parse_xml(_NUM))
    return "90"


def _number(paragraph, num_id: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def render_docx(
    truth: Truth,
    style: Style = Style(),
    *,
    split_tables: bool = False,
    wrapped: bool = False,
    list_headings: bool = False,
    seed: int = 0,
    breaks: tuple[tuple[int, int], ...] = (),
    repeat_header: bool = False,
    repeat_labels: bool = True,
    cell_breaks: str = "paragraph",
    title_split: str = "paragraph",
) -> bytes:
    """Return the report as .docx bytes; `list_headings` numbers the section headings with
    Word's automatic list numbering, so 一、 is not in their text.

    Adversarial: `breaks` are (section, row) where a table is cut by a page break,
    `repeat_header` repeats its header rows below the cut and `repeat_labels` its
    row-group labels; `cell_breaks` writes a wrapped cell as paragraphs or <w:br/>;
    a title wrapped by `style.title_cuts` is a paragraph per line (`title_split`
    'paragraph') or one paragraph with line breaks ('break')."""
    rng = random.Random(seed)
    document = Document()
    num_id = _chinese_list(document) if list_headings else None
    container = document
    if wrapped:
        layout = document.add_table(rows=1, cols=1)
        container = layout.cell(0, 0)
    first = True
    for kind, payload in blocks_of(truth, style):
        if kind == "table":
            grid = payload
            spans = grid_to_spans(grid)
            width = len(grid[0])
            cuts = [r for sec, r in breaks if sec == SECTION_OF_WIDTH.get(width)]
            if cuts:
                for k, part in enumerate(split_at(grid, cuts, repeat_header, repeat_labels)):
                    if k:
                        container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                    _table(container, part, width, rng, cell_breaks)
            elif split_tables and width in (4, 10):
                head, tail = split_spans(spans, split_row(grid))
                _table(container, head, width, rng)
                container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                _table(container, tail, width, rng)
            else:
                _table(container, spans, width, rng)
            continue
        if first and wrapped:
            paragraph = container.paragraphs[0]  # a new cell holds one empty paragraph
        else:
            paragraph = container.add_paragraph()
        first = False
        text = str(payload)
        if kind == "title" and title_lines(text, style) != [text]:
            lines = title_lines(text, style)
            if title_split == "break":
                run = paragraph.add_run(lines[0])
                run.bold = True
                for line in lines[1:]:
                    run.add_break()
                    run = paragraph.add_run(line)
                    run.bold = True
            else:
                paragraph.add_run(lines[0]).bold = True
                for line in lines[1:]:
                    container.add_paragraph().add_run(line).bold = True
            continue
        if kind == "heading" and num_id:
            text = text.split("、", 1)[1]
            _number(paragraph, num_id)
        run = paragraph.add_run(text)
        run.bold = kind in ("title", "heading")
    out = io.BytesIO()
    document.save(out)
    return _reproducible(out.getvalue())


def _reproducible(data: bytes) -> bytes:
    """Given .docx bytes, return them with fixed zip timestamps, so one Truth gives one file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
