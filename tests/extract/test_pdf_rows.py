"""A PDF page's lines as table rows for the text reading (extract/pdf.py words_to_rows)."""

from __future__ import annotations

from extract.pdf import words_to_rows
from extract.template.tokens import Word


def _word(text: str, x0: float, top: float) -> Word:
    return Word(text, x0, x0 + 10.5 * len(text), top, top + 10.5, 10.5, 1, "text")


def test_a_lone_value_between_a_wrapped_labels_lines_is_no_page_number():
    # A row's one value, centred in its cell, stands on a line of its own between its
    # label's two lines (a source error: a total and no applicant's number). Any number
    # alone on a line was taken for a page number and lost; read blank there, the table
    # could pass its identities. Atop or at the foot of the page it is a page number.
    page = [
        _word("1", 290, 40),
        _word("1．本机关不掌握相关政", 90, 300),
        _word("2", 480, 306),
        _word("府信息", 110, 312),
        _word("2．没有现成信息需要", 90, 330),
        _word("3", 290, 800),
    ]
    rows = words_to_rows([page])
    assert [(r.cells[0].text, r.is_table) for r in rows] == [
        ("1", False),
        ("1．本机关不掌握相关政", True),
        ("2", True),
        ("府信息", True),
        ("2．没有现成信息需要", True),
        ("3", False),
    ]
