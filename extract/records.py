"""Typed records that leave the extract stage.

A format reader (text, PDF, HTML, DOCX) turns its input into a flat sequence of
:class:`Row` objects: a prose line is a row of one fragment, a table row is a
row of several. :mod:`extract.document` turns rows into a :class:`Report`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from spec.kinds import ReadingVerdict, TableName, Template

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Fragment:
    """One piece of text as found: a table cell, or a whole prose line.

    ``spanned`` marks a grid position covered by a merged cell: it holds no text of its
    own (the merged cell's text sits in its top-left position).
    """

    text: str
    page: int | None = None
    bbox: BBox | None = None
    spanned: bool = False


@dataclass(frozen=True)
class Row:
    """A line of the document: prose (``is_table`` false, one fragment) or a table row."""

    cells: tuple[Fragment, ...]
    is_table: bool = False

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def page(self) -> int | None:
        return next((c.page for c in self.cells if c.page is not None), None)

    @property
    def written(self) -> list[Fragment]:
        """The cells as written in the source: positions covered by a merged cell left out."""
        return [c for c in self.cells if not c.spanned]


@dataclass(frozen=True)
class Cell:
    """One value cell of a national-template table, keyed by canonical codes.

    ``table`` is ``requests`` (row=row_code, col=applicant), ``appeals``
    (row=proceeding, col=outcome) or ``active`` (row=item, col=metric).
    ``raw`` is the cell text exactly as found; parsing happens in transform.
    """

    table: TableName
    row: str
    col: str
    raw: str
    page: int | None = None
    bbox: BBox | None = None
    unit_hint: str | None = None  # a unit declared by the column header, e.g. 元 or 万元


@dataclass(frozen=True)
class Section:
    """A numbered section (1-6) of the report with its heading and prose body."""

    number: int
    heading: str
    body: str


TABLE_NUMERALS: dict[str, str] = {"active": "二", "requests": "三", "appeals": "四"}


ProblemCode = Literal[
    "not_found",  # the table is not in the document
    "not_read",  # template cells no reading found
    "row_not_found",
    "cell_not_found",
    "header",  # a header not recognised, or values before it
    "unknown_label",  # a row label that is no template row
    "no_label",  # values with no row label
    "duplicate_row",  # a row twice, with other values
    "value_count",  # a row with more or fewer values than the table has columns
    "unplaced",  # values between columns or outside the table's rows
    "lost_digits",  # fewer digits in the cells than the table prints (exact text)
    "not_in_template",
    "unparseable",  # a cell that is no number
    "unconfirmed",  # values no second, independent reading vouches for
    "text_disagrees",  # the prose states a total of the table other than the table's
    "year_disagrees",  # (table ``report``) the title's year is not the statistics period's
]


@dataclass(frozen=True)
class Problem:
    """Why a table, or a cell of it, was not read or not believed: the table, a stable code
    and what was seen (``str()`` gives the line stored in ``reports.problems``)."""

    table: TableName | Literal["report"]  # "report": the report as a whole
    code: ProblemCode
    detail: str = ""

    def __str__(self) -> str:
        if self.table not in TABLE_NUMERALS:  # the report as a whole: its year
            return self.detail
        numeral = TABLE_NUMERALS[self.table]
        if self.code == "not_found":
            return f"table {numeral} not found"
        return f"table {numeral}: {self.detail}"


@dataclass(frozen=True)
class TableRead:
    """One reading of one table: the cells a method found, and what it could not read."""

    table: TableName
    method: str  # how it was read: grid, lines, words, text, ...
    cells: tuple[Cell, ...] = ()
    problems: tuple[Problem, ...] = ()
    found: bool = False
    template: Template | None = None  # table 二 only: the template its headers tell
    unplaced: int = 0  # values seen but not placed in a cell: the reading is not complete
    guessed: bool = False  # some values placed by position alone, no column of values to go by
    witnessed: bool = False  # OCR: every number read alike by two recognitions of its ink
    # (of a reading that fails identities: every number in the identities it fails)


TableReader = Callable[[Sequence[Row], str], TableRead]  # (a table's rows, method) -> reading


def read_each_table(
    tables: Mapping[str, Sequence[Row]],
    method: str,
    active: TableReader,
    requests: TableReader,
    appeals: TableReader,
) -> dict[TableName, TableRead]:
    """Given each table's rows, a reading's method and its reader of tables 二, 三 and 四,
    return each table's reading."""
    return {
        "active": active(tables["active"], method),
        "requests": requests(tables["requests"], method),
        "appeals": appeals(tables["appeals"], method),
    }


@dataclass(frozen=True)
class Attempt:
    """What the self-check made of one reading of one table."""

    table: TableName
    method: str
    verdict: ReadingVerdict  # unconfirmed: a guess
    cells: int  # cells read
    expected: int  # cells the template calls for
    failed_checks: int
    chosen: bool = False
    note: str = ""


@dataclass(frozen=True)
class Heading:
    """The report's title, agency and year, and where each was found."""

    title: str | None = None
    agency: str | None = None
    year: int | None = None
    source: str = ""  # e.g. "page 1 lines 1-2", "<title>", "signature", "metadata"
    period_year: int | None = None  # the year of the statistics period the text before 一 states


@dataclass
class Report:
    """Everything read from one document, before any value is parsed."""

    title: str | None
    agency_name: str | None
    year: int | None
    template: Template | None  # None when table 二 is missing
    cells: list[Cell] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables_found: set[TableName] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)  # why a table or cell was not read
    media_type: str | None = None
    pages: int | None = None
    attempts: list[Attempt] = field(default_factory=list)  # every reading tried, per table
    confirmed: set[TableName] = field(default_factory=set)  # tables whose failing identities two
    # independent readings agree on: the source's own arithmetic, not a misreading
    heading_source: str = ""
    text_layer: str | None = None  # PDF: whose chars the tables were read from, and why
    page_scales: dict[int, float] = field(default_factory=dict)  # pictured tables: pixels per
    # point of each picture (its page number), to draw the boxes on it
    page_turns: dict[int, float] = field(default_factory=dict)  # OCR: degrees each page
    # was turned (counter-clockwise, about its centre) to stand upright before it was read
    period_year: int | None = None  # the statistics period's year stated before section 一
