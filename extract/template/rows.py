"""Match table 三 row labels to the template's rows, in the template's order.

The national template fixes the rows of table 三 and their order; a label found in
a document (wrapped over lines, prefixed with its group 「（三）不予公开」, numbered
「3.」 or not, with a typo) is matched to the next template row it reads like.
Group labels (三、本年度办理结果, （三）不予公开 ...) name no row of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extract.labels import numbering, similarity, squash, strip_numbering
from extract.template.tokens import Word
from extract.template.tolerances import NEXT_LINE, SAME_COLUMN
from spec import wording

_GROUPS = wording.by_code("row_group")  # group -> its label: names no row of its own
GROUP_WORDS = tuple(w for g, words in _GROUPS.items() if g != "other" for w in words)
_OTHER_GROUP = _GROUPS["other"][0]  # （六）其他处理: a group label, or the single row `other`
_GROUP_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九]、|[(（][一二三四五六七八九][)）])?(?:" + "|".join(GROUP_WORDS) + ")"
)
THRESHOLD = 0.72  # similarity a garbled label needs to name a row
MAX_SKIP = 3  # rows a label may skip ahead of the last one matched, unless it matches exactly


def _leaf_keys() -> dict[str, list[str]]:
    """Row code -> the words of the row's own label (without group and number), aliases."""
    return {
        code: list(dict.fromkeys(strip_numbering(squash(w)) for w in labels))
        for code, labels in wording.request_row_labels().items()
    }


LEAF_KEYS = _leaf_keys()
OTHER_ROWS = ("other_no_correction", "other_unpaid_fee", "other_misc")
_GROUP_OF = {
    code: group
    for group, prefix in (
        ("denied", "denied_"),
        ("unavailable", "unavailable_"),
        ("rejected", "rejected_"),
        ("other", "other_"),
    )
    for code in LEAF_KEYS
    if code.startswith(prefix)
}


GROUP_MEMBERS = {  # a group of table 三 -> its rows, in order
    group: [code for code in LEAF_KEYS if _GROUP_OF.get(code) == group]
    for group in ("denied", "unavailable", "rejected", "other")
}
GROUP_KEYS = {group: [squash(w) for w in words] for group, words in _GROUPS.items()}


def strip_groups(text: str) -> str:
    """Given a squashed label, return it without leading group labels and numbering."""
    previous = None
    while previous != text:
        previous = text
        text = strip_numbering(_GROUP_PREFIX.sub("", text))
        if text.startswith(_OTHER_GROUP) and len(text) > len(_OTHER_GROUP):
            text = text[len(_OTHER_GROUP) :]  # （六）其他处理 heading its three sub-rows
    return text


def is_group_label(text: str) -> bool:
    """Given a label, tell whether it is only a group label (it names no row)."""
    key = squash(text)
    return bool(key) and not strip_groups(key) and _GROUP_PREFIX.match(key) is not None


@lru_cache(maxsize=65536)
def key_of(text: str) -> str:
    """Given a label, return its words without group labels and numbering."""
    return strip_groups(squash(text))


@lru_cache(maxsize=65536)
def label_score(text: str, code: str) -> float:
    """Given a label as found and a row code, return how well the label names that row."""
    key = key_of(text)
    if not key or (key == _OTHER_GROUP and code in OTHER_ROWS):
        return 0.0  # （六）其他处理 names the single row `other`, or heads the three
    if code == "other_misc" and numbering(strip_groups_keep_number(squash(text))) != 3:
        return 0.0  # a bare 其他 is the group label wrapped (（六）其他 / 处理), not 「3.其他」
    best = 0.0
    for leaf in LEAF_KEYS[code]:
        if key == leaf:
            return 1.0
        if key.startswith(leaf) or (leaf.startswith(key) and len(key) >= min(4, len(leaf))):
            best = max(best, 0.95)
        elif len(leaf) >= 3 and key.endswith(leaf):
            best = max(best, 0.9)  # the row's own label after other text (三（一）予以公开)
        else:
            best = max(best, similarity(key, leaf))
    return best


@dataclass
class RowSequence:
    """Match labels to table 三's rows in template order, remembering the last match."""

    order: tuple[str, ...] = field(
        default_factory=lambda: tuple(c for c in LEAF_KEYS if c != "other")
    )
    last: int = -1

    def candidates(self) -> list[str]:
        """The rows that may come next: every later row, and `other` where （六） starts."""
        later = list(self.order[self.last + 1 :])
        if self.last < 0:
            later = later[:2]  # the table starts at its first rows: 总计 above them is a header
        if "other_no_correction" in later:
            later.insert(later.index("other_no_correction"), "other")
        return later

    def match(self, text: str) -> str | None:
        """Given a label, return the next template row it names (None if none), and take it."""
        found = self.best(text)
        if found is None:
            return None
        self.accept(found[1])
        return found[1]

    def best(self, text: str, near: bool = False) -> tuple[float, str] | None:
        """Given a label, return (score, row code) of the next template row it names best
        (``near``: only rows within MAX_SKIP of the last, even on an exact label)."""
        key = squash(text)
        if not key or (is_group_label(key) and strip_groups(key) == ""):
            return None
        scored = []
        n = numbering(strip_groups_keep_number(key))
        candidates = self.candidates()
        for code in candidates:
            distance = _distance(candidates, code)
            score = label_score(key, code)
            if distance > MAX_SKIP:
                if (
                    score == 1.0 and not near
                ):  # far ahead only on an exact label: a header word (总计) is no row
                    scored.append((1.0, -distance, code))
                continue
            group = _GROUP_OF.get(code)
            if group and n is not None and score < THRESHOLD:
                members = [c for c in LEAF_KEYS if _GROUP_OF.get(c) == group]
                if 1 <= n <= len(members) and members[n - 1] == code and distance < 3:
                    score = THRESHOLD  # a numbered sub-row whose words are garbled
            if score < THRESHOLD and distance < 3 and NUMBERED_ROWS.get(lead_number(key)) == code:
                score = THRESHOLD  # 「（一）予以」 of a label wrapped short: the template's number
            if score >= THRESHOLD:
                scored.append((score, -distance, code))
        if not scored:
            return None
        score, _, code = max(scored)
        return score, code

    def accept(self, code: str) -> None:
        # `other` may yet prove to be the heading of the three （六） sub-rows: they stay open.
        if code != "other":
            self.last = self.order.index(code)


def _distance(candidates: list[str], code: str) -> int:
    """Given the rows that may come next and one of them, return how many rows it skips:
    the single （六） row and its three sub-rows are alternatives, counted once."""
    before = candidates[: candidates.index(code)]
    if code in OTHER_ROWS or code == "other":
        return len(before)
    return len([c for c in before if c not in OTHER_ROWS])


def lead_number(key: str) -> str:
    """Given a squashed label, return its leading template number (一、, (一)), else ''."""
    m = re.match(r"^(?:[一二三四五六七]、|\([一二三四五六七]\))", key)
    return m.group(0) if m else ""


# The rows the template numbers itself (一、 (一) ...): a label cut short still names its row.
NUMBERED_ROWS = {
    lead_number(squash(wording.request_row_labels()[code][0])): code
    for code in wording.ungrouped_rows()
}


def strip_groups_keep_number(key: str) -> str:
    """Given a squashed label, return it without group labels but with its sub-row number."""
    previous = None
    while previous != key:
        previous = key
        key = _GROUP_PREFIX.sub("", key)
        key = re.sub(r"^(?:[一二三四五六七八九]、|[(（][一二三四五六七八九][)）])", "", key)
        if key.startswith(_OTHER_GROUP) and len(key) > len(_OTHER_GROUP):
            key = key[len(_OTHER_GROUP) :]
    return key


def starts_numbered(text: str) -> bool:
    """Tell whether a label piece starts with a row number (1. 一、 （三）): a new row."""
    return bool(
        re.match(
            r"^(?:\d{1,2}\s*[.、．]|[一二三四五六七八九]\s*、|[(（](?:[一二三四五六七八九十]+|\d{1,2})[)）])",
            squash(text),
        )
    )


def label_incomplete(code: str, text: str) -> bool:
    """Given a row and the label text read for it so far, tell whether its label goes on
    (shorter than the template's): the next line in its column continues it."""
    key = strip_groups(squash(text))
    return len(key) < max(len(k) for k in LEAF_KEYS.get(code, [""])) - 1


def label_goes_on(code: str, text: str, more: str) -> bool:
    """Given a row, its label text so far and the next line's label piece (no values beside
    it), tell whether the piece is the rest of the label: no row number starts it and the
    label with it is no longer than the template's."""
    if not squash(more) or starts_numbered(more) or is_group_label(more):
        return False
    key = strip_groups(squash(text))
    return len(key) + len(squash(more)) <= max(len(k) for k in LEAF_KEYS.get(code, [""]))


def below_in_column(first: Word, x0: float, bottom: float, size: float) -> bool:
    """Given the first word of a label piece, where a label starts (x0) and where it ends
    (bottom), tell whether the piece is the label's next line: the same sub-column, the
    line below. One rule for every reading's wrapped labels."""
    return abs(first.x0 - x0) < SAME_COLUMN * size and 0 <= first.top - bottom < NEXT_LINE * size
