"""Header and label wording to template codes: which column a header names, which item a
label of table 二 is, which words make a line a table's header or its furniture.

The words are the template's (:mod:`spec.wording`: the contract's labels and the aliases
documents write); here they are squashed the way every reader compares text.
"""

from __future__ import annotations

from collections.abc import Sequence

from extract.labels import best_match, squash, strip_numbering
from spec import codes, wording
from spec.kinds import TABLE_NAMES, TEMPLATES, TableName, Template


def _squashed(words: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(squash(w) for w in words))


SECTION_WORDS = wording.section_words()  # 1-6 -> words one of which its heading holds
ITEMS = {item: _squashed(labels) for item, labels in wording.items().items()}
TEMPLATE_METRICS = {
    t: {metric: _squashed(labels) for metric, labels in wording.metrics(t).items()}
    for t in TEMPLATES
}
HEADER_WORDS = {t: wording.words("header", t) for t in TABLE_NAMES}
SUBTABLE_MARKS = tuple(w for c, w in wording.keyed("header") if c == "subtable")  # 第二十条
ITEMS_HEADER = next(w for c, w in wording.keyed("header") if c == "items")  # 信息内容
APPLICANT_LABELS = {  # applicant -> its header as the template prints it, then aliases
    r["applicant"]: (r["label"], *wording.by_code("applicant_alias").get(r["applicant"], ()))
    for r in codes.read_spec_csv("applicants.csv")
}
OUTCOME_HEADERS = tuple(  # table 四's outcome headers but its total (结果维持 … 尚未审结)
    r["label"]
    for r in codes.read_spec_csv("appeals.csv")
    if r["kind"] == "outcome" and r["code"] != "total"
)
FURNITURE = wording.words("furniture")  # a header over several columns, a note: no column
PROCEEDING_WORDS = wording.words("proceeding_word")  # only a proceeding's header holds one
PROCEEDINGS = tuple(  # the proceedings' headers (行政诉讼 over two), each over five columns
    dict.fromkeys(
        part
        for r in codes.read_spec_csv("appeals.csv")
        if r["kind"] == "proceeding"
        for part in r["label"].split()
    )
)
TEMPLATE_HEADER_WORDS = frozenset(wording.header_words())  # whole header words of 二 三 四
METRIC_MARKS = wording.words("metric_mark")  # only table 二's metric headers hold one
_APPLICANT_KEYS = wording.keyed("applicant_key")
_OUTCOME_KEYS = wording.keyed("outcome_key")
_PROCEEDING_KEYS = wording.keyed("proceeding_key")
_PARENT = wording.by_code("applicant_alias")["legal_person_or_org"][0]  # 法人或其他组织
_PARENT_TAIL = _PARENT[_PARENT.index("其他") :]  # its wrapped last line: 其他组织


def applicant_of_header(text: str) -> str | None:
    """Given a column's squashed header text, return its applicant code, else None."""
    for code, key in _APPLICANT_KEYS:
        if code == "other_org":
            if key in text.replace(_PARENT, "").replace(
                _PARENT_TAIL, ""
            ):  # 其他, not 法人或其他组织
                return code
        elif key in text:
            return code
    return None


def outcome_of_header(text: str) -> str | None:
    """Given a column's squashed header text, return table 四's outcome it names."""
    return next((code for code, key in _OUTCOME_KEYS if key in text), None)


def proceeding_of_header(text: str) -> str | None:
    """Given a column's squashed header text, return table 四's proceeding it names."""
    return next((code for code, key in _PROCEEDING_KEYS if key in text), None)


def proceedings_named(text: str) -> set[str]:
    """Given table 四's squashed header text, return the proceedings it names, each key
    taken once in its order (复议后 before 复议: 「未经复议」「复议后起诉」 name no 行政复议)."""
    named = set()
    for code, key in _PROCEEDING_KEYS:
        if key in text:
            named.add(code)
            text = text.replace(key, "", 1)
    return named


def unit_of_header(text: str) -> str | None:
    """Given a header, return the money unit it states (万元 or 元), else None."""
    t = squash(text)
    if "万元" in t:
        return "万元"
    if "元" in t:
        return "元"
    return None


def item_of_label(text: str) -> str | None:
    """Given a label of table 二, return the item it names (规章 …), else None."""
    return best_match(strip_numbering(squash(text)), ITEMS, threshold=0.75)


def detect_template(metric_headers: Sequence[str]) -> Template | None:
    """Given the metric header texts of table 二, return '2019' or '2021' by which fit better."""
    votes = dict.fromkeys(TEMPLATES, 0)
    for text in metric_headers:
        key = squash(text)
        exact = [t for t, metrics in TEMPLATE_METRICS.items() if best_match(key, metrics, 0.99)]
        if len(exact) == 1:
            votes[exact[0]] += 2
            continue
        for template, metrics in TEMPLATE_METRICS.items():
            if best_match(key, metrics, threshold=0.8):
                votes[template] += 1
    if votes["2019"] == votes["2021"]:
        return None
    return max(votes, key=lambda t: votes[t])


def holds_header_word(text: str, tables: Sequence[TableName] = TABLE_NAMES) -> bool:
    """Given text, tell whether it holds a word only the header of one of ``tables`` holds."""
    joined = squash(text)
    return any(w in joined for t in tables for w in HEADER_WORDS[t])


def is_request_header(texts: Sequence[str]) -> bool:
    """Given a row's texts, tell whether it holds a word of table 三's header."""
    return holds_header_word("".join(texts), ("requests",))


def is_header_line(labels: Sequence[str]) -> bool:
    """Given a line's labels, tell whether it is (part of) table 二's or 三's header: their
    words, or three column names or more however wrapped (商业 科研 社会 法律 总计 …)."""
    if holds_header_word("".join(labels), ("active", "requests")):
        return True
    return sum(applicant_of_header(squash(t)) is not None for t in labels) >= 3


def is_furniture(text: str) -> bool:
    """Given a header word, tell whether it names no column: a header over several
    columns (申请人情况, 法人或其他组织) or a note beside the header (本列数据的勾稽关系)."""
    return any(s in text for s in FURNITURE)


def piece_of(text: str, headers: Sequence[str], least: int) -> bool:
    """Given a header word's text, headers that span several columns and a least length,
    tell whether the word is a piece of one of them that long or longer (a header wrapped
    over lines: 「法人或其」/「他组织」, 「未经复」/「议直接起诉」)."""
    key = squash(text)
    return len(key) >= least and any(key in h for h in headers)


def is_header_piece(text: str) -> bool:
    """Given a squashed word, tell whether it is a header word or a piece of one (自 of
    自然人 stacked a character a line, 情况 of 申请人情况) or holds a note beside a header."""
    return any(text in h for h in (*FURNITURE, *TEMPLATE_HEADER_WORDS)) or is_furniture(text)
