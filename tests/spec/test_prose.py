"""spec/prose.py: the statistics period's year and table 三's totals the prose states."""

import pytest

from spec.numerals import chinese_number_to_int
from spec.prose import period_year, stated_totals

# ---------------------------------------------------------------- the statistics period


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("报告中所列数据统计期限为 2025 年 1 月 1 日至 12 月 31 日。", 2025),
        ("本报告中所列数据的统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。", 2024),
        ("本报告中所列数据的统计期限自2024年1月1日起\n-1-\n至2024年12月31日止。", 2024),
        ("统计期限为二○二三年一月一日至十二月三十一日", None),  # dates in words: not read
        ("统计期限为二〇二三年1月1日至12月31日", 2023),
        ("统计期限为2023年1月1日至2024年12月31日", None),  # over two years
        ("全面推进政务公开工作。", None),
        ("统计期限为2023年1月1日至12月31日。统计期限为2024年1月1日至12月31日。", None),
    ],
)
def test_period_year(text, year):
    assert period_year(text) == year


# ---------------------------------------------------------------- stated totals


def values(texts, year=2024):
    return {row: s.value for row, s in stated_totals(texts, year).items()}


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        (
            "2024年，我局共收到政府信息公开申请14件，上年结转1件，办结15件，结转下年度继续办理0件。",
            {"new_received": 14, "carried_over": 1, "total_processed": 15, "carried_forward": 0},
        ),
        (
            "通过信函、网络、当面等渠道受理政府信息公开申请，2024年度新收申请6,384件，"
            "加上上年结转631件，共办结6377件，638件结转至下一年度办理",
            {
                "new_received": 6384,
                "carried_over": 631,
                "total_processed": 6377,
                "carried_forward": 638,
            },
        ),
        ("全年共收到政府信息公开申请一千零四十八件。", {"new_received": 1048}),
        ("本年度共受理政府信息公开申请二十三件，其中自然人申请20件", {"new_received": 23}),
        ("我局2024年度未收到公民、法人和其他组织提出的政府信息公开申请", {"new_received": 0}),
        # a page number on a line of its own, a page mark inside a number
        (
            "共收到政府信息公开申请\n3\n2件，共办结2件，0—2—件结转至下一年度",
            {"new_received": 2, "total_processed": 2, "carried_forward": 0},
        ),  # fmt: skip
    ],
)
def test_stated_totals(text, stated):
    assert values([text]) == stated


@pytest.mark.parametrize(
    "text",
    [
        "主动公开政府信息325条",
        "全年受理政务咨询56件",
        "其中通过网络收到政府信息公开申请12件",  # a part: a channel
        "按时办结12件",
        "其中自然人申请323件，法人或其他组织申请31件",
        "较上年增加政府信息公开申请12件",
        "共收到政府信息公开申请约300件",
        "共承办人大代表建议12件",
        "共发出收费通知0件",
        "收到行政复议申请2件",
        "共受理政府信息公开申请12件（含上年结转申请)",  # a count over two years
        "共受理政府信息公开申请12件，其中新收申请10件",
        "2023年共收到政府信息公开申请12件",  # another year than the report's
    ],
)
def test_what_is_no_statement_of_a_total(text):
    assert values([text]) == {}


def test_no_figure_is_no_statement():
    # 「无上年结转申请」 is boilerplate beside 「0件」 whatever table 三 holds: not a figure
    assert values(["本年度我局共收到政府信息公开申请0件，无上年结转申请"]) == {"new_received": 0}


def test_a_figure_stated_twice_alike_is_stated_and_twice_otherwise_is_not():
    same = ["共收到政府信息公开申请5件。", "本年新收政府信息公开申请5件。"]
    other = ["共收到政府信息公开申请5件。", "共收到政府信息公开申请6件。"]
    assert values(same) == {"new_received": 5}
    assert values(other) == {}


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("零", 0),
        ("十", 10),
        ("十二", 12),
        ("一百零五", 105),
        ("两千三百", 2300),
        ("一〇四八", 1048),
    ],
)
def test_chinese_number_to_int(text, n):
    assert chinese_number_to_int(text) == n


def test_a_count_over_both_years_states_only_its_carried_over():
    text = "共受理政府信息公开申请12件（含上年结转2件）"
    assert values([text]) == {"carried_over": 2}
