"""Adversarial documents: every switch of the generators drawn at random from a seed.

:func:`draw_case` gives one :class:`Case` per (rng, format): a Truth (the single source
of expected values, status, agency and year) and the layout switches of
:class:`~tests.docgen.layout.Style`, :class:`~tests.docgen.pdf.PdfStyle`,
:class:`~tests.docgen.text.TextStyle` and the HTML/DOCX renderers' options. The same
seed gives the same document, so a failure is reproduced by its (seed, format, index).

Formats: pdf-ruled, pdf-unruled, html, docx, txt, md.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field, replace

from tests.docgen.layout import Style, title_text
from tests.docgen.pdf import PdfStyle
from tests.docgen.text import TextStyle
from tests.docgen.truth import Truth, blank_zeros, inject_error, random_truth

FORMATS = ("pdf-ruled", "pdf-unruled", "html", "docx", "txt", "md")
EXTENSION = {
    "pdf-ruled": "pdf",
    "pdf-unruled": "pdf",
    "html": "html",
    "docx": "docx",
    "txt": "txt",
    "md": "md",
}

# Names as agencies write them, long and short, ending in every way the heading reader
# must accept (局, 委员会, 人民政府, 办事处, 中心, 支队 ...).
AGENCIES = [
    "青山湖区自然资源局",
    "南昌市青山湖区人民政府",
    "郑州市金水区人民政府",
    "河南省自然资源厅",
    "洛阳市生态环境局",
    "开封市市场监督管理局",
    "新乡县教育局",
    "石家庄市长安区人民政府办公室",
    "浙江省发展和改革委员会",
    "杭州市西湖区北山街道办事处",
    "保定市住房公积金管理中心",
    "成都市公安局交通管理局",
    "广州市天河区卫生健康局",
    "长沙县黄兴镇人民政府",
    "民政部",
    "国家税务总局南京市税务局",
    "苏州工业园区管理委员会",
    "武汉市江岸区医疗保障局",
    "大理白族自治州林业和草原局",
    "乌鲁木齐市水磨沟区统计局",
]
# Lines a page or a converter puts above the title: site names, column names, breadcrumbs.
SITES = [
    "河南省人民政府门户网站",
    "中国·郑州",
    "洛阳市人民政府网",
    "浙江政务服务网",
    "政府信息公开",
    "政务公开",
    "无障碍浏览",
    "首都之窗",
    "首页 > 政务公开 > 政府信息公开年报",
]
# A superior body's letterhead above a title that names its own agency.
LETTERHEADS = ["洛阳市人民政府办公室", "南昌市青山湖区人民政府"]
PAGE_MARKS = ["- {n} -", "— {n} —", "第{n}页", "{n}", "-{n}-", "{n}/12"]


@dataclass
class Case:
    """One generated document: its truth, its switches, and how to render it."""

    fmt: str
    truth: Truth
    style: Style
    options: object  # PdfStyle | TextStyle | dict of renderer keyword options
    variant: list[str] = field(default_factory=list)  # what the document does on purpose

    @property
    def filename(self) -> str:
        return f"doc.{EXTENSION[self.fmt]}"

    def render(self) -> bytes:
        """Return the document's bytes."""
        if self.fmt.startswith("pdf"):
            from tests.docgen.pdf import render_pdf

            return render_pdf(self.truth, self.style, self.options)
        if self.fmt in ("txt", "md"):
            from tests.docgen.text import render_text

            fmt = "pipe" if self.fmt == "md" else "tab"
            return render_text(self.truth, self.style, fmt=fmt, text=self.options)
        if self.fmt == "html":
            from tests.docgen.html import render_html

            return render_html(self.truth, self.style, **self.options)
        from tests.docgen.docx import render_docx

        return render_docx(self.truth, self.style, **self.options)

    def score(self, name: str = "case"):
        """Render, extract and transform the document in process; return its DocScore."""
        from tests.docgen.compare import expected_values, score_document

        return score_document(
            self.render(),
            self.filename,
            name=name,
            fmt=self.fmt,
            expected=expected_values(self.truth),
            expected_status=self.truth.expected_status(),
            agency=self.truth.agency,
            year=self.truth.year,
        )

    def describe(self) -> str:
        """Return the switches that differ from the defaults, one line."""
        parts = [f"{self.truth.template}/{self.truth.other_rows}row", *self.variant]
        parts += _diff(self.style, Style())
        if dataclasses.is_dataclass(self.options):
            parts += _diff(self.options, type(self.options)())
        else:
            parts += [f"{k}={v!r}" for k, v in sorted(self.options.items()) if k != "seed"]
        return " ".join(parts)


def _diff(obj, default) -> list[str]:
    return [
        f"{f.name}={getattr(obj, f.name)!r}"
        for f in dataclasses.fields(obj)
        if getattr(obj, f.name) != getattr(default, f.name) and f.name != "seed"
    ]


def draw_truth(rng: random.Random, variant: list[str]) -> Truth:
    """Given an rng, return a Truth: either template, mixed and off-year documents,
    blank-for-zero patterns and, sometimes, the source's own arithmetic errors."""
    template = rng.choices(["2021", "2019"], [7, 3])[0]
    other_rows = None
    if template == "2021" and rng.random() < 0.12:
        other_rows = 1
        variant.append("mixed_single_other_row")
    elif template == "2019" and rng.random() < 0.08:
        other_rows = 3
        variant.append("2019_three_other_rows")
    year = None
    if rng.random() < 0.12:
        year = rng.randint(2019, 2020) if template == "2021" else rng.randint(2021, 2024)
        variant.append("early_adopter" if template == "2021" else "late_adopter")
    truth = random_truth(
        rng,
        template,
        other_rows=other_rows,
        agency=rng.choice(AGENCIES),
        year=year,
    )
    pattern = rng.choices(["none", "cells", "rows", "tables", "all"], [3, 3, 2, 2, 1])[0]
    if pattern != "none":
        blank_zeros(truth, rng, pattern, share=rng.choice([0.3, 0.7, 1.0]))
        variant.append(f"blank_{pattern}")
    if rng.random() < 0.15:
        for _ in range(rng.choice([1, 1, 2])):
            inject_error(truth, rng)
        variant.append("source_error")
    return truth


def _title_cuts(rng: random.Random, title: str) -> tuple[int, ...]:
    n = rng.choices([0, 1, 2], [3, 5, 2])[0]
    return tuple(sorted(rng.sample(range(1, len(title)), n)))


def _preamble(rng: random.Random, truth: Truth, order: str) -> tuple[str, ...]:
    """Return 0-3 lines above the title: page marks, 索引号/发布日期/发文机关, site lines
    and (above a title that names its agency) a superior body's letterhead."""
    letterhead = [rng.choice(LETTERHEADS)] if order != "none" else []
    choices = [
        rng.choice(["-1-", "— 1 —", "第1页", "- 1 -"]),
        f"索引号：{rng.randint(10**9, 10**10 - 1)}/{truth.year + 1}-{rng.randint(1, 999):05d}",
        f"发布日期：{truth.year + 1}-01-{rng.randint(10, 31)}",
        f"发文机关：{truth.agency}",
        rng.choice(SITES),
        rng.choice(SITES),
        "主题分类：政务公开",
        *letterhead,
    ]
    n = rng.choices([0, 1, 2, 3], [4, 3, 2, 1])[0]
    return tuple(dict.fromkeys(rng.sample(choices, n)))


def draw_style(rng: random.Random, truth: Truth, fmt: str, variant: list[str]) -> Style:
    """Given an rng and a Truth, return the format-neutral switches of one document."""
    blanks = tuple(rng.sample(["", "-", "—", "/", "无"], rng.randint(1, 3)))
    order = rng.choices(["agency", "year_first", "none"], [7, 2, 2])[0]
    style = Style(
        blank=rng.choice(["", "-", "—", "/", "无"]),
        blanks=blanks if rng.random() < 0.5 else (),
        fullwidth=rng.random() < 0.1,
        thousands=rng.random() < 0.2,
        money=rng.choice(["plain", "plain", "yuan", "wan"]),
        year_cn=rng.random() < 0.25,
        year_zero=rng.choice(["〇", "○"]),
        year_space=rng.random() < 0.3,
        year_word=rng.choice(["年", "年", "年度"]),
        title_order=order,
        preamble=_preamble(rng, truth, order),
        signature=rng.random() < 0.3,
        numbering=rng.choice(["1.", "1.", "1、", "1．", "（1）", "(1)"]),
        number_space=rng.random() < 0.2,
        appeal_words=rng.choice(["full", "full", "short"]),
        header_breaks=rng.choice(["none", "word", "any"]),
        split_header=rng.random() < 0.15,
        typo=rng.random() < 0.1,
        label_wrap=0 if fmt.startswith("pdf") or rng.random() < 0.5 else rng.randint(4, 20),
        seed=rng.randint(0, 10**6),
    )
    style = dataclasses.replace(style, title_cuts=_title_cuts(rng, title_text(truth, style)))
    return style


def _label_widths(rng: random.Random, size: float, table_width: float) -> tuple[float, ...]:
    """Given a font size, return table 三's label columns, narrow (two or three characters
    a line) to wide, leaving the seven value columns room for a three-digit number."""
    low = 2 * size + 12  # two characters a line whatever the padding
    widths = [rng.uniform(2.6, 10) * size, rng.uniform(2.6, 10) * size, rng.uniform(3, 14) * size]
    widths = [max(w, low) for w in widths]
    room = table_width - 7 * (2.2 * size + 10)
    if sum(widths) > room:
        widths = [low + (w - low) * (room - 3 * low) / (sum(widths) - 3 * low) for w in widths]
    return tuple(round(w, 1) for w in widths)


def _table_breaks(rng: random.Random, truth: Truth) -> tuple[tuple[int, int], ...]:
    """Return (section, row) page breaks: anywhere in table 三 (header rows included),
    sometimes in tables 二 and 四."""
    rows3 = 3 + len(truth.row_codes)
    cuts = [(3, r) for r in rng.sample(range(1, rows3), rng.choices([0, 1, 2, 3], [2, 5, 2, 1])[0])]
    if rng.random() < 0.3:
        cuts.append((2, rng.randint(1, 12)))
    if rng.random() < 0.2:
        cuts.append((4, rng.randint(1, 3)))
    return tuple(sorted(cuts))


def draw_pdf(rng: random.Random, truth: Truth, ruled: bool) -> PdfStyle:
    """Return a PdfStyle: sizes, widths, alignment, merged labels, page breaks anywhere."""
    size = rng.choice([8, 9, 9, 10, 10.5, 11, 12])
    table_width = rng.choice([0, 0, 420, 450])
    breaks = _table_breaks(rng, truth)
    style = PdfStyle(
        ruled=ruled,
        prose_paras=rng.choice([0, 2, 6, 12]),
        page_mark=rng.choice(PAGE_MARKS + [""]),
        running_header=rng.choice(
            ["", "", "", f"{truth.agency}{truth.year}年政府信息公开工作年度报告"]
        )
        if rng.random() < 0.3
        else "",
        size=size,
        label_widths=_label_widths(rng, size, table_width or 475),
        table_width=table_width,
        align=rng.choice(["centre", "centre", "left", "right"]),
        header_align=rng.choice(["centre", "centre", "left"]),
        valign=rng.choice(["top", "middle"]),
        value_valign=rng.choice(["top", "middle"]),
        group_span=rng.random() < 0.6,
        active_merge=rng.random() < 0.3,
        pad=rng.choice([1.5, 3.0, 3.0, 5.0]),
        leading=rng.choice([1.0, 2.0, 2.0, 4.0]),
        row_height=rng.choice([0, 0, 16, 22]),
        breaks=breaks,
        split=tuple((s, r) for s, r in breaks if s == 3 and rng.random() < 0.4),
        repeat_header=rng.random() < 0.4,
        repeat_labels=rng.random() < 0.2,
        text_objects=rng.choice(["cell", "row"]),
        single_char_objects=rng.random() < 0.08,
        digit_font=rng.choice(["", "", "Times-Roman", "Helvetica"]),
        title_size=rng.choice([14, 16, 18, 22]),
    )
    # Drawn after the switches above, so that a seed's documents keep them.
    turn = rng.choice(["landscape", "rot90", "rot270", "sideways"]) if rng.random() < 0.25 else ""
    # WPS's ruled cells: short header lines letter-spaced (「自 然 人」), and the texts of
    # cells side by side touching across their ruling line. Without the ruling lines
    # nothing tells one cell's text from its neighbour's: ruled tables only.
    spacing = rng.choice([2.0, 4.0, 8.0]) if rng.random() < 0.15 else 0
    tight = rng.random() < 0.1
    return replace(
        style,
        turn=turn,
        stacked_digits=rng.random() < 0.15,
        scaled_font=rng.random() < 0.15,
        header_spacing=spacing if ruled else 0,
        pad=0.5 if tight and ruled else style.pad,
    )


def draw_text(rng: random.Random, truth: Truth, fmt: str) -> TextStyle:
    """Return a TextStyle: breaks anywhere, wrapped cells, table 四 over several lines."""
    return TextStyle(
        breaks=_table_breaks(rng, truth),
        repeat_header=rng.random() < 0.4,
        page_mark=rng.choice(PAGE_MARKS + [""]),
        cell_breaks=rng.choice(["space", "join", "rows"] + (["br"] if fmt == "md" else [])),
        values_at=rng.choice(["first", "middle", "last"]),
        appeal_chunk=rng.choice([0, 0, 5, 5, 3, 8]),
        title_heading=rng.choice(["#", "bold", "plain"]) if fmt == "md" else "#",
        empty_header=rng.random() < 0.5,
    )


def draw_html(rng: random.Random, truth: Truth) -> dict:
    markup = rng.choice(["cms", "word"])
    return {
        "markup": markup,
        "encoding": rng.choice(["utf-8", "gbk"]),
        "charset": rng.choice(["meta", "meta", "none"]),
        "title_in": rng.choice(["h1", "h1", "title"]),
        "layout_tables": markup == "cms" and rng.random() < 0.2,
        "fragment": rng.random() < 0.2,
        "breaks": _table_breaks(rng, truth),
        "repeat_header": rng.random() < 0.4,
        "repeat_labels": rng.random() < 0.6,
        "title_split": rng.choice(["p", "br"]),
        "seed": rng.randint(0, 10**6),
    }


def draw_docx(rng: random.Random, truth: Truth) -> dict:
    return {
        "wrapped": rng.random() < 0.15,
        "list_headings": rng.random() < 0.2,
        "breaks": _table_breaks(rng, truth),
        "repeat_header": rng.random() < 0.4,
        "repeat_labels": rng.random() < 0.6,
        "cell_breaks": rng.choice(["paragraph", "break"]),
        "title_split": rng.choice(["paragraph", "break"]),
        "seed": rng.randint(0, 10**6),
    }


def draw_case(rng: random.Random, fmt: str) -> Case:
    """Given an rng and a format, return one adversarial document."""
    variant: list[str] = []
    truth = draw_truth(rng, variant)
    style = draw_style(rng, truth, fmt, variant)
    if fmt.startswith("pdf"):
        options: object = draw_pdf(rng, truth, ruled=fmt == "pdf-ruled")
    elif fmt in ("txt", "md"):
        options = draw_text(rng, truth, fmt)
    elif fmt == "html":
        options = draw_html(rng, truth)
    else:
        options = draw_docx(rng, truth)
    return Case(fmt, truth, style, options, variant)


def case_rng(seed: int, fmt: str, index: int) -> random.Random:
    """Return the rng of document `index` of format `fmt` in a run with `seed`."""
    return random.Random(f"{seed}:{fmt}:{index}")
