import pytest

from spec.numbers import (
    Parsed,
    UnparseableNumber,
    _normalise,
    is_value_text,
    parse_count,
    parse_number,
    to_wan_yuan,
)


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("0", 0, None),
        ("１２", 12, None),
        ("1,234", 1234, None),
        ("1，234", 1234, None),
        (" 7 ", 7, None),
        ("", None, None),
        ("-", None, None),
        ("—", None, None),
        ("/", None, None),
        ("无", None, None),
        ("-3", -3, None),
        ("251000元", 251000, "元"),
        ("12.5万元", 12.5, "万元"),
        ("12.5万", 12.5, "万元"),
        ("３０件", 30, "件"),
    ],
)
def test_parse_number(raw, value, unit):
    assert parse_number(raw) == Parsed(value, unit)


@pytest.mark.parametrize("raw", ["约5", "1.2.3", "abc", "5-6"])
def test_unparseable(raw):
    with pytest.raises(UnparseableNumber):
        parse_number(raw)


def test_count_rejects_fraction():
    assert parse_count("12") == 12
    with pytest.raises(UnparseableNumber):
        parse_count("1.5")


@pytest.mark.parametrize(
    ("raw", "header_unit", "wan"),
    [
        ("251000元", None, 25.1),
        ("12.5万元", None, 12.5),
        ("12.5", None, 12.5),
        ("30000", "元", 3.0),
        ("", None, None),
    ],
)
def test_money_in_wan_yuan(raw, header_unit, wan):
    assert to_wan_yuan(parse_number(raw), header_unit) == wan


def test_a_text_seen_before_is_not_normalised_again():
    _normalise.cache_clear()
    assert parse_number("１，２３４ 万元") == Parsed(1234, "万元")
    assert is_value_text("１，２３４ 万元")
    assert _normalise("予以<BR/>公开 ") == "予以公开"
    assert (_normalise.cache_info().hits, _normalise.cache_info().misses) == (1, 2)
