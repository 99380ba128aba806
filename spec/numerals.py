"""Chinese numerals as reports write them: years (二〇二四), counts (十一), section numbers."""

from __future__ import annotations

# Zero is written 〇, ○ or ◯ (a circle), 零, or a letter O (Latin, Greek, Cyrillic, either
# case; full-width forms are NFKC-folded to these) or a digit 0 typed in its place; OCR
# reads a printed circle with a gap as a letter C (「二C一九」).
CN_DIGITS = {
    "〇": 0, "○": 0, "◯": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "Ο": 0, "О": 0, "о": 0, "0": 0,
    "C": 0, "c": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_COUNTING = "〇一二三四五六七八九"
ZEROS = "".join(ch for ch, d in CN_DIGITS.items() if d == 0)
_ZEROS = ZEROS
# Every character a Chinese-numeral year is written with (its zeros and 一..九).
YEAR_DIGITS = "".join(CN_DIGITS)
# A report year as a regular expression: 2019, or 二〇一九 with any of the zeros above, or
# 二二四 that lost its 〇 (OCR drops the small circle; no other year has three numerals).
YEAR_PATTERN = (
    rf"(?:(?:19|20)\d{{2}}|二[{_ZEROS}][{_ZEROS}一二三四五六七八九]{{2}}"
    rf"|(?<![{_ZEROS}一二三四五六七八九十])二[一二][{_ZEROS}一二三四五六七八九]"
    rf"(?![{_ZEROS}一二三四五六七八九]))"
)


def chinese_year_to_int(text: str) -> int:
    """Given a year in Chinese digits (二〇二四, or 二二四 that lost its 〇), return it as
    an int (2024)."""
    if len(text) == 3:
        text = text[0] + "〇" + text[1:]
    return int("".join(str(CN_DIGITS[ch]) for ch in text))


def chinese_count(n: int) -> str:
    """Given 1..99, return it in Chinese counting numerals (十一, 二十三)."""
    if n < 10:
        return _COUNTING[n]
    tens, ones = divmod(n, 10)
    return (_COUNTING[tens] if tens > 1 else "") + "十" + (_COUNTING[ones] if ones else "")


_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number_to_int(text: str) -> int | None:
    """Given a count in Chinese numerals (十二, 一百零五, 两千三百, 1万: up to 99999999), or
    digits written one by one (一〇四八), return it as an int; None when it is no number."""
    if not text:
        return None
    if all(ch in CN_DIGITS or ch == "两" for ch in text) and len(text) > 1:
        return int("".join(str(CN_DIGITS.get(ch, 2)) for ch in text))
    total = section = digit = 0
    seen = False
    for ch in text:
        if ch == "两" or ch in CN_DIGITS:
            digit, seen = (2 if ch == "两" else CN_DIGITS[ch]), True
        elif ch in _UNITS:
            section += (digit or 1) * _UNITS[ch]
            digit, seen = 0, True
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            return None
    return total + section + digit if seen or total else None
