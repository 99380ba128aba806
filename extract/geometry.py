"""Words on a page and the columns their positions make: shared by the position readings.

A column is where header words stand: the words above a table's first values, grouped
by the horizontal span they share (a header wrapped over lines, 社会公/益组织, is one
column), named by the template's own headers. A value belongs to the nearest column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extract.labels import squash
from extract.records import BBox, Fragment
from extract.tables import applicant_of_header, outcome_of_header
from spec import codes

# Header words that span several columns, or notes beside the header: no column of their own.
SPANNING = ("申请人情况", "法人或其他组织", "勾稽", "本列数据", "之和", "信息内容", "第二十条")
_PROCEEDING_WORDS = ("复议", "诉讼", "起诉")


@dataclass(frozen=True)
class Word:
    """A word on a page: its text and box (PDF points from the top-left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def words_from_dicts(words: Iterable[dict], page: int) -> list[Word]:
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


def text_of(words: Sequence[Word]) -> str:
    return "".join(w.text for w in words)


def fragments_to_words(fragments: Iterable[Fragment]) -> list[Word]:
    """Given fragments with a page and a box, return them as Words (others are left out)."""
    return [
        Word(f.text, f.bbox[0], f.bbox[2], f.bbox[1], f.bbox[3], f.bbox[3] - f.bbox[1], f.page or 0)
        for f in fragments
        if f.bbox is not None and squash(f.text)
    ]


def without_spanning(words: Iterable[Word]) -> list[Word]:
    """Given header words, return those that can name a column of their own."""
    return [w for w in words if not any(s in w.text for s in SPANNING)]


def cluster_columns(words: Sequence[Word], overlap: float = 1.0) -> list[list[Word]]:
    """Given header words, return them grouped by the horizontal span they share: a word
    joins a column it overlaps by more than ``overlap`` points (words of neighbouring
    columns may touch, the lines of one wrapped header overlap)."""
    clusters: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.x0):
        if clusters and w.x0 < max(v.x1 for v in clusters[-1]) - overlap:
            clusters[-1].append(w)
        else:
            clusters.append([w])
    return clusters


def column_text(words: Sequence[Word]) -> str:
    """Given a column's header words, return their text top to bottom."""
    return squash("".join(w.text for w in sorted(words, key=lambda w: (round(w.cy), w.x0))))


def nearest(x: float, centres: Sequence[float]) -> int:
    return min(range(len(centres)), key=lambda i: abs(centres[i] - x))


def centre_of(words: Sequence[Word]) -> float:
    return (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2


def applicant_columns(words: Sequence[Word]) -> tuple[list[float], list[Word]] | None:
    """Given table 三's header words, return the seven applicant column centres in template
    order and the words that name them, or None when the header does not name them all."""
    found: dict[str, list[Word]] = {}
    for cluster in cluster_columns(without_spanning(words)):
        code = applicant_of_header(column_text(cluster))
        if code and code not in found:
            found[code] = cluster
    if set(found) != set(codes.applicants()):
        return None
    centres = [centre_of(found[a]) for a in codes.applicants()]
    if centres != sorted(centres):
        return None
    return centres, [w for c in found.values() for w in c]


def applicant_centres(words: Sequence[Word]) -> list[float] | None:
    """Given table 三's header words, return the seven applicant column centres, or None."""
    found = applicant_columns(words)
    return found[0] if found else None


def outcome_columns(words: Sequence[Word]) -> list[float] | None:
    """Given table 四's header words, return its 15 outcome column centres, or None."""
    # The proceedings' headers span five columns each: every other word heads one column.
    narrow = [w for w in words if not any(k in w.text for k in _PROCEEDING_WORDS)]
    columns = [c for c in cluster_columns(narrow) if outcome_of_header(column_text(c))]
    outcomes = [outcome_of_header(column_text(c)) for c in columns]
    if outcomes != list(codes.outcomes()) * len(codes.proceedings()):
        return None
    return [centre_of(c) for c in columns]


def place(
    tokens: Sequence[Word],
    centres: Sequence[float],
    codes_: Sequence[str],
    problems: list[str],
    where: str,
) -> tuple[dict[str, Word], int]:
    """Given a line's value words and column centres, return the word of each column and
    how many words could not be placed (between columns, or two in one column)."""
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    reach = 0.75 * min(gaps) if gaps else float("inf")  # one column takes any value
    columns: dict[str, list[Word]] = {}
    dropped = 0
    for w in tokens:
        i = nearest(w.cx, centres)
        if abs(w.cx - centres[i]) > reach:
            problems.append(f"{where}: value {w.text!r} lies between columns")
            dropped += 1
            continue
        columns.setdefault(codes_[i], []).append(w)
    placed = {}
    for code, ws in columns.items():
        if len(ws) > 1:
            problems.append(f"{where}: two values in column {code}: {text_of(ws)!r}")
            dropped += len(ws)
        else:
            placed[code] = ws[0]
    return placed, dropped
