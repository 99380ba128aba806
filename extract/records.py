"""Typed records that leave the extract stage.

A format reader (text, PDF, HTML, DOCX) turns its input into a flat sequence of
:class:`Row` objects: a prose line is a row of one fragment, a table row is a
row of several. :mod:`extract.document` turns rows into a :class:`Report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Fragment:
    """One piece of text as found: a table cell, or a whole prose line."""

    text: str
    page: int | None = None
    bbox: BBox | None = None


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


@dataclass(frozen=True)
class Cell:
    """One value cell of a national-template table, keyed by canonical codes.

    ``table`` is ``requests`` (row=row_code, col=applicant), ``appeals``
    (row=proceeding, col=outcome) or ``active`` (row=item, col=metric).
    ``raw`` is the cell text exactly as found; parsing happens in transform.
    """

    table: str
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


@dataclass
class Report:
    """Everything read from one document, before any value is parsed."""

    title: str | None
    agency_name: str | None
    year: int | None
    template: str | None  # '2019' | '2021' | None when table 二 is missing
    cells: list[Cell] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables_found: set[str] = field(default_factory=set)  # subset of {'active','requests','appeals'}
    problems: list[str] = field(default_factory=list)  # why a table or cell could not be read
    media_type: str | None = None
    pages: int | None = None
