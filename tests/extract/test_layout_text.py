"""Layout text (``pdftotext -layout``): columns by character position (extract/layout.py).

The fixtures (tests/fixtures/layout_text_*.txt, made by
tests/fixtures/layout_text_fixtures.py) are read by test_fixture_classes.py; here are
the pieces, the guess rule and a few generated documents (skipped without pdftotext and
poppler-data).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.dispatch import extract_document
from extract.layout import (
    COLUMN,
    is_layout_text,
    line_to_cells,
    mark_guesses,
    text_to_words,
)
from extract.records import Cell, TableRead
from tests.docgen.layout_text import FORMAT, draw_layout_case, missing_tools
from transform.frames import SourceMeta, report_to_rows

FIXTURES = Path(__file__).parent.parent / "fixtures"
LAYOUT = sorted(FIXTURES.glob("layout_text_*.txt"))


@pytest.mark.parametrize("path", LAYOUT, ids=[p.name for p in LAYOUT])
def test_layout_fixtures_are_layout_text(path):
    assert is_layout_text(path.read_text(encoding="utf-8"))


def test_markdown_tab_and_prose_text_are_not_layout_text():
    rows = "规章  8  0  25\n行政规范性文件  0  0  32\n行政许可  5\n"
    assert is_layout_text(rows)
    assert not is_layout_text(rows.replace("  ", "\t"))
    assert not is_layout_text("| 规章 | 8 | 0 | 25 |\n" + rows)
    assert not is_layout_text("2024 年，本机关收到申请 12 件。\n全年办结 12 件。\n" * 3)


def test_words_stand_at_their_character_columns():
    # pdftotext counts every character as one column, a CJK character too.
    (page,) = text_to_words("规章   8   0\n")
    assert [(w.text, w.x0 / COLUMN, w.x1 / COLUMN) for w in page] == [
        ("规章", 0, 2),
        ("8", 5, 6),
        ("0", 9, 10),
    ]


def test_a_number_and_its_unit_one_space_apart_are_one_word():
    (page,) = text_to_words("行政事业性收费     600 元\n")
    assert [w.text for w in page] == ["行政事业性收费", "600 元"]


def test_form_feeds_part_pages():
    assert [len(p) for p in text_to_words("a  1\fb  2\fc")] == [2, 2, 1]


def test_without_form_feeds_a_page_number_ends_a_page():
    pages = text_to_words("甲  1  2  3\n\n      — 1 —\n乙  4  5  6\n")
    assert [[w.text for w in p] for p in pages] == [
        ["甲", "1", "2", "3", "—", "1", "—"],
        ["乙", "4", "5", "6"],
    ]


def test_without_form_feeds_a_repeated_header_starts_a_page():
    text = "      申请人情况\n一、本年新收  1  2  3\n      申请人情况\n二、上年结转  4  5  6\n"
    assert len(text_to_words(text)) == 2


def test_cells_join_words_one_space_apart_unless_a_row_label_or_value_starts():
    (page,) = text_to_words("（六）其他  1. 申请人无正当   0 0\n(三)不予 1、属于国家秘\n")
    first = [w for w in page if w.top == 0]
    second = [w for w in page if w.top > 0]
    assert [[w.text for w in c] for c in line_to_cells(first)] == [
        ["（六）其他"],
        ["1.", "申请人无正当"],
        ["0"],
        ["0"],
    ]
    assert [[w.text for w in c] for c in line_to_cells(second)] == [["(三)不予"], ["1、属于国家秘"]]


def _read(rows: dict[str, list[str]]) -> TableRead:
    cells = [
        Cell("appeals", r, str(i), raw) for r, raws in rows.items() for i, raw in enumerate(raws)
    ]
    return TableRead("appeals", "words", tuple(cells), (), True)


def test_a_row_with_a_number_and_blanks_is_a_guess():
    # pdftotext packs a line's values where its label and the lines above allow: where a
    # row leaves blanks, which column each number stands in is not known for certain.
    assert mark_guesses({"appeals": _read({"review": ["3", "", "", "3"]})})["appeals"].guessed


def test_full_rows_and_rows_of_nothing_marks_are_no_guess():
    reads = {"appeals": _read({"review": ["3", "0", "0", "3"], "direct": ["无", "", "-", ""]})}
    assert not mark_guesses(reads)["appeals"].guessed


def test_blank_cells_placed_by_position_are_not_vouched_for():
    path = FIXTURES / "layout_text_blank_cells_placed_by_position.txt"
    report = extract_document(path.read_bytes(), path.name)
    frames = report_to_rows(report, SourceMeta(str(path), "0" * 64))
    assert frames.report.status == "partial"
    kept = [a for a in report.attempts if a.chosen and a.verdict == "unconfirmed"]
    assert kept and all("position" in a.note for a in kept)


@pytest.mark.skipif(missing_tools() is not None, reason=f"layout text: {missing_tools()}")
@pytest.mark.parametrize("index", range(6))
def test_generated_layout_text_is_never_silently_wrong(index):
    from tests.docgen.adversarial import case_rng

    case = draw_layout_case(case_rng(11, FORMAT, index))
    score = case.score(f"{FORMAT}-11-{index}")
    assert not score.silent, score.reason()
    assert score.status != "failure", score.reason()


def test_marks_for_nothing_packed_without_space_are_one_a_column():
    (page,) = text_to_words("无- - 无无\n")
    assert [(w.text, w.x0 / COLUMN) for w in page] == [
        ("无", 0),
        ("-", 1),
        ("-", 3),
        ("无", 5),
        ("无", 6),
    ]
    (page,) = text_to_words("——  无\n")
    assert [w.text for w in page] == ["——", "无"]


def test_a_bare_number_between_lines_of_a_table_is_no_page_number():
    # 「1」 over 「5」 around table 四's row: a number printed digit over digit.
    text = "结果维持  总计\n            1\n0  0  0\n            5\n\n  3\n\n下一页\n"
    assert len(text_to_words(text)) == 2  # only the 3 between blank lines ends a page


def test_a_letter_spaced_header_word_is_one_word():
    (page,) = text_to_words("行 政 复 议  总 计 结 结 其 尚\n")
    assert [(w.text, w.x0 / COLUMN, w.x1 / COLUMN) for w in page] == [
        ("行政复议", 0, 7),
        ("总计", 9, 12),
        ("结", 13, 14),  # one character a column: narrow cells, no word of the header
        ("结", 15, 16),
        ("其", 17, 18),
        ("尚", 19, 20),
    ]


def test_a_bare_row_number_and_a_mark_after_it_are_one_label():
    (page,) = text_to_words("    4. 无    0    0\n")
    assert [[w.text for w in c] for c in line_to_cells(page)] == [["4.", "无"], ["0"], ["0"]]


def test_without_form_feeds_a_page_starts_with_the_whole_repeated_header():
    text = (
        "一、本年新收  1  2  3  4  5  6  21\n"
        "                申请人\n"
        "                 情况\n"
        "（本列数据的勾稽关系为：…之和）  自                 总\n"
        "                 然人  商业企业  科研机构  社会公益组织  计\n"
        "二、上年结转  1  2  3  4  5  6  21\n"
    )
    first, second = text_to_words(text)
    assert [w.text for w in first] == ["一、本年新收", "1", "2", "3", "4", "5", "6", "21"]
    assert second[0].text == "申请人"


def test_without_form_feeds_table_two_sub_tables_are_one_page():
    text = "信息内容  本年新制作数量\n规章  1  2  3\n  第二十条第（五）项\n信息内容  本年处理决定数量\n"
    assert len(text_to_words(text)) == 1
