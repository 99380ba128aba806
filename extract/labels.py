"""Text normalisation and label matching shared by every table reader."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from spec.numbers import is_value_text

_QUOTES = "“”\"'‘’「」『』〈〉《》"
_NUMBERING = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十]+[)）、.．]|[(（]?\d{1,2}[)）]|\d{1,2}\s*[.、．](?!\d)"
    r"|[一二三四五六七八九十]+(?=[(（][一二三四五六七八九十]+[)）]))\s*"  # 三（一）: fused numbers
)


# A page number as printed in a footer: 1, -1-, — 1 —, 第1页, 1/12, 第1页/共12页. At most two
# dashes a side: a table row of nothing marks with one number (- — - 1 -) is no page number.
_PAGE_NUMBER = re.compile(
    r"^\s*[-—－–]{0,2}\s*(?:第\s*)?\d{1,4}\s*页?\s*(?:/\s*共?\s*\d{1,4}\s*页?)?\s*[-—－–]{0,2}\s*$"
)


def is_page_number(text: str) -> bool:
    """Given a line's text, tell whether it is a page number (a footer), not content."""
    return bool(_PAGE_NUMBER.match(text or ""))


@lru_cache(maxsize=65536)
def squash(text: str) -> str:
    """Given any cell text, return it NFKC-normalised with spaces, <br> and quotes removed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"<br\s*/?>", "", text, flags=re.I)
    text = re.sub(r"\s+", "", text)
    return "".join(ch for ch in text if ch not in _QUOTES)


def clean(text: str) -> str:
    """Given raw cell text, return it stripped, with <br> and runs of white space as one space."""
    text = re.sub(r"<br\s*/?>", " ", text or "", flags=re.I)
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    return re.sub(r"\s+", " ", text).strip()


def strip_numbering(text: str) -> str:
    """Given a squashed label, return it without leading numbering like 一、 (三) 1. 2、."""
    previous = None
    while previous != text:
        previous, text = text, _NUMBERING.sub("", text, count=1)
    return text


def numbering(text: str) -> int | None:
    """Given a squashed label like '6.属于…', return its arabic sub-number (6), else None."""
    m = re.match(r"^(?:(\d{1,2})\s*[.、．)）]|[(（](\d{1,2})[)）])", text)
    return int(m.group(1) or m.group(2)) if m else None


def is_value(text: str) -> bool:
    """Given cell text, tell whether it reads as a value (a number, blank or a nothing-marker)."""
    return is_value_text(text)


def has_digit(text: str) -> bool:
    """Given cell text, tell whether it holds a digit: a number, not a mark for nothing."""
    return any(ch.isdigit() for ch in text)


def is_label(text: str) -> bool:
    """Given cell text, tell whether it is a non-empty label rather than a value."""
    return bool(squash(text)) and not is_value(text)


@lru_cache(maxsize=16384)
def similarity(a: str, b: str) -> float:
    """Given two squashed strings, return their difflib ratio (0..1). Kept for the pairs
    seen last: the same cell labels are matched against the same template labels in
    report after report."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_score(key: str, labels: list[str]) -> float:
    """Given a squashed key and the labels of one code, return 1 (exact), 0.95 (prefix) or similarity."""
    if key in labels:
        return 1.0
    if any(len(label) >= 2 and key.startswith(label) for label in labels):
        return 0.95
    return max((similarity(key, label) for label in labels), default=0.0)


def best_match(key: str, candidates: dict[str, list[str]], threshold: float = 0.8) -> str | None:
    """Given a squashed key and code -> labels, return the code whose label matches best.

    Exact match first, then a label the key starts with (a long label with a
    parenthetical), then the closest label by similarity above ``threshold``.
    """
    if not key:
        return None
    for code, labels in candidates.items():
        if key in labels:
            return code
    prefixed = [
        (len(label), code)
        for code, labels in candidates.items()
        for label in labels
        if len(label) >= 2 and key.startswith(label)
    ]
    if prefixed:
        return max(prefixed)[1]
    scored = sorted(
        ((similarity(key, label), code) for code, labels in candidates.items() for label in labels),
        reverse=True,
    )
    if scored and scored[0][0] >= threshold:
        return scored[0][1]
    return None
