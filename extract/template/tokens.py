"""Positioned tokens: what every reading hands the template mapper.

A :class:`Word` is a piece of text with its box on its page and where it came from: a
PDF's text layer (or a cell of a DOCX or HTML table given a box), the recogniser's
reading of a page image, or a character position of layout text. Each source makes the
same records, so the mapper (:mod:`extract.template`) reads them all alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from extract.labels import squash
from extract.records import BBox, Fragment

Source = Literal["text", "ocr", "layout"]  # a text layer, a page image read, layout text
Span = tuple[float, float]  # where a header stands across the page: (x0, x1)


@dataclass(frozen=True)
class Word:
    """A word on a page: its text, box (PDF points from the top-left), size and source."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    source: Source = "text"

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def words_from_dicts(words: Iterable[dict[str, Any]], page: int) -> list[Word]:
    """Given pdfplumber word dicts (extra attr ``size``), return Words of that page."""
    return [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w.get("size") or 10.0, page)
        for w in words
    ]


def bbox_of(words: Sequence[Word]) -> BBox:
    return (
        min(w.x0 for w in words),
        min(w.top for w in words),
        max(w.x1 for w in words),
        max(w.bottom for w in words),
    )


def span_of(words: Sequence[Word]) -> Span:
    """Given words, return the horizontal extent they share (x0, x1)."""
    return min(w.x0 for w in words), max(w.x1 for w in words)


def middles(spans: Sequence[Span]) -> list[float]:
    """Given spans, return their centres."""
    return [(x0 + x1) / 2 for x0, x1 in spans]


def text_of(words: Sequence[Word]) -> str:
    return "".join(w.text for w in words)


def fragments_to_words(fragments: Iterable[Fragment]) -> list[Word]:
    """Given fragments with a page and a box, return them as Words (others are left out)."""
    return [
        Word(f.text, f.bbox[0], f.bbox[2], f.bbox[1], f.bbox[3], f.bbox[3] - f.bbox[1], f.page or 0)
        for f in fragments
        if f.bbox is not None and squash(f.text)
    ]
