"""Fuzzing: the extractors and the number parser take any input without an unhandled exception.

Every input either yields a Report or raises an ExtractError with a stable code.
"""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.dispatch import extract_document
from extract.errors import ExtractError
from spec.numbers import UnparseableNumber, parse_number
from tests.docgen.layout import Style
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REPORT = render_text(random_truth(random.Random(0), "2021"), Style(swallow=True)).decode()
TOKENS = [
    "|",
    "\t",
    "\n",
    "\f",
    " ",
    "一、总体情况",
    "三、收到和处理政府信息公开申请情况",
    "四、",
    "（三）不予公开",
    "1.",
    "自然人",
    "总计",
    "行政复议",
    "信息内容",
    "本年制发件数",
    "规章",
    "0",
    "12",
    "—",
    "无",
    "二〇二四年",
    "#",
]


def survives(data: bytes) -> None:
    try:
        report = extract_document(data, "fuzz.txt")
    except ExtractError as exc:
        assert exc.code and exc.detail
        return
    assert all(c.table in {"requests", "appeals", "active"} for c in report.cells)


@FUZZ
@given(st.binary(max_size=4000))
def test_any_bytes(data):
    survives(data)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=300))
def test_report_shaped_token_soup(tokens):
    survives("".join(tokens).encode("utf-8"))


@FUZZ
@given(st.data())
def test_mutated_real_report(data):
    """A generated report with random slices deleted, duplicated or replaced."""
    text = REPORT
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 400)))
        op = data.draw(st.sampled_from(["delete", "dup", "junk"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "dup":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + data.draw(st.text(max_size=30)) + text[j:]
    survives(text.encode("utf-8"))


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=40))
def test_number_parser_total(raw):
    try:
        parsed = parse_number(raw)
    except UnparseableNumber:
        return
    assert parsed.value is None or isinstance(parsed.value, float)
