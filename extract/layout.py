"""Layout text (``pdftotext -layout``): tables whose columns are character positions.

pdftotext's layout mode writes each line of a PDF page as text with its words placed
at character columns (runs of spaces between them), one line of text per line of the
page and a form feed between pages (none with ``-nopgbrk``). A table's header words
come stacked a word or two a line, its labels wrapped over lines, its values on a line
of their own between a wrapped label's lines.

Each run of non-space characters becomes a positioned :class:`~extract.template.tokens.Word`:
x from its character column (pdftotext counts every character as one column, a CJK
character too), top from its line, one size for all; the PDF readings then read them:
``words`` (:func:`extract.positions.pages_to_position_reads`, anchored on header words
and row labels) and ``text`` (the lines' trailing values, :mod:`extract.lines`).

pdftotext packs each line's words as tightly as the words above them allow, so the
columns of one line need not be those of the next: where the header cannot tell
which column a value stands in, the placement is a guess
(:func:`extract.template.columns.placement_is_guess`) and counts only when confirmed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from extract.document import heading_of
from extract.labels import has_digit, is_page_number, is_value, squash
from extract.records import Fragment, Problem, Row, TableRead
from extract.selfcheck import Reading
from extract.template.columns import (
    cluster_columns,
    column_text,
    nearest,
    outcome_blocks,
    value_pitch,
    without_spanning,
)
from extract.template.headers import (
    FURNITURE,
    TEMPLATE_HEADER_WORDS,
    applicant_of_header,
    holds_header_word,
    is_header_line,
    is_header_piece,
    piece_of,
)
from extract.template.rows import starts_numbered
from extract.template.tokens import Word, bbox_of, span_of, text_of
from spec import codes
from spec.kinds import TableName

if TYPE_CHECKING:
    from extract.positions import Line

COLUMN = 2.0  # a character column's width: a gap of one space is a gap between words
SIZE = 6.0  # every word's size, a line's height: words one space apart are one piece, two apart not
# A run of non-space characters; a number and its unit one space after it are one word.
_TOKEN = re.compile(r"[+\-−]?\d[\d,.]* (?:万元|元|件|项|个|条|次|份)(?!\S)|\S+")
_RUN = re.compile(r" {2,}")
_LEAST_LINES = 3  # lines with a value set apart by a run of spaces


def is_layout_text(text: str) -> bool:
    """Given a document's text, tell whether its tables are laid out by character columns:
    no markdown pipe row, no tab, and some lines where a value stands apart from the text
    before it by a run of two spaces or more."""
    if "\t" in text or re.search(r"^\s*\|.*\|", text, flags=re.M):
        return False
    laid = 0
    for line in text.splitlines():
        parts = _RUN.split(line.strip())
        if len(parts) >= 2 and any(is_value(p) and squash(p) for p in parts[1:]):
            laid += 1
            if laid >= _LEAST_LINES:
                return True
    return False


def text_to_words(text: str) -> list[list[Word]]:
    """Given layout text, return the words of each page: form feeds part the pages, or,
    with none (``pdftotext -nopgbrk``), a page number alone on its line ends a page and
    a table header repeated after lines of values starts one."""
    chunks = text.split("\f") if "\f" in text else _pages_without_breaks(text)
    pages: list[list[Word]] = []
    for number, chunk in enumerate(chunks, start=1):
        words: list[Word] = []
        for i, line in enumerate(chunk.splitlines()):
            top = i * SIZE
            tokens = [
                token for m in _TOKEN.finditer(line) for token in _marks_apart(m.start(), m.group())
            ]
            words += [
                Word(text, start * COLUMN, end * COLUMN, top, top + SIZE, SIZE, number, "layout")
                for start, end, text in _letter_spaced(tokens)
            ]
        pages.append(words)
    return pages


# Marks for nothing of neighbouring narrow cells packed with no space: 「无无」, 「无-」
# (a dash alone may be long: 「——」 is one mark).
_MARKS = re.compile(r"^(?=.*无)[无\-—/]{2,}$")


def _marks_apart(start: int, token: str) -> list[tuple[int, str]]:
    """Given a token and its column, return its words: 「无无」, 「无-」 (two cells' marks
    for nothing with no space between) are one a column, anything else itself."""
    if _MARKS.match(token):
        return [(start + i, ch) for i, ch in enumerate(token)]
    return [(start, token)]


_CJK = re.compile(r"^[\u4e00-\u9fff]$")


def _letter_spaced(tokens: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Given a line's tokens (column, text), return them as (first column, end column,
    text) with a header written letter-spaced (「总 计」, 「行 政 复 议」: single
    characters one space apart) as one token where some of the characters together are
    one of the template's header words; other single characters one
    a column (「结 结 其 尚」 over 「果果他未」 in narrow cells) stay apart."""
    out: list[tuple[int, int, str]] = []
    run: list[tuple[int, str]] = []

    def close() -> None:
        i = 0
        while i < len(run):
            size = next(
                (
                    n
                    for n in range(min(6, len(run) - i), 1, -1)
                    if "".join(t for _, t in run[i : i + n]) in TEMPLATE_HEADER_WORDS
                ),
                1,
            )
            part = run[i : i + size]
            out.append((part[0][0], part[-1][0] + 1, "".join(t for _, t in part)))
            i += size
        run.clear()

    for start, text in tokens:
        if not (_CJK.match(text) and run and start == run[-1][0] + 2):
            close()
        if _CJK.match(text):
            run.append((start, text))
        else:
            out.append((start, start + len(text), text))
    close()
    return out


def _pages_without_breaks(text: str) -> list[str]:
    """Given layout text with no form feed, return it split where its pages end: after a
    page number alone on its line (a bare number only between blank lines: a digit of a
    number printed digit over digit stands beside its row), and before a table header
    repeated after lines of values (the header a table repeats atop each page), with the
    lines of its spanning headers above it."""
    lines = text.splitlines()
    pages: list[list[str]] = [[]]
    last = None  # the page's last line of values, by its index on the page
    for i, line in enumerate(lines):
        tokens = line.split()
        counted = sum(is_value(t) and bool(squash(t)) for t in tokens)
        if last is not None and tokens and not counted and _repeats_a_header(tokens):
            # the header's lines above this one (申请人/情况, the 勾稽 note) go with it
            page = pages[-1]
            start = len(page)
            while start - 1 > last and _spanning_line(page[start - 1]):
                start -= 1
            pages[-1], rest = page[:start], page[start:]
            pages.append(rest)
            last = None
        pages[-1].append(line)
        if counted >= 3:
            last = len(pages[-1]) - 1
        if _ends_page(lines, i):
            pages.append([])
            last = None
    return ["\n".join(lines) for lines in pages if any(line.strip() for line in lines)]


def _repeats_a_header(tokens: Sequence[str]) -> bool:
    """Given a line's tokens, tell whether it is (part of) table 三's header, which a table
    repeats at the top of a page (table 二's sub-tables follow one another on a page)."""
    return is_header_line(tokens) and not holds_header_word("".join(tokens), ("active",))


def _spanning_line(line: str) -> bool:
    """Given a line, tell whether it is blank or a line of a table's header: no value and
    a header word or a piece of one (申请人/情况, 自/然人, 本列数据的勾稽关系…之和)."""
    tokens = line.split()
    return not tokens or (
        not any(is_value(t) for t in tokens) and any(is_header_piece(squash(t)) for t in tokens)
    )


def _ends_page(lines: Sequence[str], i: int) -> bool:
    """Given a text's lines and an index, tell whether that line is a page number."""
    text = lines[i].strip()
    if not text or not is_page_number(text):
        return False
    if not text.isdigit():
        return True  # — 1 —, 第1页, 1/12
    before = i == 0 or not lines[i - 1].strip()
    return before and (i + 1 == len(lines) or not lines[i + 1].strip())


def layout_readings(words_by_page: Sequence[Sequence[Word]]) -> list[Reading]:
    """Given each page's words, return the readings of the tables they make, cheapest
    first: by word positions, then line by line; a line of values that fills every
    column of its table stands under the header's columns first (:func:`snap_tables`)."""
    pages = snap_tables(words_by_page)
    printed = printed_digits(pages)

    def words_reading() -> dict[TableName, TableRead]:
        from extract.positions import pages_to_position_reads

        return mark_guesses(account_for_digits(pages_to_position_reads(pages), printed))

    def text_reading() -> dict[TableName, TableRead]:
        from extract.pdf import rows_to_text_reads

        reads = rows_to_text_reads(words_to_rows(pages))
        return mark_guesses(account_for_digits(reads, printed))

    return [("words", words_reading), ("text", text_reading)]


_COUNTED: dict[TableName, int] = {"requests": 3, "appeals": 4}  # table -> its section


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in unicodedata.normalize("NFKC", text))


def printed_digits(words_by_page: Sequence[Sequence[Word]]) -> dict[TableName, int]:
    """Given each page's words, return how many digits the values in the sections of
    tables 三 and 四 print (page numbers left out)."""
    from extract.positions import lines_to_sections, page_number_lines, words_to_lines

    lines = []
    for words in words_by_page:
        on_page = words_to_lines(words)
        numbers = page_number_lines(on_page, SIZE)
        lines += [line for i, line in enumerate(on_page) if i not in numbers]
    sections = lines_to_sections(lines)
    return {
        table: sum(_digits(w.text) for line in sections[n] for w in _values(line))
        for table, n in _COUNTED.items()
    }


def account_for_digits(
    reads: dict[TableName, TableRead], printed: dict[TableName, int]
) -> dict[TableName, TableRead]:
    """Given a reading of layout text and the digits the values of tables 三 and 四
    print, return it with each of those tables whose cells hold fewer digits marked
    incomplete: the text is exact, so a reading that placed every value it took and
    holds fewer digits than the table prints lost a number it never counted (a lone
    value taken for a page number), and a table read blank there may pass its identities."""
    out = dict(reads)
    for table, read in reads.items():
        if table not in printed or not read.cells or read.unplaced:
            continue
        held = sum(_digits(c.raw) for c in read.cells)
        if held < printed[table]:
            problem = Problem(
                table, "lost_digits", f"{printed[table] - held} printed digits in no cell"
            )
            out[table] = replace(read, problems=(*read.problems, problem), unplaced=1)
    return out


def line_to_cells(words: Sequence[Word]) -> list[list[Word]]:
    """Given a line's words left to right, return its cells: words one space apart are
    one cell (「1.」「申请人无正当理由逾」, 「4.」「无」) unless one of them is a value (but
    a bare row number's next word) or the second starts a numbered label (「(三)不予」「1、属于国家秘」); a wider gap parts cells."""
    cells: list[list[Word]] = []
    for w in words:
        last = cells[-1][-1] if cells else None
        if (
            last is not None
            and w.x0 - last.x1 <= COLUMN
            and (not (is_value(w.text) or is_value(last.text)) or _label_goes_on(cells[-1], w))
            and not starts_numbered(w.text)
        ):
            cells[-1].append(w)
        else:
            cells.append([w])
    return cells


_ROW_NUMBER = re.compile(r"^(?:\d{1,2}[.．、]|[(（]\d{1,2}[)）])$")


def _label_goes_on(cell: Sequence[Word], word: Word) -> bool:
    """Tell whether a word one space after a bare row number is its label's first word
    though it reads as a mark for nothing (「4.」「无正当」 wrapped two characters a line:
    「4.」「无」)."""
    return len(cell) == 1 and bool(_ROW_NUMBER.match(cell[0].text)) and not has_digit(word.text)


def words_to_rows(words_by_page: Sequence[Sequence[Word]]) -> list[Row]:
    """Given each page's words, return their lines as table rows (one cell per run of words
    one space apart, with its box); section headings and page numbers
    (:func:`extract.positions.page_number_lines`: atop, at the foot, or after a blank
    line) stay prose."""
    from extract.positions import page_number_lines, words_to_lines

    rows = []
    for words in words_by_page:
        lines = words_to_lines(words)
        numbers = page_number_lines(lines, SIZE)
        for i, line in enumerate(lines):
            prose = Row((Fragment(line.text, line.page),))
            if heading_of(prose) or i in numbers:
                rows.append(prose)
                continue
            cells = tuple(
                Fragment(text_of(c), line.page, bbox_of(c)) for c in line_to_cells(line.words)
            )
            rows.append(Row(cells, is_table=True))
    return rows


_PITCH = 8 * COLUMN  # the pitch of the grid a table's columns are moved onto
_LONGEST_HEADER = 16  # no applicant's header, however wrapped, is longer (the labels' is)


def snap_tables(words_by_page: Sequence[Sequence[Word]]) -> list[list[Word]]:
    """Given each page's words, return them with the columns of tables 三 and 四 moved
    onto one grid right of every label: the header words that name a column and every
    line's values that fill its columns (7, 15) in order.

    pdftotext packs each line's words as far left as the words above them on that page
    allow, so a line's values stand where its own label and the lines above put them,
    not under the header, and a page's columns are not the next page's; but a line that
    holds one value per column holds them in the columns' order, whatever its spacing.
    A line with fewer values is placed by the page's columns of values when they show all
    the columns, else by the full line nearest it, else by the page's header: a guess
    :func:`mark_guesses` marks."""
    from extract.positions import lines_to_sections, words_to_lines

    words_by_page = unpack_tables(words_by_page)
    lines = [line for words in words_by_page for line in words_to_lines(words)]
    sections = lines_to_sections(lines)
    moved: dict[int, Word] = {}
    for table in (3, 4):
        moved.update(_snap_table(table, sections[table]))
    return [[moved.get(id(w), w) for w in words] for words in words_by_page]


_DIGITS = re.compile(r"^\d{1,3}$")


def unpack_tables(words_by_page: Sequence[Sequence[Word]]) -> list[list[Word]]:
    """Given each page's words, return them with what pdftotext spread over lines in
    narrow cells of table 四 put together: a number printed digit over digit (「1」 on the line above the
    row's values, 「5」 on the line below, or 「1」 among the values and 「7」 below it) is
    one word on the values' line when that fills the row."""
    from extract.positions import lines_to_sections, words_to_lines

    lines = [line for words in words_by_page for line in words_to_lines(words)]
    sections = lines_to_sections(lines)
    out: dict[int, list[Word]] = {}
    width = len(codes.appeal_pairs())
    for page in sorted({line.page for line in sections[4]}):
        on_page = [line for line in sections[4] if line.page == page]
        end = _header_end(4, on_page)
        # a digit alone atop or at the foot of a page is no page number beside values
        near = [line for line in lines if line.page == page]
        out.update(_stacked_numbers(on_page[end:], near, width))
    return [[v for w in words for v in out.get(id(w), [w])] for words in words_by_page]


def _digit_line(line: Line | None) -> bool:
    return (
        line is not None and len(line.words) <= 3 and all(_DIGITS.match(w.text) for w in line.words)
    )


def _stacked_numbers(
    lines: Sequence[Line], page: Sequence[Line], width: int
) -> dict[int, list[Word]]:
    """Given table 四's lines below its header on a page, return id(word) -> its
    replacement for the numbers printed digit over digit in its row (see
    :func:`unpack_tables`): a digit alone on the line above the values and one on the line
    below at its column, where the values leave a gap, are one number; so is a value with
    a digit alone on the line below it. The top digit becomes the number, the rest goes.
    ``page`` is every line of the page (a digit may stand where a page number would)."""
    at = {line.top: line for line in page}
    out: dict[int, list[Word]] = {}
    for line in lines:
        values = _values(line)
        above, below = at.get(line.top - SIZE), at.get(line.top + SIZE)
        if not values or not _digit_line(below):
            continue
        assert below is not None
        tops = [v for v in values if _DIGITS.match(v.text)]
        if _digit_line(above) and len(values) < width:
            assert above is not None
            tops += [a for a in above.words if not any(_overlap(a, v) for v in values)]
        pairs = [(a, b) for b in below.words for a in tops if abs(a.x0 - b.x0) < COLUMN]
        gaps = sum(1 for a, _ in pairs if a not in values)
        if len(values) + gaps != width or len(pairs) != len(below.words):
            continue
        if len({id(a) for a, _ in pairs}) != len(pairs):
            continue
        for a, b in pairs:
            x0, x1 = min(a.x0, b.x0), max(a.x1, b.x1)
            number = Word(a.text + b.text, x0, x1, line.top, line.bottom, a.size, a.page, a.source)
            out[id(a)], out[id(b)] = [number], []
    return out


def _overlap(a: Word, b: Word) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def _values(line: Line) -> list[Word]:
    """Given a line, return its values left to right (a mark for nothing that begins the
    label after a bare row number is none: 「4.」「无」)."""
    words = sorted(line.words, key=lambda w: w.x0)
    return [
        w
        for i, w in enumerate(words)
        if is_value(w.text)
        and squash(w.text)
        and not (i and w.x0 - words[i - 1].x1 <= COLUMN and _label_goes_on(words[i - 1 : i], w))
    ]


def _moved(word: Word, x: float) -> Word:
    half = (word.x1 - word.x0) / 2
    return replace(word, x0=x - half, x1=x + half)


def _snap_table(table: int, lines: Sequence[Line]) -> dict[int, Word]:
    """Given table 三's or 四's lines, return id(word) -> the word moved onto the grid."""
    width = len(codes.applicants()) if table == 3 else len(codes.appeal_pairs())
    valued = [line for line in lines if _values(line)]
    if not valued:
        return {}
    start = lines.index(valued[0])
    labels = [w for line in lines[start:] for w in line.words if not is_value(w.text)]
    origin = max([w.x1 for w in labels] + [_values(line)[0].x0 for line in valued]) + _PITCH
    grid = [origin + (i + 0.5) * _PITCH for i in range(width)]
    moved: dict[int, Word] = {}
    for page in sorted({line.page for line in lines}):
        on_page = [line for line in lines if line.page == page]
        end = _header_end(table, on_page)
        under = _stacked_pieces(on_page[:end]) if table == 3 else {}
        columns = _named_columns(table, on_page[:end], on_page[end:], under)
        for i, words in columns.items():
            # a lower piece goes where the piece it completes goes
            aligned = [_moved(w, under[id(w)].cx) if id(w) in under else w for w in words]
            shift = grid[i] - _centre(aligned)
            moved.update(
                (id(w), _moved(a, a.cx + shift)) for w, a in zip(words, aligned, strict=True)
            )
        full = [line for line in on_page[end:] if len(_values(line)) == width]
        stacks = _value_stacks(on_page[end:], width)
        for line in on_page[end:]:
            values = _values(line)
            if len(values) == width:
                moved.update((id(w), _moved(w, x)) for w, x in zip(values, grid, strict=True))
                continue
            centres = stacks or _near_centres(line, full) or _page_centres(columns, width)
            if centres is None:
                continue
            for w in values:
                moved[id(w)] = _moved(w, grid[nearest(w.cx, centres)])
    return moved


def _header_end(table: int, lines: Sequence[Line]) -> int:
    """Given a table's lines on one page, return how many of them its header takes: those
    above the first line of values (two, for table 三: a row may hold one number in its
    label) or the first line that starts with a numbered row label."""
    least = 2 if table == 3 else 1
    for i, line in enumerate(lines):
        if len(_values(line)) >= least or starts_numbered(line.words[0].text):
            return i
    return len(lines)


def _centre(words: Sequence[Word]) -> float:
    x0, x1 = span_of(words)
    return (x0 + x1) / 2


def _named_columns(
    table: int, head: Sequence[Line], body: Sequence[Line], under: dict[int, Word]
) -> dict[int, list[Word]]:
    """Given a page's header lines, the lines below them and (table 三) the pieces each
    stacked header piece goes on (:func:`_stacked_pieces`), return column index -> the
    header words naming it (table 三: each column its header names, however few; table
    四: all fifteen or none)."""
    words = [w for line in head for w in line.words]
    if table == 4:
        pitch = value_pitch([w for line in body for w in _values(line)])
        spans = outcome_blocks(words, pitch)
        if spans is None:
            return {}
        return {
            i: [w for w in words if x0 <= w.cx <= x1 and not is_value(w.text)]
            for i, (x0, x1) in enumerate(spans)
        }
    order = list(codes.applicants())
    out: dict[int, list[Word]] = {}
    # Stacked pieces stand where pdftotext packed each line, not always over each other:
    # each lower piece is clustered at the centre of the piece it completes.
    at: dict[int, Word] = {
        id(w): _moved(w, under[id(w)].cx) if id(w) in under else w for w in words
    }
    back = {id(c): w for w in words if (c := at[id(w)]) is not w}
    labels = without_spanning(at[id(w)] for w in words if not is_value(w.text))
    # A header packed among the pieces of the header spanning it (社/会公益组织 beside
    # 法人或其/他组织) is named once those pieces are left out.
    for pool in (labels, [w for w in labels if not piece_of(w.text, FURNITURE, 3)]):
        taken = {id(w) for c in out.values() for w in c}
        for cluster in cluster_columns([w for w in pool if id(w) not in taken]):
            text = column_text(cluster)
            code = applicant_of_header(text) if len(text) <= _LONGEST_HEADER else None
            if code is not None and order.index(code) not in out:
                out[order.index(code)] = [back.get(id(w), w) for w in cluster]
    return out


_APPLICANT_NAMES = tuple(h for h in TEMPLATE_HEADER_WORDS if applicant_of_header(h) is not None)


def _stacked_pieces(head: Sequence[Line]) -> dict[int, Word]:
    """Given table 三's header lines on a page, return id(word) -> the piece above it that
    it goes on (「商业企」 over 「业」, 「社会」/「公」/「益组」/「织」), paired in order:
    a line's words left to right go on the earlier lines' unfinished pieces left to right,
    each on the first that it goes on to make (the start of) a column's name."""
    out: dict[int, Word] = {}
    unfinished: list[tuple[str, Word]] = []  # (the name so far, its first piece), by x
    for line in head:
        words = sorted(line.words, key=lambda w: w.x0)
        after, finished = 0, []
        for w in words:
            text = squash(w.text)
            k = next(
                (
                    k
                    for k in range(after, len(unfinished))
                    if _starts_a_name(unfinished[k][0] + text) and not _starts_a_name(text)
                ),
                None,
            )
            if k is None:
                continue
            so_far, first = unfinished[k]
            out[id(w)] = first
            unfinished[k] = (so_far + text, first)
            after = k + 1
            if so_far + text in _APPLICANT_NAMES:
                finished.append(k)
        unfinished = [u for i, u in enumerate(unfinished) if i not in finished]
        unfinished += [
            (squash(w.text), w)
            for w in words
            if id(w) not in out
            and _starts_a_name(squash(w.text))
            and squash(w.text) not in _APPLICANT_NAMES
        ]
        unfinished.sort(key=lambda u: u[1].x0)
    return out


def _starts_a_name(text: str) -> bool:
    return any(name.startswith(text) for name in _APPLICANT_NAMES)


_STACK_GAP = 2.5 * COLUMN  # values of one column stand within this of each other


def _value_stacks(lines: Sequence[Line], width: int) -> list[float] | None:
    """Given a page's lines of values, return the centres of the columns they stand in
    when they stand in as many as the table has (words whose centres lie within
    ``_STACK_GAP`` of the last make one), else None."""
    stacks: list[list[float]] = []
    for x in sorted(w.cx for line in lines for w in _values(line)):
        if stacks and x - stacks[-1][-1] <= _STACK_GAP:
            stacks[-1].append(x)
        else:
            stacks.append([x])
    if len(stacks) != width:
        return None
    return [sum(s) / len(s) for s in stacks]


def _page_centres(columns: dict[int, list[Word]], width: int) -> list[float] | None:
    """Given a page's named header columns, return their centres when it names them all."""
    if len(columns) != width:
        return None
    centres = [_centre(columns[i]) for i in range(width)]
    return centres if centres == sorted(centres) else None


def _near_centres(line: Line, full: Sequence[Line]) -> list[float] | None:
    """Given a line of too few values and the page's full lines, return the value centres
    of the full line nearest it (None when the page has none)."""
    if not full:
        return None
    near = min(full, key=lambda f: abs(f.top - line.top))
    return [w.cx for w in _values(near)]


def mark_guesses(reads: dict[TableName, TableRead]) -> dict[TableName, TableRead]:
    """Given a reading of layout text, return it with each table whose rows were placed
    by position marked a guess: a row with a number in it and fewer values than its
    columns. Its values stand where pdftotext packed them, which need not be under their
    header; a row of marks for nothing (无, -) alone reads blank wherever they stand.

    Table 二 read by word positions is left as its reading judged it
    (:func:`extract.template.columns.placement_is_guess`: a number standing under its
    own header's text alone is certain). pdftotext starts a word at the character column
    of the character above it in every word it stands under, or one past the end of
    every word wholly left of it, whichever is further: a number under a header's text
    starts inside that header's columns, and only words above both could push it on,
    which push the next header as far (table 二's columns are a header word wide or
    wider, not a few characters as in tables 三 and 四, whose columns
    :func:`snap_tables` moves and so are judged here)."""
    out: dict[TableName, TableRead] = {}
    for table, read in reads.items():
        if table == "active" and read.method == "words":
            out[table] = read
            continue
        rows: dict[str, list[str]] = {}
        for cell in read.cells:
            rows.setdefault(cell.row, []).append(squash(cell.raw))
        partly = any(any(map(has_digit, raws)) and not all(raws) for raws in rows.values())
        out[table] = replace(read, guessed=True) if partly and not read.guessed else read
    return out
