"""Layout text (``pdftotext -layout``): columns by character position (extract/layout.py).

The fixtures (tests/fixtures/layout_text_*.txt, made by
tests/fixtures/layout_text_fixtures.py) are read by test_fixture_classes.py; here are
the pieces, the guess rule and a few generated documents (skipped without pdftotext and
poppler-data).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from extract.dispatch import extract_document
from extract.layout import (
    COLUMN,
    is_layout_text,
    line_to_cells,
    mark_guesses,
    text_to_words,
    words_to_rows,
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


_TABLE_TWO = """二、主动公开政府信息情况
                  第二十条第（一）项
         信息内容     本年制发件数       本年废止件数       现行有效件数
    规章
    行政规范性文件{issued}{last}
                  第二十条第（五）项
         信息内容                 本年处理决定数量
    行政许可                           12
"""


def _table_two(last: str, issued_at: int = 21) -> TableRead:
    """Table 二 above with 本年制发件数's 4 at character column issued_at (its header
    takes columns 18-23) and 现行有效件数's value ``last`` at column 49 (header 44-49)."""
    from extract.layout import layout_readings

    issued = " " * (issued_at - 11) + "4" + " " * (48 - issued_at)
    text = _TABLE_TWO.format(issued=issued, last=last)
    (_, words_reading), _ = layout_readings(text_to_words(text))
    return words_reading()["active"]


def test_table_two_numbers_under_their_own_headers_text_are_placed_for_certain():
    # A row with blanks whose numbers each start inside one header's characters: pdftotext
    # put them there, so they are that header's (dev-corpus-2 0051 was partial for it).
    read = _table_two("235")
    got = {(c.row, c.col): c.raw for c in read.cells if c.row == "normative_documents"}
    assert got == {
        ("normative_documents", "issued"): "4",
        ("normative_documents", "repealed"): "",
        ("normative_documents", "in_force"): "235",
    }
    assert not read.guessed


def test_table_two_number_between_two_headers_is_still_a_guess():
    # The 4 moved into the spaces between 本年制发件数 and 本年废止件数: no header's own.
    read = _table_two("235", issued_at=26)
    assert read.guessed


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


def test_a_lone_value_between_a_wrapped_labels_lines_is_no_page_number():
    # A row's one value on a line of its own between its label's lines (a source error:
    # a total with no applicant's number) was taken for a page number and lost, and the
    # table read blank there passed its identities.
    text = (
        "        （四）无法提供\n"
        "              1．本机关不掌握相关政\n"
        "                                                         2\n"
        "                  府信息\n"
        "              2．没有现成信息需要\n"
        "\n"
        "\n"
        "                       3\n"
        "              3．补正后申请内容仍   0   0   0   0   0   0   0\n"
        "\n"
        "                             —4—\n"
    )
    rows = words_to_rows(text_to_words(text))
    lone = [r for r in rows if [f.text for f in r.cells] == ["2"]]
    assert len(lone) == 1 and lone[0].is_table
    # Page numbers stay furniture: after the foot margin's blank lines, the next page's
    # first line right below it (-nopgbrk), and at the foot.
    assert [r.cells[0].text for r in rows if not r.is_table] == ["3", "—4—"]


def test_a_reading_holding_fewer_digits_than_its_table_prints_is_incomplete():
    # The text is exact: a reading that placed all it took yet holds fewer digits than the
    # values of its table print lost a number it never counted, and read blank there its
    # identities may pass (a lone value taken for a page number did just that).
    from extract.layout import account_for_digits

    read = TableRead("appeals", "text", tuple(_read({"review": ["", "", "", ""]}).cells), (), True)
    kept = account_for_digits({"appeals": read}, {"appeals": 1})["appeals"]
    assert kept.unplaced and [p.code for p in kept.problems] == ["lost_digits"]
    whole = replace(read, cells=_read({"review": ["2", "", "", "2"]}).cells)
    assert account_for_digits({"appeals": whole}, {"appeals": 2})["appeals"] == whole


def test_digits_printed_in_tables_three_and_four_leave_out_page_numbers_and_labels():
    from extract.layout import printed_digits

    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "      1．本机关不掌握相关政        12\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "   无   3   0   1０\n"
        "\n"
        "                 —5—\n"
    )
    assert printed_digits(text_to_words(text)) == {"requests": 2, "appeals": 4}


_SHIFTED_HEADER = """三、收到和处理政府信息公开申请情况
                                                 申请人情况
（本列数据的勾稽关系为：第一项加第二项之和           法人或其他组织
    ，等于第三项加第四项之和）     自然人 商业企 科研机 社会公 法律服                         总计
                                                             其他
                                       业    构     益组织 务机构
一、本年新收政府信息公开申请数量              106       5   11     4         32   158
二、上年结转政府信息公开申请数量                6       8    1     7    7     2    31
"""


def test_stacked_header_pieces_packed_apart_are_paired_in_order():
    # pdftotext packed 「商业企 科研机 社会公 法律服」 one space apart and their lower
    # pieces 「业 构 益组织 务机构」 further right, no piece over the one it completes:
    # clustered by overlap they named no column, and table 三 was not found.
    from extract.layout import snap_tables
    from extract.positions import lines_to_sections, request_header, words_to_lines

    pages = snap_tables(text_to_words(_SHIFTED_HEADER))
    section = lines_to_sections([line for p in pages for line in words_to_lines(p)])[3]
    found = request_header(section[:5], [], None)
    assert found is not None and len(found[0]) == 7
    names = {w.text: w.cx for line in section[:5] for w in line.words}
    for upper, lower in (("商业企", "业"), ("科研机", "构"), ("社会公", "益组织")):
        assert names[upper] == names[lower]


_TABLE_FOUR = """  四、政府信息公开行政复议、行政诉讼情况

    行政复议                         行政诉讼
                     未经复议直接起诉             复议后起诉
结果 结果 其他 尚未
              总计 结果 结果 其他 尚未          结果 结果 其他 尚未
维持 纠正 结果 审结                      总计                 总计
                   维持 纠正 结果 审结        维持 纠正 结果 审结
{row}

  五、存在的主要问题及改进情况
"""


def _table_four(row: str) -> TableRead:
    from extract.layout import layout_readings

    (_, words_reading), _ = layout_readings(text_to_words(_TABLE_FOUR.format(row=row)))
    return words_reading()["appeals"]


@pytest.mark.parametrize(
    "row",
    ["", "  无    无   无        无   -    无         无    无   无       无"],
    ids=["no-value-row", "marks-for-nothing-only"],
)
def test_table_four_with_no_number_is_blank_though_its_stacked_header_is_shifted(row):
    # pdftotext put 「结果」 one word left of the 「维持」 under it, so the outcome columns
    # cannot be assembled; with no number to place, every cell reads blank anyway.
    read = _table_four(row)
    assert read.found and not read.problems
    assert [c.raw for c in read.cells] == [""] * 15


def test_table_four_with_numbers_and_no_outcome_columns_is_not_read_blank():
    read = _table_four("  1           0    1         1")
    assert read.cells == ()
    assert [p.code for p in read.problems] == ["header"]


def test_table_four_read_by_ocr_with_no_number_is_blank_only_under_its_outcome_columns():
    # OCR may miss a digit: with no number seen and no outcome columns, nothing is read.
    from extract.positions import appeals_by_position, lines_to_sections, words_to_lines

    (page,) = text_to_words(_TABLE_FOUR.format(row=""))
    ocr = [replace(w, source="ocr") for w in page]
    for words, found in ((page, True), (ocr, False)):
        section = lines_to_sections(words_to_lines(words))[4]
        read = appeals_by_position(section)
        assert bool(read.cells) is found


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
