"""extract/heading.py: a report's title, agency and year from its first lines."""

import pytest

from extract.heading import (
    find_title,
    lines_to_heading,
    plausible_agency,
    signature_lines,
    title_to_heading,
    year_of,
)
from extract.records import Heading

TITLE = "洛阳市生态环境局2023年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("lines", "title", "agency", "year", "source"),
    [
        ([TITLE], TITLE, "洛阳市生态环境局", 2023, "line 1"),
        # wrapped mid-word, the year spaced out
        (
            ["青山湖区自然资源局 2021 年政府信息公开工", "作年度报告", "一、总体情况"],
            "青山湖区自然资源局2021年政府信息公开工作年度报告",
            "青山湖区自然资源局",
            2021,
            "lines 1-2",
        ),
        # wrapped inside the agency's name
        (
            ["青山湖", "区自然资源局2024年政府信息公开工作年度报告"],
            "青山湖区自然资源局2024年政府信息公开工作年度报告",
            "青山湖区自然资源局",
            2024,
            "lines 1-2",
        ),
        # over three lines
        (
            ["南昌市青山湖区", "自然资源局2023年度政府信息", "公开工作年度报告"],
            "南昌市青山湖区自然资源局2023年度政府信息公开工作年度报告",
            "南昌市青山湖区自然资源局",
            2023,
            "lines 1-3",
        ),
        # the agency alone on the line above (a letterhead), then a title naming none
        (
            ["洛阳市生态环境局", "2023年度政府信息公开", "工作年度报告"],
            "洛阳市生态环境局2023年度政府信息公开工作年度报告",
            "洛阳市生态环境局",
            2023,
            "lines 1-3",
        ),
        # the place on a line of its own above the agency
        (
            ["湖北省", "武汉市江岸区教育局2023年政府信息公开工作年度报告"],
            "湖北省武汉市江岸区教育局2023年政府信息公开工作年度报告",
            "湖北省武汉市江岸区教育局",
            2023,
            "lines 1-2",
        ),
        # the year on a line of its own above
        (
            ["2025年", "洛阳市生态环境局政府信息公开工作年度报告"],
            "2025年洛阳市生态环境局政府信息公开工作年度报告",
            "洛阳市生态环境局",
            2025,
            "lines 1-2",
        ),
        # year-first, wrapped after the start of the name: the line above holds the year
        # and the name's beginning (a parent body or the parent place)
        (
            ["2020 年国家税务总局", "南京市税务局政府信息公开工作年度报告"],
            "2020年国家税务总局南京市税务局政府信息公开工作年度报告",
            "国家税务总局南京市税务局",
            2020,
            "lines 1-2",
        ),
        (
            ["二○二二年乌鲁木齐市", "水磨沟区统计局政府信息公开工作年", "度报告"],
            "二○二二年乌鲁木齐市水磨沟区统计局政府信息公开工作年度报告",
            "乌鲁木齐市水磨沟区统计局",
            2022,
            "lines 1-3",
        ),
        (  # the year wrapped apart, the name after it
            ["第1页", "南昌市青山湖区人民政府", "202", "0", "年度民政部政府信息公开工作年度报告"],
            "2020年度民政部政府信息公开工作年度报告",
            "民政部",
            2020,
            "lines 3-5",
        ),
        (
            ["2", "023 年度民政部政府信息公开工作年度报告", "本报告根据《条例》要求编制。"],
            "2023年度民政部政府信息公开工作年度报告",
            "民政部",
            2023,
            "lines 1-2",
        ),
        (  # a vertically managed body: its national parent's name on the line above
            ["国家税务总局", "南京市税务局 2024 ", "年政府信息公开工作年度报告", "## 一、总体情况"],
            "国家税务总局南京市税务局2024年政府信息公开工作年度报告",
            "国家税务总局南京市税务局",
            2024,
            "lines 1-3",
        ),
        (  # a ministry's name wrapped after its first character, under a logo line
            ["南昌市青山湖区人民政府", "民", "政部二○二○年政府信息公开工作年度报", "告"],
            "民政部二○二○年政府信息公开工作年度报告",
            "民政部",
            2020,
            "lines 2-4",
        ),
    ],
    ids=[
        "one line",
        "mid-word",
        "mid-name",
        "three lines",
        "letterhead",
        "place",
        "year",
        "year and parent body",
        "year and parent place",
        "year wrapped over three lines",
        "year wrapped after its first digit",
        "national parent on the line above",
        "ministry after one character",
    ],
)
def test_titles_wrapped_over_lines(lines, title, agency, year, source):
    assert lines_to_heading(lines) == Heading(title, agency, year, source)


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("洛阳市生态环境局二〇二四年政府信息公开工作年度报告", "洛阳市生态环境局", 2024),
        ("洛阳市生态环境局二○二三年度政府信息公开工作年度报告", "洛阳市生态环境局", 2023),
        ("洛阳市生态环境局二零二一年政府信息公开工作年度报告", "洛阳市生态环境局", 2021),
        ("洛阳市生态环境局二O二四年政府信息公开工作年度报告", "洛阳市生态环境局", 2024),
        ("2023年度郑州市金水区教育局政府信息公开工作年度报告", "郑州市金水区教育局", 2023),
        ("郑州市金水区教育局政府信息公开工作2023年度报告", "郑州市金水区教育局", 2023),
        ("关于印发洛阳市生态环境局2023年政府信息公开工作年度报告", "洛阳市生态环境局", 2023),
        ("洛阳市生态环境局2023年政府信息公开年报", "洛阳市生态环境局", 2023),
        ("保定市科学技术局政府信息公开工作年度报告", "保定市科学技术局", None),
        ("2023年政府信息公开工作年度报告", None, 2023),
    ],
)
def test_title_to_heading(title, agency, year):
    assert title_to_heading(title) == (agency, year)


@pytest.mark.parametrize(
    "first",
    [
        ["-1-"],
        ["— 2 —"],
        ["第1页"],
        ["1/5"],
        ["索引号：11410300/2024-00012", "发布日期：2024-01-20"],
        ["洛阳市人民政府门户网站", "当前位置：首页 > 政府信息公开"],
        ["政务公开"],
        ["洛阳市人民政府"],  # another body's letterhead: no part of the name
    ],
    ids=["-1-", "dashes", "第1页", "1/5", "metadata", "site", "column", "letterhead"],
)
def test_lines_above_the_title_are_no_part_of_it(first):
    lines = [*first, TITLE, "一、总体情况"]
    n = len(first) + 1
    assert find_title(lines) == (TITLE, n - 1, n - 1)
    assert lines_to_heading(lines) == Heading(TITLE, "洛阳市生态环境局", 2023, f"line {n}")


@pytest.mark.parametrize(
    "line",
    [
        "-1-" + TITLE,  # a page mark on the title's own line
        "# **" + TITLE + "**",  # markdown
    ],
)
def test_marks_on_the_title_line(line):
    assert lines_to_heading([line]) == Heading(TITLE, "洛阳市生态环境局", 2023, "line 1")


@pytest.mark.parametrize(
    "lines",
    [
        ["根据《洛阳市生态环境局2023年政府信息公开工作年度报告》的要求，", "一、总体情况"],
        ["根据条例，现公布本机关2023年政府信息公开工作年度报告。", "一、总体情况"],
        ["一、总体情况", TITLE],  # after the body began
        ["本机关认真贯彻落实条例要求。"],
    ],
    ids=["quoted", "sentence", "in the body", "no title"],
)
def test_not_a_heading(lines):
    assert find_title(lines) is None
    assert lines_to_heading(lines) == Heading()


def test_an_agency_less_title_takes_the_signature():
    tail = ["特此报告。", "洛阳市生态环境局", "2024年1月18日"]
    heading = lines_to_heading(
        ["2023年政府信息公开工作年度报告", "一、总体情况"], signature_lines(tail)
    )
    assert heading == Heading(
        "2023年政府信息公开工作年度报告",
        "洛阳市生态环境局",
        2023,
        "line 1; agency from signature",
    )


def test_no_title_line_takes_agency_and_year_from_a_title_elsewhere():
    heading = lines_to_heading(["一、总体情况"], [("metadata", TITLE)])
    assert heading == Heading(
        TITLE, "洛阳市生态环境局", 2023, "agency from metadata; year from metadata"
    )
    heading = lines_to_heading(["政府信息公开工作年度报告"], [("<title>", TITLE)])
    assert heading == Heading(
        "政府信息公开工作年度报告",
        "洛阳市生态环境局",
        2023,
        "line 1; agency from <title>; year from <title>",
    )


def test_fallbacks_are_not_asked_once_the_heading_is_whole():
    heading = lines_to_heading([TITLE], [("signature", "保定市科学技术局")])
    assert heading == Heading(TITLE, "洛阳市生态环境局", 2023, "line 1")


@pytest.mark.parametrize(
    ("tail", "fallback"),
    [
        (["特此报告。", "洛阳市生态环境局", "2024年1月18日"], [("signature", "洛阳市生态环境局")]),
        (["洛阳市生态环境局", "二〇二四年1月18日"], [("signature", "洛阳市生态环境局")]),
        (["洛阳市生态环境局", "2024-01-18"], [("signature", "洛阳市生态环境局")]),
        (["洛阳市生态环境局", "2024.1.18"], [("signature", "洛阳市生态环境局")]),
        (["洛阳市生态环境局", "4", "2024年1月18日", "5"], [("signature", "洛阳市生态环境局")]),
        (["2024年1月18日"], []),  # a date with nothing above it
        (["洛阳市生态环境局", "2024年1月18日", *["正文"] * 6], []),  # not at the end
        (["无日期", "结束"], []),
    ],
)
def test_signature_lines(tail, fallback):
    assert signature_lines(tail) == fallback


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023年", 2023),
        ("2023年度", 2023),
        ("二〇二四年", 2024),
        ("二○二四年度", 2024),
        ("二零二一年", 2021),
        ("二C一九年度", 2019),  # Class: ocr_zero_read_as_c (generated scan, seed 23 doc 0)
        ("二c二三年", 2023),
        ("-1-2022年", 2022),
        ("2023", None),  # a year needs its 年
        ("共2023件", None),
        ("1999年", 1999),
        ("1899年", None),
        ("", None),
    ],
)
def test_year_of(text, year):
    assert year_of(text) == year


@pytest.mark.parametrize(
    ("name", "plausible", "strict"),
    [
        ("洛阳市生态环境局", True, True),
        ("郑州市金水区人民政府", True, True),
        ("浙江省发展和改革委员会", True, True),
        ("杭州市西湖区北山街道办事处", True, True),
        ("首都之窗", True, False),  # reads as a name, but no body's ending
        ("根据条例，本局", False, False),
        ("www.gov.cn", False, False),
        ("洛阳市人民政府门户网站", False, False),
        ("政府信息公开", False, False),
        ("当前位置", False, False),
        ("局", False, False),  # too short
        ("abc", False, False),  # no Chinese
        ("", False, False),
        (None, False, False),
    ],
)
def test_plausible_agency(name, plausible, strict):
    assert plausible_agency(name) is plausible
    assert plausible_agency(name, strict=True) is strict


@pytest.mark.parametrize("zero", ["〇", "○", "◯", "Ｏ", "O", "零", "C"])
@pytest.mark.parametrize("cut", [1, 2, 3])
def test_chinese_year_wrapped_apart_before_the_agency(zero, cut):
    """Class: a title that begins with a Chinese-numeral year, wrapped inside the year
    (「二○」 / 「二四年度民政部…」): the rest of the year is no agency name, the window
    from the year's first line wins and gives the year."""
    year = f"二{zero}二四"
    lines = [year[:cut], year[cut:] + " 年度民政部政府信息公开工作年度报告", "本报告根据条例编制。"]
    heading = lines_to_heading(lines)
    assert (heading.agency, heading.year) == ("民政部", 2024)


@pytest.mark.parametrize(
    "lines, agency, year",
    [
        (["二二四年政府信息公开工", "作年度报告"], None, 2024),
        (
            ["长沙县", "黄兴镇人民政府二二三", "年度政府信息公开工作年度报告"],
            "长沙县黄兴镇人民政府",
            2023,
        ),
        (["民政部二二年政府信息公开工作年度报告"], "民政部二二", None),  # two numerals: no year
    ],
)
def test_a_chinese_year_whose_zero_ocr_dropped(lines, agency, year):
    """Class: OCR drops the small circle of 〇 (二〇二四 read 「二二四」); no year is written
    with three numerals, so 二二四 is 2024, and no part of the agency's name."""
    heading = lines_to_heading([*lines, "本报告根据条例编制。"])
    assert (heading.agency, heading.year) == (agency, year)


@pytest.mark.parametrize("name", ["二四年度民政部", "四年民政部", "○二四年度民政部"])
def test_a_piece_of_a_year_is_no_agency(name):
    assert not plausible_agency(name)


@pytest.mark.parametrize("name", ["四川省民政厅", "三明市人民政府", "九江市统计局", "六安市财政局"])
def test_a_name_beginning_with_a_numeral_is_an_agency(name):
    assert plausible_agency(name, strict=True)


def test_a_title_without_a_year_takes_the_statistics_period():
    lines = [
        "洛阳市生态环境局政府信息公开工作年度报告",
        "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。",
    ]
    heading = lines_to_heading(lines)
    assert (heading.agency, heading.year, heading.period_year) == ("洛阳市生态环境局", 2024, 2024)
    assert heading.source == "line 1; year from the statistics period"


def test_the_title_year_is_not_changed_by_the_statistics_period():
    lines = [TITLE, "报告中所列数据统计期限为2022年1月1日至12月31日。"]
    heading = lines_to_heading(lines)
    assert (heading.year, heading.period_year) == (2023, 2022)
