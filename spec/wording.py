"""The template's wording as documents print it: labels, header words and their aliases.

The codes and their labels are the contract's (``spec/*.csv``); ``spec/wording.csv`` adds
what documents also write (an alias: 合计 for 总计, 规范性文件 for 行政规范性文件), the
words that mark a table's header, the furniture that names no column, the keywords that
name a column from a wrapped header, and the group labels of table 三. Every reading maps
text onto the template through :mod:`extract.template`, which takes its words from here;
no reader keeps a list of its own.

Rows of ``wording.csv``: ``role, table, code, word, note``; where order matters (the
first keyword that matches wins), it is the file's order.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from spec import codes

Role = Literal[
    "section",
    "header",
    "furniture",
    "applicant_key",
    "applicant_alias",
    "proceeding_key",
    "proceeding_word",
    "outcome_key",
    "outcome_alias",
    "row_alias",
    "row_group",
    "item_alias",
    "metric_alias",
    "metric_mark",
]


@cache
def _rows() -> tuple[tuple[str, str, str, str], ...]:
    return tuple(
        (r["role"], r["table"], r["code"], r["word"]) for r in codes.read_spec_csv("wording.csv")
    )


def words(role: Role, table: str | None = None) -> tuple[str, ...]:
    """Given a role (and a table), return its words in the file's order."""
    return tuple(w for r, t, _, w in _rows() if r == role and (table is None or t == table))


def keyed(role: Role) -> tuple[tuple[str, str], ...]:
    """Given a role whose words name a code, return (code, word) in the file's order."""
    return tuple((c, w) for r, _, c, w in _rows() if r == role)


def by_code(role: Role) -> dict[str, tuple[str, ...]]:
    """Given a role whose words name a code, return code -> its words, in the file's order."""
    out: dict[str, tuple[str, ...]] = {}
    for code, word in keyed(role):
        out[code] = (*out.get(code, ()), word)
    return out


@cache
def section_words() -> dict[int, tuple[str, ...]]:
    """Section number (1-6) -> words one of which its heading holds (二、主动公开…)."""
    return {int(k): v for k, v in by_code("section").items()}


@cache
def items() -> dict[str, tuple[str, ...]]:
    """Table 二's items -> their labels (both templates', then aliases), in the 2019
    template's order (2021's items are a subset)."""
    out: dict[str, tuple[str, ...]] = {}
    for template in ("2019", "2021"):
        for cell in codes.active_cells(template):
            out.setdefault(cell.item, ())
    for template in ("2021", "2019"):
        for cell in codes.active_cells(template):
            label = cell.item_label
            if label not in out[cell.item]:
                out[cell.item] = (*out[cell.item], label)
    for item, word in keyed("item_alias"):
        out[item] = (*out[item], word)
    return out


@cache
def metrics(template: str) -> dict[str, tuple[str, ...]]:
    """Given a template (2019 or 2021), return table 二's metrics -> their header labels
    (the spec's, then aliases), in the template's order."""
    out: dict[str, tuple[str, ...]] = {}
    for cell in codes.active_cells(template):
        label = cell.metric_label
        if label not in out.get(cell.metric, ()):
            out[cell.metric] = (*out.get(cell.metric, ()), label)
    for key, word in keyed("metric_alias"):
        t, metric = key.split("/")
        if t == template:
            out[metric] = (*out[metric], word)
    return out


@cache
def request_row_labels() -> dict[str, tuple[str, ...]]:
    """Table 三's row codes -> the row's label as the template prints it without its group
    (「1.属于国家秘密」 of 「（三）不予公开 1.属于国家秘密」), then its aliases. `other` is
    the single （六） row."""
    aliases = by_code("row_alias")
    return {
        row.row_code: (_own_label(row.label), *aliases.get(row.row_code, ()))
        for row in codes.request_rows()
    }


def _own_label(label: str) -> str:
    return label.split(" (")[0].split(" ")[-1]  # no note on `other`, no group


@cache
def ungrouped_rows() -> tuple[str, ...]:
    """Table 三's rows whose label stands alone (一、本年新收… （一）予以公开 （七）总计):
    their number is their own, so a label cut short to it still names the row."""
    return tuple(
        r.row_code for r in codes.request_rows() if _own_label(r.label) == r.label.split(" (")[0]
    )


@cache
def header_words() -> tuple[str, ...]:
    """Every whole word of tables 三 and 四's headers (the spec's labels and aliases) and
    of table 二's: what a letter-spaced header (申 请 人 情 况) writes whole."""
    out: list[str] = [r["label"] for r in codes.read_spec_csv("applicants.csv")]
    out += words("applicant_alias")
    out += [part for r in codes.read_spec_csv("appeals.csv") for part in r["label"].split()]
    out += words("outcome_alias") + words("header", "active")
    return tuple(dict.fromkeys(out))
