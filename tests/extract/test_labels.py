"""extract/labels.py: text normalisation, numbering, values against labels, page numbers,
label matching."""

import pytest

from extract.labels import (
    best_match,
    clean,
    is_label,
    is_page_number,
    is_value,
    match_score,
    numbering,
    similarity,
    squash,
    strip_numbering,
)


@pytest.mark.parametrize(
    ("text", "squashed"),
    [
        ("本年 新收\n申请", "本年新收申请"),
        ("予以<br>公开", "予以公开"),
        ("予以<BR/>公开", "予以公开"),
        ("危及“三安全一稳定”", "危及三安全一稳定"),
        ("《条例》「第二十条」", "条例第二十条"),
        ("１２３", "123"),  # full-width digits
        ("（一）予以公开", "(一)予以公开"),  # full-width brackets
        ("", ""),
        ("\u3000 \u00a0", ""),
    ],
)
def test_squash(text, squashed):
    assert squash(text) == squashed


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("  本年新收  ", "本年新收"),
        ("予以<br>公开", "予以 公开"),
        ("a\u3000b\u00a0c", "a b c"),
        ("a \n\t b", "a b"),
        ("", ""),
    ],
)
def test_clean(text, cleaned):
    assert clean(text) == cleaned


@pytest.mark.parametrize(
    ("label", "stripped"),
    [
        ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
        ("十二、其他", "其他"),
        ("(三)不予公开", "不予公开"),
        ("（三）不予公开", "不予公开"),  # full-width brackets too
        ("(十)其他", "其他"),
        ("1.属于国家秘密", "属于国家秘密"),
        ("2、其他法律行政法规禁止公开", "其他法律行政法规禁止公开"),
        ("12.其他", "其他"),
        ("(1)予以公开", "予以公开"),
        ("三(一)予以公开", "予以公开"),  # the group's and the row's numbers fused
        ("(三)1.属于国家秘密", "属于国家秘密"),  # one numbering after another
        ("属于国家秘密", "属于国家秘密"),
        ("1.5万元", "1.5万元"),  # a decimal number is no numbering
        ("", ""),
    ],
)
def test_strip_numbering(label, stripped):
    assert strip_numbering(label) == stripped


@pytest.mark.parametrize(
    ("label", "number"),
    [
        ("6.属于四类过程性信息", 6),
        ("6、属于四类过程性信息", 6),
        ("6．属于四类过程性信息", 6),
        ("12.其他", 12),
        ("(3)其他", 3),
        ("3)其他", 3),
        ("(三)不予公开", None),  # a Chinese numeral is a group, not a sub-row
        ("一、本年新收", None),
        ("属于国家秘密", None),
        ("", None),
    ],
)
def test_numbering(label, number):
    assert numbering(label) == number


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "12",
        "1,234",
        "1，234",  # a full-width comma as thousands separator
        "１２",  # full-width digits
        "１，２３４",
        " 12 ",
        "3.5",
        "-2",
        "12元",
        "3.5万元",
        "7件",
        "2项",
        # marks for nothing
        "",
        "   ",
        "-",
        "--",
        "—",
        "——",
        "－",
        "/",
        "／",
        "无",
        "空",
        "------",
        "—————",
        "None",
    ],
)
def test_values(text):
    assert is_value(text)
    assert not is_label(text)


@pytest.mark.parametrize(
    "text",
    ["总计", "予以公开", "1.属于国家秘密", "1.2.3", "12个月以上", "abc", "无正当理由", "第1页"],
)
def test_labels(text):
    assert is_label(text)
    assert not is_value(text)


@pytest.mark.parametrize(
    "text",
    [
        "1",
        " 3 ",
        "- 1 -",
        "-1-",
        "-- 1 --",
        "— 2 —",
        "－3－",
        "第1页",
        "第 3 页",
        "1/12",
        "1 / 12",
        "第1页/共12页",
        "第 3 页 / 共 12 页",
    ],
)
def test_page_numbers(text):
    assert is_page_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "- — - 1 -",  # a table row of nothing marks with one number in it
        "--- 1 ---",  # more than two dashes a side
        "12345",  # more digits than any page number
        "1.5",
        "第一页",
        "共12页",
        "总计 1",
        "",
        "-",
    ],
)
def test_not_page_numbers(text):
    assert not is_page_number(text)


def test_similarity():
    assert similarity("予以公开", "予以公开") == 1.0
    assert similarity("行政许", "行政许可") == pytest.approx(6 / 7)
    assert similarity("规章", "行政许可") == 0.0


def test_similarity_of_a_pair_seen_before_is_not_computed_again():
    similarity.cache_clear()
    assert similarity("本年新收申请数量", "本年新收政府信息公开申请数量") == pytest.approx(16 / 22)
    assert similarity("本年新收申请数量", "本年新收政府信息公开申请数量") == pytest.approx(16 / 22)
    assert (similarity.cache_info().hits, similarity.cache_info().misses) == (1, 1)


ITEMS = {
    "licensing": ["行政许可"],
    "punishment": ["行政处罚"],
    "regulations": ["规章"],
    "normative_documents": ["行政规范性文件", "规范性文件"],
}


@pytest.mark.parametrize(
    ("key", "score"),
    [
        ("行政许可", 1.0),  # exact
        ("行政许可(件)", 0.95),  # the label, then a parenthetical
        ("行政许", pytest.approx(6 / 7)),  # cut short: similarity
        ("许可", pytest.approx(2 / 3)),
        ("规章", 0.0),
    ],
)
def test_match_score(key, score):
    assert match_score(key, ITEMS["licensing"]) == score


def test_match_score_takes_the_best_of_several_labels_and_none_of_none():
    assert match_score("规范性文件", ITEMS["normative_documents"]) == 1.0
    assert match_score("行政规范性文件(件)", ITEMS["normative_documents"]) == 0.95
    assert match_score("规章", []) == 0.0
    # a one-character label is too short to be a prefix
    assert match_score("局长办公会", ["局"]) == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("key", "threshold", "code"),
    [
        ("行政许可", 0.8, "licensing"),
        ("规范性文件", 0.8, "normative_documents"),  # any of a code's labels
        ("行政规范性文件(件)", 0.8, "normative_documents"),  # a label and its parenthetical
        ("规章制度", 0.8, "regulations"),
        ("行政许", 0.8, "licensing"),  # 6/7 by similarity
        ("行政许", 0.9, None),  # not enough for a stricter threshold
        ("行政强制", 0.8, None),
        ("", 0.0, None),
    ],
)
def test_best_match(key, threshold, code):
    assert best_match(key, ITEMS, threshold) == code


def test_best_match_exact_first_then_the_longest_prefix():
    candidates = {"short": ["行政"], "long": ["行政许可"], "exact": ["行政许可决定"]}
    assert best_match("行政许可决定", candidates) == "exact"
    assert best_match("行政许可事项", candidates) == "long"
    assert best_match("行政事项", candidates) == "short"
