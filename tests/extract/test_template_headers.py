"""extract/template/: the one template mapper and its wording (spec/wording.csv).

Every reading (ruled grid, word positions, lines, layout text, OCR) names columns, rows
and header furniture through :mod:`extract.template`; the words come from ``spec``. The
last test holds the class: no reader keeps a template word of its own.
"""

import ast
from pathlib import Path

import pytest

from extract.labels import squash
from extract.layout import text_to_words
from extract.template.headers import (
    FURNITURE,
    ITEMS,
    PROCEEDINGS,
    TEMPLATE_METRICS,
    applicant_of_header,
    detect_template,
    holds_header_word,
    is_header_line,
    is_header_piece,
    is_request_header,
    item_of_label,
    outcome_of_header,
    proceeding_of_header,
    unit_of_header,
)
from extract.template.rows import GROUP_MEMBERS, NUMBERED_ROWS, below_in_column
from extract.template.stacks import stack_digits
from extract.template.tokens import Word
from spec import codes, wording

EXTRACT = Path(__file__).resolve().parents[2] / "extract"


def test_items_and_metrics_come_from_the_contract_with_their_aliases():
    assert ITEMS["normative_documents"] == ["行政规范性文件", "规范性文件"]
    assert list(ITEMS) == [
        "regulations", "normative_documents", "licensing", "other_services",
        "punishment", "coercion", "fees", "procurement",
    ]  # fmt: skip
    assert TEMPLATE_METRICS["2021"]["amount"] == ["本年收费金额(单位:万元)", "本年收费金额"]
    assert TEMPLATE_METRICS["2019"]["change"] == ["本年增/减", "本年增减"]
    for template in ("2019", "2021"):
        spec_metrics = {c.metric for c in codes.active_cells(template)}
        assert set(TEMPLATE_METRICS[template]) == spec_metrics


def test_numbered_rows_are_the_template_rows_that_stand_alone():
    assert NUMBERED_ROWS == {
        "一、": "new_received", "二、": "carried_over", "(一)": "granted",
        "(二)": "partially_granted", "(六)": "other", "(七)": "total_processed",
        "四、": "carried_forward",
    }  # fmt: skip
    assert GROUP_MEMBERS["other"] == ["other_no_correction", "other_unpaid_fee", "other_misc"]
    assert len(GROUP_MEMBERS["denied"]) == 8


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("自然人", "natural_person"),
        ("法人或其他组织商业企业", "commercial"),
        ("商业企", "commercial"),  # the header's last line lost
        ("科研机构", "research"),
        ("社会公益组织", "nonprofit"),
        ("法律服务机构", "legal_services"),
        ("法人或其他组织其他", "other_org"),
        ("其他", "other_org"),
        ("总计", "total"),
        ("合计", "total"),
        ("法人或其他组织", None),
        ("申请人情况", None),
    ],
)
def test_applicant_of_header(header, code):
    assert applicant_of_header(header) == code


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("结果维持", "upheld"),
        ("行政复议结果维持", "upheld"),
        ("结果纠正", "corrected"),
        ("其他结果", "other"),
        ("尚未审结", "pending"),
        ("总计", "total"),
        ("合计", "total"),
        ("行政诉讼", None),
    ],
)
def test_outcome_of_header(header, code):
    assert outcome_of_header(header) == code


@pytest.mark.parametrize(
    ("headers", "template"),
    [
        (["本年制发件数", "本年废止件数", "现行有效件数"], "2021"),
        (["本年处理决定数量"], "2021"),
        (["本年收费金额（单位：万元）"], "2021"),
        (["本年新制作数量", "本年新公开数量", "对外公开总数量"], "2019"),
        (["处理决定数量"], "2019"),
        (["上一年项目数量", "本年增/减"], "2019"),
        (["采购总金额"], "2019"),
        ([], None),
        (["信息内容"], None),
    ],
)
def test_detect_template(headers, template):
    assert detect_template(headers) == template


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("本年收费金额（单位：万元）", "万元"),
        ("本年收费金额(单位:万元)", "万元"),
        ("采购总金额（元）", "元"),
        ("采购总金额", None),
        ("本年处理决定数量", None),
    ],
)
def test_unit_of_header(header, unit):
    assert unit_of_header(header) == unit


@pytest.mark.parametrize(
    "header, code",
    [
        ("行政复议", "review"),
        ("行政诉讼未经复议直接起诉", "litigation_direct"),
        ("复议后起诉", "litigation_after_review"),
        ("结果维持", None),
    ],
)
def test_proceeding_of_header(header, code):
    assert proceeding_of_header(header) == code
    assert PROCEEDINGS == ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")


def test_header_words_and_furniture():
    assert holds_header_word("申请人情况") and holds_header_word("行政诉讼")
    assert not holds_header_word("行政诉讼", ("active", "requests"))
    assert is_request_header(["", "自然人"]) and not is_request_header(["信息内容"])
    assert is_header_line(["商业", "科研", "总计"])  # three column names, however wrapped
    assert is_header_line(["信息内容"]) and not is_header_line(["1.属于国家秘密"])
    assert "勾稽" in FURNITURE and is_header_piece("情况") and not is_header_piece("予以公开")
    assert item_of_label("（二）规范性文件") == "normative_documents"


def test_a_wrapped_label_goes_on_in_its_column_on_the_next_line():
    first = Word("密", 100.0, 110.0, 212.0, 222.0, 10.0, 1)
    assert below_in_column(first, 95.0, 210.0, 10.0)
    assert not below_in_column(first, 80.0, 210.0, 10.0)  # another sub-column (15 >= 1.5 x 10)
    assert not below_in_column(first, 95.0, 199.0, 10.0)  # a line further down (13 >= 1.2 x 10)


def test_stacked_digits_keep_their_source():
    upper = Word("1", 10, 16, 100, 110, 10, 1, "ocr")
    lower = Word("0", 10, 16, 111, 121, 10, 1, "ocr")
    [number] = stack_digits([upper, lower])
    assert (number.text, number.source, number.top, number.bottom) == ("10", "ocr", 100, 121)


def test_every_reading_makes_the_same_positioned_tokens():
    [page] = text_to_words("申请人情况    自然人\n予以公开        3\n")
    assert [(w.text, w.source, w.page) for w in page] == [
        ("申请人情况", "layout", 1), ("自然人", "layout", 1),
        ("予以公开", "layout", 1), ("3", "layout", 1),
    ]  # fmt: skip
    assert Word("x", 0, 1, 0, 1, 1, 1).source == "text"  # a text layer's


def _template_words() -> set[str]:
    """Every word of the template's wording a reader could be tempted to restate."""
    out = {squash(w) for role in wording.Role.__args__ for w in wording.words(role)}
    out |= {squash(w) for labels in wording.request_row_labels().values() for w in labels}
    out |= {squash(w) for w in wording.header_words()}
    return {w for w in out if len(w) >= 3}  # 2-character words (其他, 复议) are everyday text


def _string_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_reader_keeps_template_words_of_its_own():
    """The class behind five header-word sets: template wording lives in spec/wording.csv
    and the contract's CSVs, read through extract/template/, never restated in a reader."""
    words = _template_words()
    found = [
        f"{path.relative_to(EXTRACT.parent)}:{line}: {text!r}"
        for path in sorted(EXTRACT.rglob("*.py"))
        for line, text in _string_constants(path)
        if squash(text) in words
    ]
    assert found == []
