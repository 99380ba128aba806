"""extract/template/rows.py: table 三's row labels matched to the template's rows, in order."""

import pytest

from extract.labels import squash
from extract.template.rows import (
    RowSequence,
    is_group_label,
    label_goes_on,
    label_incomplete,
    label_score,
    starts_numbered,
    strip_groups,
)
from tests.docgen.rows import request_labels


def matched(*labels: str, after: str | None = None) -> list[str | None]:
    """Given labels in document order (and the row matched before them, if any), return the
    row each names, matched by one RowSequence."""
    sequence = RowSequence()
    if after is not None:
        sequence.accept(after)
    return [sequence.match(label) for label in labels]


@pytest.mark.parametrize("three_other_rows", [True, False])
def test_every_template_label_names_its_row_in_order(three_other_rows):
    rows = request_labels(three_other_rows)
    assert matched(*(group + label for _, group, label in rows)) == [code for code, _, _ in rows]
    # the group printed only on its first row (a merged cell), the rest bare
    labels = [label for _, _, label in rows]
    assert matched(*labels) == [code for code, _, _ in rows]


def test_a_header_word_before_the_table_is_no_row():
    assert matched(
        "总计", "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"
    ) == [
        None,
        "new_received",
        "carried_over",
    ]
    # the table starts at its first rows: nothing further down is taken before them
    assert matched("（一）予以公开") == [None]


def test_group_labels_name_no_row():
    assert matched(
        "三、本年度办理结果",
        "（一）予以公开",
        "（三）不予公开",
        "1.属于国家秘密",
        after="carried_over",
    ) == [None, "granted", None, "denied_state_secret"]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("本年新收政府信息公开申请", "new_received"),  # without 数量
        ("一、本年新收", "new_received"),  # wrapped: the rest on the next line
        ("本年新收政府信息公开申请数量（件）", "new_received"),
        ("本 年 新 收 政府信息公开申请数量", "new_received"),  # spaced out
    ],
)
def test_wrapped_and_decorated_labels(label, code):
    assert matched(label) == [code]


def test_a_label_cut_short_names_its_row_by_the_template_number():
    assert matched("（一）予以", "（二）部分", after="carried_over") == [
        "granted",
        "partially_granted",
    ]


def test_group_prefixes_on_the_row_label():
    assert matched(
        "三、本年度办理结果（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开1.属于国家秘密",
        after="carried_over",
    ) == ["granted", "partially_granted", "denied_state_secret"]


def test_numbered_sub_rows_with_garbled_words_go_by_their_number():
    assert matched(
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保扩第三人合法权亦",  # OCR-garbled 保护第三方合法权益
        "5.属于三类内部事务信息",
        after="partially_granted",
    ) == [
        "denied_state_secret",
        "denied_prohibited_by_law",
        "denied_security_stability",
        "denied_third_party_rights",
        "denied_internal_affairs",
    ]


def test_other_heading_its_three_sub_rows():
    assert matched(
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
        "（七）总计",
        "四、结转下年度继续办理",
        after="rejected_confirmation",
    ) == [
        "other",
        "other_no_correction",
        "other_unpaid_fee",
        "other_misc",
        "total_processed",
        "carried_forward",
    ]


def test_other_as_the_single_row():
    assert matched(
        "（六）其他处理", "（七）总计", "四、结转下年度继续办理", after="rejected_confirmation"
    ) == ["other", "total_processed", "carried_forward"]


def test_a_bare_other_is_the_group_label_wrapped_not_3_other():
    assert matched("其他", "3.其他", after="other_unpaid_fee") == [None, "other_misc"]


def test_skipping_ahead_only_on_an_exact_label():
    # 属于行政查询事项 is eleven rows ahead of 本年新收: cut short it names nothing there
    assert matched("属于行政查询事", after="new_received") == [None]
    assert matched("属于行政查询事项", after="new_received") == ["denied_query_matter"]
    # an exact label far ahead does not count when only near rows may be named
    sequence = RowSequence()
    sequence.accept("new_received")
    assert sequence.best("属于行政查询事项", near=True) is None
    assert sequence.best("属于行政查询事项") == (1.0, "denied_query_matter")


def test_a_row_once_matched_is_not_matched_again():
    assert matched("（一）予以公开", "予以公开", after="carried_over") == ["granted", None]


@pytest.mark.parametrize(
    ("label", "code", "score"),
    [
        ("予以公开", "granted", 1.0),
        ("（一）予以公开", "granted", 1.0),
        ("三（一）予以公开", "granted", 1.0),
        ("本年度办理结果（一）予以公开", "granted", 1.0),
        ("度办理结果（一）予以公开", "granted", 0.9),  # a fragment of the group before it
        ("部分公开（区分处理的", "partially_granted", 0.95),  # cut short
        ("本年新收", "new_received", 0.95),
        ("属于国家秘", "denied_state_secret", 0.95),
        ("（三）不予公开1.属于国家秘密", "denied_state_secret", 1.0),
        ("合计", "total_processed", 1.0),
        ("3.其他", "other_misc", 1.0),
        ("（六）其他处理 3.其他", "other_misc", 1.0),
        ("其他", "other_misc", 0.0),  # only with its number
        ("（六）其他处理", "other", 1.0),
        ("（六）其他处理", "other_no_correction", 0.0),  # the heading of the three, no row
        ("（三）不予公开", "denied_state_secret", 0.0),  # a group label alone
        ("", "granted", 0.0),
        ("xyz", "granted", 0.0),
    ],
)
def test_label_score(label, code, score):
    assert label_score(label, code) == score


@pytest.mark.parametrize(
    ("label", "stripped"),
    [
        ("（三）不予公开1.属于国家秘密", "属于国家秘密"),
        ("三、本年度办理结果（一）予以公开", "予以公开"),
        ("（四）无法提供", ""),
        ("不予处理", ""),
        ("（六）其他处理3.其他", "其他"),
        ("（六）其他处理", "其他处理"),  # names the single row `other`
        ("1.属于国家秘密", "属于国家秘密"),
        ("予以公开", "予以公开"),
    ],
)
def test_strip_groups(label, stripped):
    assert strip_groups(squash(label)) == stripped


@pytest.mark.parametrize(
    ("label", "group"),
    [
        ("三、本年度办理结果", True),
        ("（三）不予公开", True),
        ("（四）无法提供", True),
        ("不予处理", True),
        ("（六）其他处理", False),  # it names the row `other`
        ("（三）不予公开 1.属于国家秘密", False),
        ("予以公开", False),
        ("", False),
    ],
)
def test_is_group_label(label, group):
    assert is_group_label(label) is group


@pytest.mark.parametrize(
    ("piece", "numbered"),
    [
        ("1.属于", True),
        ("12、要求", True),
        ("一、本年", True),
        ("（三）不予", True),
        ("(10)其他", True),
        ("属于国家秘密", False),
        ("2019年", False),
        ("", False),
    ],
)
def test_starts_numbered(piece, numbered):
    assert starts_numbered(piece) is numbered


@pytest.mark.parametrize(
    ("code", "text", "incomplete"),
    [
        ("granted", "予以", True),
        ("granted", "予以公开", False),
        ("new_received", "本年新收政府信息", True),
        ("new_received", "一、本年新收政府信息公开申请数", False),  # one short is whole
        ("denied_state_secret", "（三）不予公开1.属于国家", True),
        ("denied_state_secret", "（三）不予公开1.属于国家秘密", False),
    ],
)
def test_label_incomplete(code, text, incomplete):
    assert label_incomplete(code, text) is incomplete


@pytest.mark.parametrize(
    ("code", "text", "more", "goes_on"),
    [
        ("new_received", "一、本年新收政府信息", "公开申请数", True),
        ("new_received", "一、本年新收政府信息公开申请数", "量", True),
        # the label is whole: the next line is another row's
        ("new_received", "一、本年新收政府信息公开申请数量", "二、上年结", False),
        ("granted", "（一）予以", "公开", True),
        ("granted", "（一）予以公开", "公开", False),  # longer than the template's
        ("partially_granted", "（二）部分公开（区分", "（三）不予公开", False),  # a group's
        ("denied_state_secret", "1.属于", "2.其他法律", False),  # a row number starts it
    ],
)
def test_label_goes_on(code, text, more, goes_on):
    assert label_goes_on(code, text, more) is goes_on
