"""Parse the raw text of a table cell into a number."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# What a cell holds for "nothing" (counted as a blank): every stage reads them from here.
NOTHING_MARKS = frozenset(
    {"", "-", "--", "—", "——", "–", "―", "－", "/", "／", "\\", "无", "空", "null", "none"}
)
_NUMBER = re.compile(r"^([+\-−]?)(\d+(?:,\d{3})*|\d+)(\.\d+)?(万元|万|元|件|项|个|条|次|份)?$")


class UnparseableNumber(ValueError):
    """A cell whose text is neither a number nor a recognised mark for nothing."""


@dataclass(frozen=True)
class Parsed:
    value: float | None
    unit: str | None  # a unit written in the cell itself


_RULE = re.compile(r"^[-—–―－‐‑/／\\]+$")  # a run of dashes or slashes, however long


def is_nothing(text: str) -> bool:
    """Given a normalised cell text, tell whether it is a mark for nothing (blank, -, 无 ...)."""
    return text.lower() in NOTHING_MARKS or bool(_RULE.match(text))


_BREAK = re.compile(r"<br\s*/?>", re.I)
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def _normalise(raw: str) -> str:
    """Given a cell's raw text, return it NFKC-normalised, without line breaks (<br>) or
    whitespace, its commas and minus signs ASCII. Kept for the texts seen last: a
    document's cells are tested and parsed again and again, and one report's labels and
    numbers are mostly the next one's."""
    text = _BREAK.sub("", unicodedata.normalize("NFKC", raw or ""))
    return _SPACE.sub("", text).replace("，", ",").replace("−", "-")


def is_value_text(raw: str) -> bool:
    """Given a cell's raw text, tell whether it reads as a value: a number or a nothing mark."""
    text = _normalise(raw)
    return is_nothing(text) or bool(_NUMBER.match(text))


def parse_number(raw: str) -> Parsed:
    """Given a cell's raw text, return its value (None for blank, -, —, /, 无) and written unit.

    Handles full-width digits, thousands separators (, and ，) and a trailing unit.
    Raises UnparseableNumber for anything else.
    """
    text = _normalise(raw)
    if is_nothing(text):
        return Parsed(None, None)
    m = _NUMBER.match(text)
    if not m:
        raise UnparseableNumber(f"not a number: {raw!r}")
    sign, whole, frac, unit = m.groups()
    value = float(whole.replace(",", "") + (frac or ""))
    if sign in ("-", "−"):
        value = -value
    return Parsed(value, {"万": "万元"}.get(unit, unit))


def parse_count(raw: str) -> int | None:
    """Given a cell's raw text, return it as a whole count (None for blank); reject fractions."""
    parsed = parse_number(raw)
    if parsed.value is None:
        return None
    if parsed.value != int(parsed.value):
        raise UnparseableNumber(f"not a whole number: {raw!r}")
    return int(parsed.value)


def to_wan_yuan(parsed: Parsed, header_unit: str | None) -> float | None:
    """Given a parsed money cell and its header's unit, return the amount in 万元.

    The unit written in the cell wins over the header's; with neither, 万元 (the template's).
    """
    if parsed.value is None:
        return None
    unit = parsed.unit if parsed.unit in ("元", "万元") else header_unit or "万元"
    return parsed.value / 10000 if unit == "元" else parsed.value
