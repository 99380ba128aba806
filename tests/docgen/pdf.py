"""Render a Truth as a PDF report with reportlab, as WPS and Word export them.

Layouts: ``ruled`` tables (grid lines, merged header cells, centred numbers) or
unruled ones (no lines, left-aligned cells). Tables run across pages where the
page ends; ``split_row`` breaks the 「（四）无法提供」 row across a page break
(「（四）无」 / 「法提供」). The CJK font is an OS TrueType font when present (fonts-wqy-microhei), else
reportlab's built-in STSong-Light.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.docgen.layout import (
    SECTION_HEADINGS,
    Style,
    active_grid,
    appeal_grid,
    request_grid,
    signature_lines,
    title_lines,
    title_text,
    year_text,
)
from tests.docgen.truth import Truth

# An OS CJK TrueType font is embedded (subset), as WPS and Word do; without one, reportlab's
# built-in STSong-Light is referenced unembedded (text extracts the same, pdfium is slower).
_OS_FONTS = [
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
]


def _register_font() -> str:
    """Register the CJK font to draw with and return its name."""
    for path in _OS_FONTS:
        if path.exists():
            pdfmetrics.registerFont(TTFont("CJK", str(path), subfontIndex=0))
            return "CJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


FONT = _register_font()

PAGE_W, PAGE_H = A4
MARGIN = 60
TOP, BOTTOM = PAGE_H - 60, 70
PAD = 3

FILLER = (
    "本机关坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "围绕中心工作，不断完善政府信息公开制度，拓宽公开渠道，提升公开质量，切实保障人民群众的知情权、"
    "参与权、表达权和监督权。全年通过门户网站、政务新媒体等平台主动公开各类政府信息，及时回应社会关切，"
    "政府信息公开工作取得了新的成效。"
)

# (row, col) -> (rowspan, colspan) of merged header cells, per table
_REQUEST_SPANS = {(0, 0): (3, 3), (0, 3): (1, 7), (1, 3): (2, 1), (1, 4): (1, 5), (1, 9): (2, 1)}


@dataclass(frozen=True)
class PdfStyle:
    """How the PDF is laid out, on top of the number Style."""

    ruled: bool = True
    split_row: bool = False  # break the （四）无法提供 row across a page break
    # Filler paragraphs in section 一 (half as many in 五 and 六): real reports run to 8-12
    # pages, most of them prose; 24 gives about 8 pages.
    prose_paras: int = 24
    title_break: str = "agency"  # the heading's line break: after the agency or after the year
    meta_title: str = "Microsoft Word - 文档1"  # generic metadata, the real title is on page 1
    # Page furniture, on every page (any drawer)
    page_mark: str = "- {n} -"  # the footer: - 1 -, — 1 —, 第1页, 1/9 ... ('' for none)
    running_header: str = ""  # a line at the top of every page
    # Adversarial table drawing (tests/docgen/pdf_flow.py); any of these set switches from
    # the classic drawer to the flow drawer.
    size: float = 0  # table font size in points (0: the classic 8 pt, 9 pt for table 二)
    label_widths: tuple[float, ...] = ()  # table 三's three label columns in points
    table_width: float = 0  # the width every table fills (0: the text width, 475 pt)
    align: str = "centre"  # value cells: left | centre | right
    header_align: str = "centre"  # header cells: left | centre
    valign: str = "top"  # label cells: top | middle (of their row, or of the rows they span)
    value_valign: str = "top"  # value cells: top | middle
    group_span: bool = False  # row-group labels (三、本年度办理结果, （三）不予公开) merged down
    active_merge: bool = False  # table 二: a lone metric and its values merged across
    pad: float = 3.0  # cell padding in points
    leading: float = 2.0  # points between the lines of a cell
    row_height: float = 0  # minimum row height in points
    breaks: tuple[tuple[int, int], ...] = ()  # (section, row): a page break before that row
    split: tuple[tuple[int, int], ...] = ()  # (section, row): that row broken by a page break
    repeat_header: bool = False  # the header rows again at the top of a continued table
    repeat_labels: bool = False  # a merged label cut by a page break written again below it
    text_objects: str = "cell"  # one text object per cell line | per table row
    single_char_objects: bool = False  # every character its own text object (pdfium quirk)
    digit_font: str = ""  # numbers in a Latin font (Times-Roman, Helvetica), as Word does
    title_size: float = 16
    # The pages of tables 二 to 四 turned: "landscape" (a landscape MediaBox), "rot90" and
    # "rot270" (a portrait page shown turned by /Rotate, its text drawn sideways) or
    # "sideways" (the table drawn sideways on a portrait page, its page number upright).
    turn: str = ""
    # Table 四's value columns one digit wide: a number of two digits or more is printed
    # stacked, one digit a line (「1」 above 「0」 for 10).
    stacked_digits: bool = False
    # WPS's text: a 200 pt font drawn through a text matrix of 0.05 (10 pt on the page).
    scaled_font: bool = False
    # Points between the characters of a header cell's short lines, as WPS spreads them
    # (「自 然 人」); 0 for none.
    header_spacing: float = 0

    @property
    def flow(self) -> bool:
        """Whether any adversarial table switch is set (the flow drawer is used)."""
        return bool(
            self.size
            or self.label_widths
            or self.table_width
            or self.align != "centre"
            or self.header_align != "centre"
            or self.valign != "top"
            or self.value_valign != "top"
            or self.group_span
            or self.active_merge
            or self.pad != 3.0
            or self.leading != 2.0
            or self.row_height
            or self.breaks
            or self.split
            or self.repeat_header
            or self.repeat_labels
            or self.text_objects != "cell"
            or self.single_char_objects
            or self.digit_font
            or self.turn
            or self.stacked_digits
            or self.scaled_font
            or self.header_spacing
        )


def wrap(text: str, width: float, size: float) -> list[str]:
    """Given cell text, a width in points and a font size, return its lines."""
    lines: list[str] = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and pdfmetrics.stringWidth(line + ch, FONT, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


@dataclass
class _Table:
    grid: list[list[str]]
    widths: list[float]
    size: float
    spans: dict[tuple[int, int], tuple[int, int]]
    header_rows: int


def _body_spans(grid: list[list[str]], first: int, labels: int) -> dict:
    """Given a grid and its label column count, merge each label cell rightwards over empty label cells."""
    spans = {}
    for r in range(first, len(grid)):
        row = grid[r]
        for c in range(labels):
            if not row[c]:
                continue
            n = 1
            while c + n < labels and not row[c + n]:
                n += 1
            if n > 1:
                spans[(r, c)] = (1, n)
    return spans


def _active_spans(grid: list[list[str]]) -> dict:
    return {(r, 0): (1, 4) for r, row in enumerate(grid) if row[0].startswith("第二十条")}


def _appeal_spans(grid: list[list[str]]) -> dict:
    spans = {(0, 0): (1, 5), (0, 5): (1, 10), (1, 5): (1, 5), (1, 10): (1, 5)}
    for c in range(5):
        spans[(1, c)] = (len(grid) - 2, 1)  # 行政复议 outcomes stand over the sub-header rows
    return spans


def tables_of(truth: Truth, style: Style, pdf: PdfStyle) -> dict[int, _Table]:
    """Given a Truth and styles, return section number -> table to draw."""
    active = active_grid(truth, style)
    requests = request_grid(truth, Style(**{**style.__dict__, "swallow": False}))
    if pdf.split_row:
        for row in requests:
            if row[1] == "（四）无法提供":
                row[1] = "（四）无\n法提供"
    appeals = appeal_grid(truth, style)
    req_spans = dict(_REQUEST_SPANS)
    req_spans.update(_body_spans(requests, 3, 3))
    return {
        2: _Table(active, [175, 100, 100, 100], 9, _active_spans(active), 0),
        3: _Table(requests, [62, 82, 96] + [33.4] * 7, 8, req_spans, 3),
        4: _Table(appeals, [31.6] * 15, 8, _appeal_spans(appeals), len(appeals) - 1),
    }


class _Writer:
    """A cursor over pages of a reportlab canvas.

    The cursor lays text out on a logical page: A4 portrait, or A4 landscape while
    ``turned`` (the style's ``turn``), drawn as the style says: on a landscape page, or
    turned on a portrait page (with /Rotate, or sideways).
    """

    def __init__(self, pdf: PdfStyle):
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1)
        self.c.setTitle(pdf.meta_title)
        self.c.setAuthor("Administrator")
        self.pdf = pdf
        self.page = 1
        self.turned = False
        self._saved = False
        self.y = self.top
        self._begin_page()

    @property
    def width(self) -> float:
        """The logical page's width."""
        return PAGE_H if self.turned else PAGE_W

    @property
    def height(self) -> float:
        return PAGE_W if self.turned else PAGE_H

    @property
    def top(self) -> float:
        return self.height - 60

    @property
    def bottom(self) -> float:
        return BOTTOM

    def _turn(self) -> str:
        return self.pdf.turn if self.turned else ""

    def _begin_page(self) -> None:
        turn = self._turn()
        self.c.setPageSize((PAGE_H, PAGE_W) if turn == "landscape" else (PAGE_W, PAGE_H))
        self.c.setPageRotation({"rot90": 90, "rot270": 270}.get(turn, 0))
        if turn in ("rot90", "rot270", "sideways"):
            self.c.saveState()
            self._saved = True
            if turn == "rot270":  # text runs down the page; /Rotate 270 shows it upright
                self.c.translate(0, PAGE_H)
                self.c.rotate(-90)
            else:  # text runs up the page
                self.c.translate(PAGE_W, 0)
                self.c.rotate(90)
        self._running_header()

    def _running_header(self) -> None:
        if self.pdf.running_header:
            self.c.setFont(FONT, 9)
            self.c.drawCentredString(self.width / 2, self.height - 38, self.pdf.running_header)

    def new_page(self, turned: bool | None = None) -> None:
        """End the page (its page mark) and begin the next, turned or not as asked."""
        if self.pdf.page_mark:
            mark = self.pdf.page_mark.format(n=self.page)
            if self._turn() == "sideways":  # the portrait page's own, upright
                self.c.restoreState()
                self.c.setFont(FONT, 10)
                self.c.drawCentredString(PAGE_W / 2, 40, mark)
                self._saved = False
            else:
                self.c.setFont(FONT, 10)
                self.c.drawCentredString(self.width / 2, 40, mark)
        if self._saved:
            self.c.restoreState()
            self._saved = False
        self.c.showPage()
        self.page += 1
        if turned is not None:
            self.turned = turned
        self.y = self.top
        self._begin_page()

    def text_line(self, text: str, size: float, centred: bool = False, gap: float = 4) -> None:
        if self.y - size < self.bottom:
            self.new_page()
        self.y -= size
        self.c.setFont(FONT, size)
        if centred:
            self.c.drawCentredString(self.width / 2, self.y, text)
        else:
            self.c.drawString(MARGIN, self.y, text)
        self.y -= gap

    def paragraph(self, text: str, size: float = 10.5) -> None:
        for line in wrap("\u3000\u3000" + text, self.width - 2 * MARGIN, size):
            self.text_line(line, size)

    def finish(self) -> bytes:
        self.new_page(turned=False)
        self.c.save()
        return self.buf.getvalue()


def _cell_lines(table: _Table, r: int, c: int) -> list[str]:
    rs, cs = table.spans.get((r, c), (1, 1))
    width = sum(table.widths[c : c + cs]) - 2 * PAD
    return wrap(table.grid[r][c], width, table.size) if table.grid[r][c] else []


def _covered(table: _Table) -> set[tuple[int, int]]:
    out = set()
    for (r, c), (rs, cs) in table.spans.items():
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                if (i, j) != (r, c):
                    out.add((i, j))
    return out


def _row_height(table: _Table, r: int, lines_of) -> float:
    n = 1
    for c in range(len(table.widths)):
        rs, _ = table.spans.get((r, c), (1, 1))
        if rs == 1:
            n = max(n, len(lines_of(r, c)))
    return n * (table.size + 2) + 2 * PAD


def draw_table(w: _Writer, table: _Table) -> None:
    """Draw a table at the cursor, continuing on the next page when a row does not fit."""
    covered = _covered(table)
    xs = [MARGIN]
    for width in table.widths:
        xs.append(xs[-1] + width)
    split_lines: dict[tuple[int, int], list[str]] = {}

    def lines_of(r: int, c: int) -> list[str]:
        return split_lines.get((r, c), _cell_lines(table, r, c))

    rows = list(range(len(table.grid)))
    tops: dict[int, float] = {}
    i = 0
    pending_tail: dict[int, list[str]] | None = None
    while i < len(rows):
        r = rows[i]
        if pending_tail is not None:
            # The rest of a row broken by the page break: its remaining lines, no values.
            h = max(len(v) for v in pending_tail.values()) * (table.size + 2) + 2 * PAD
            _draw_row(w, table, xs, r, pending_tail, h, covered, tail=True)
            w.y -= h
            pending_tail = None
            i += 1
            continue
        h = _row_height(table, r, lines_of)
        label = "".join(table.grid[r][:3])
        if w.pdf.split_row and "（四）无\n法提供" in label and (r, -1) not in split_lines:
            # Break this row: its first line ends page N, the rest opens page N+1.
            first = {c: lines_of(r, c)[:1] for c in range(len(table.widths))}
            rest = {c: lines_of(r, c)[1:] for c in range(len(table.widths))}
            h1 = (table.size + 2) + 2 * PAD
            _draw_row(w, table, xs, r, first, h1, covered)
            w.y -= h1
            w.new_page()
            split_lines[(r, -1)] = []
            pending_tail = rest
            continue
        if w.y - h < w.bottom:
            w.new_page()
        tops[r] = w.y
        _draw_row(
            w, table, xs, r, {c: lines_of(r, c) for c in range(len(table.widths))}, h, covered
        )
        w.y -= h
        i += 1
    w.y -= 10


def _draw_row(w, table, xs, r, lines, h, covered, tail: bool = False) -> None:
    """Draw row r's cells (their `lines`) in a band of height h below the cursor."""
    c = w.c
    c.setFont(FONT, table.size)
    c.setLineWidth(0.5)
    top = w.y
    ncols = len(table.widths)
    for col in range(ncols):
        if (r, col) in covered and not tail:
            continue
        rs, cs = table.spans.get((r, col), (1, 1))
        if tail and (r, col) in covered:
            rs, cs = 1, 1
        x0, x1 = xs[col], xs[min(col + cs, ncols)]
        bottom = top - h
        if rs > 1 and not tail:
            # A cell merged over the rows below: its box reaches their bottom.
            extra = 0.0
            for k in range(1, rs):
                extra += _row_height(table, r + k, lambda rr, cc: _cell_lines(table, rr, cc))
            bottom = top - h - extra
        if w.pdf.ruled:
            c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
        text_lines = lines.get(col, [])
        centred = w.pdf.ruled and (r < table.header_rows or col >= 3 or ncols == 15)
        for k, line in enumerate(text_lines):
            y = top - PAD - (k + 1) * (table.size + 2) + 2
            if centred:
                c.drawCentredString((x0 + x1) / 2, y, line)
            else:
                c.drawString(x0 + PAD, y, line)


def _classic_title(style: Style) -> bool:
    return not (style.title_cuts or style.title_order != "agency" or style.year_space)


def render_pdf(truth: Truth, style: Style = Style(), pdf: PdfStyle = PdfStyle()) -> bytes:
    """Given a Truth and styles, return the report as PDF bytes."""
    w = _Writer(pdf)
    for line in style.preamble:
        w.text_line(line, 10.5, gap=6)
    if _classic_title(style):
        w.text_line(truth.agency, pdf.title_size, centred=True, gap=8)
        w.text_line(
            f"{year_text(truth.year, style)}{style.year_word}政府信息公开工作年度报告",
            pdf.title_size,
            centred=True,
            gap=16,
        )
    else:
        lines = title_lines(title_text(truth, style), style)
        for k, line in enumerate(lines):
            w.text_line(line, pdf.title_size, centred=True, gap=16 if k == len(lines) - 1 else 8)
    w.paragraph("本报告根据《中华人民共和国政府信息公开条例》要求编制。")
    if pdf.flow:
        from tests.docgen.pdf_flow import draw_flow_table, flow_tables_of

        tables = flow_tables_of(truth, style, pdf)
        draw = draw_flow_table
    else:
        tables = tables_of(truth, style, pdf)
        draw = draw_table
    for n in range(1, 7):
        if pdf.turn and n in (2, 5):
            w.new_page(turned=n == 2)  # tables 二 to 四 on pages of their own, turned
        w.y -= 6
        w.text_line(SECTION_HEADINGS[n], 12, gap=8)
        if n in tables:
            draw(w, tables[n])
        else:
            w.paragraph(truth.prose.get(n, "无。"))
            if n in (1, 5, 6):
                for _ in range(pdf.prose_paras if n == 1 else pdf.prose_paras // 2):
                    w.paragraph(FILLER)
    if style.signature or style.title_order == "none":
        w.y -= 20
        for line in signature_lines(truth):
            if w.y - 12 < w.bottom:
                w.new_page()
            w.y -= 12
            w.c.setFont(FONT, 12)
            w.c.drawRightString(PAGE_W - MARGIN, w.y, line)
            w.y -= 8
    return w.finish()


def encrypted_pdf(user_password: str = "secret") -> bytes:
    """Return a one-page PDF that opens only with a password."""
    from reportlab.lib import pdfencrypt

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption(user_password, canPrint=0))
    c.setFont(FONT, 12)
    c.drawString(MARGIN, 700, "政府信息公开工作年度报告")
    c.showPage()
    c.save()
    return buf.getvalue()


def scanned_pdf(pages: int = 2) -> bytes:
    """Return a PDF of page images and no text layer, as a scanner makes."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for _ in range(pages):
        image = Image.new("L", (420, 594), 255)
        c.drawImage(ImageReader(image), 0, 0, PAGE_W, PAGE_H)
        c.showPage()
    c.save()
    return buf.getvalue()
