"""Format-neutral layout of a Truth: the three tables as grids of strings, plus prose.

Every renderer (text, PDF, HTML, DOCX) starts from :func:`tables_of`, so one
Truth gives the same cells in every format. Quirks seen in real reports are
switches of :class:`Style`.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from spec import codes
from tests.docgen.truth import APPLICANTS, Truth

ROW_LABELS = {
    "new_received": ("一、本年新收政府信息公开申请数量", "", ""),
    "carried_over": ("二、上年结转政府信息公开申请数量", "", ""),
    "granted": ("三、本年度办理结果", "（一）予以公开", ""),
    "partially_granted": ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    "denied_state_secret": ("", "（三）不予公开", "1.属于国家秘密"),
    "denied_prohibited_by_law": ("", "", "2.其他法律行政法规禁止公开"),
    "denied_security_stability": ("", "", "3.危及“三安全一稳定”"),
    "denied_third_party_rights": ("", "", "4.保护第三方合法权益"),
    "denied_internal_affairs": ("", "", "5.属于三类内部事务信息"),
    "denied_process_info": ("", "", "6.属于四类过程性信息"),
    "denied_enforcement_file": ("", "", "7.属于行政执法案卷"),
    "denied_query_matter": ("", "", "8.属于行政查询事项"),
    "unavailable_not_held": ("", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    "unavailable_needs_creation": ("", "", "2.没有现成信息需要另行制作"),
    "unavailable_unclear": ("", "", "3.补正后申请内容仍不明确"),
    "rejected_petition": ("", "（五）不予处理", "1.信访举报投诉类申请"),
    "rejected_duplicate": ("", "", "2.重复申请"),
    "rejected_publication": ("", "", "3.要求提供公开出版物"),
    "rejected_excessive": ("", "", "4.无正当理由大量反复申请"),
    "rejected_confirmation": ("", "", "5.要求行政机关确认或重新出具已获取信息"),
    "other": ("", "（六）其他处理", ""),
    "other_no_correction": (
        "",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    "other_unpaid_fee": (
        "",
        "",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    "other_misc": ("", "", "3.其他"),
    "total_processed": ("", "（七）总计", ""),
    "carried_forward": ("四、结转下年度继续办理", "", ""),
}

_FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


@dataclass(frozen=True)
class Style:
    """How numbers and quirks are rendered."""

    blank: str = ""  # None renders as '', '-', '—', '/', '无'
    fullwidth: bool = False
    thousands: bool = False
    money: str = "plain"  # plain (12.5) | yuan (125000元) | wan (12.5万元)
    year_cn: bool = False  # 二〇二四年 in the title
    swallow: bool = False  # sub-row labels swallow the first value column (seed 000/002)
    split_header: bool = False  # table 四 header cells broken over two rows (seed 002)
    typo: bool = False  # 本年度止件数 for 本年废止件数 (seed 000)
    # Adversarial switches (tests/docgen/adversarial.py draws them); the defaults give the
    # classic layout above.
    year_zero: str = "〇"  # the zero of a Chinese-numeral year: 〇 or ○ (U+25CB)
    year_space: bool = False  # 「偃师区科学技术局 2024 年政府…」
    year_word: str = "年"  # 年 or 年度 after the title's year
    title_order: str = (
        "agency"  # agency | year_first (2023年度某局…) | none (agency signs at the end)
    )
    title_cuts: tuple[int, ...] = ()  # character offsets where the title wraps to a new line
    preamble: tuple[str, ...] = ()  # lines before the title: headers, page marks, 索引号, logo
    signature: bool = False  # an agency line and a date line after section 六
    blanks: tuple[str, ...] = ()  # a blank cell's mark, chosen per cell (else `blank`)
    numbering: str = "1."  # sub-row numbers: 1. | 1、 | 1． | （1） | (1)
    number_space: bool = False  # 「3. 其他」
    appeal_words: str = "full"  # table 四 outcome headers: full (结果维持) | short (维持)
    header_breaks: str = "none"  # header cells wrapped: none | word (商业/企业) | any (mid-word)
    label_wrap: int = 0  # row labels wrapped every N characters, 0 = never
    seed: int = 0  # for the per-cell choices above


def _pick(style: Style, key: object, n: int) -> int:
    """Given a style and a cell key, return a stable choice in range(n)."""
    return zlib.crc32(repr((style.seed, key)).encode()) % n


def blank_text(style: Style, key: object = None) -> str:
    """Given a style and a cell key, return how the document writes that blank cell."""
    if style.blanks:
        return style.blanks[_pick(style, key, len(style.blanks))]
    return style.blank


def count_text(value: int | float | None, style: Style, key: object = None) -> str:
    """Given a count (None for blank), return it as the document writes it."""
    if value is None:
        return blank_text(style, key)
    value = int(value)
    text = f"{value:,}" if style.thousands else str(value)
    return text.translate(_FULLWIDTH) if style.fullwidth else text


def money_text(value: float | None, style: Style, key: object = None) -> str:
    """Given an amount in 万元 (None for blank), return it as the document writes it."""
    if value is None:
        return blank_text(style, key)
    if style.money == "yuan":
        yuan = round(value * 10000)
        return f"{yuan}元"
    text = f"{value:g}" if value != int(value) else str(int(value))
    return text + ("万元" if style.money == "wan" else "")


_CN = "〇一二三四五六七八九"


def year_text(year: int, style: Style) -> str:
    if not style.year_cn:
        return str(year)
    return "".join(_CN[int(d)] for d in str(year)).replace("〇", style.year_zero)


def title_text(truth: Truth, style: Style) -> str:
    """Given a Truth and a style, return the report title as one line."""
    year = year_text(truth.year, style)
    sp = " " if style.year_space else ""
    dated = f"{year}{sp}{style.year_word}"
    rest = "政府信息公开工作年度报告"
    if style.title_order == "year_first":
        return f"{dated}{truth.agency}{rest}"
    if style.title_order == "none":
        return f"{dated}{rest}"
    return f"{truth.agency}{sp}{dated}{rest}"


def title_lines(title: str, style: Style) -> list[str]:
    """Given the title and a style, return its lines, wrapped at `style.title_cuts`."""
    cuts = sorted({c for c in style.title_cuts if 0 < c < len(title)})
    bounds = [0, *cuts, len(title)]
    return [title[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if title[a:b].strip()]


def signature_lines(truth: Truth) -> list[str]:
    """Given a Truth, return the signature block: the agency and the date it signed."""
    return [truth.agency, f"{truth.year + 1}年1月{10 + truth.year % 17}日"]


_NUMBERED = re.compile(r"^(\d)\.")


def numbered(label: str, style: Style) -> str:
    """Given a sub-row label (「3.其他」), return it with the style's numbering."""
    m = _NUMBERED.match(label)
    if not m or (style.numbering == "1." and not style.number_space):
        return label
    n = m.group(1)
    mark = {"1.": f"{n}.", "1、": f"{n}、", "1．": f"{n}．", "（1）": f"（{n}）", "(1)": f"({n})"}
    sp = " " if style.number_space else ""
    return mark[style.numbering] + sp + label[m.end() :]


# Header cells as documents wrap them at a word: (text, its break)
_HEADER_WORD_BREAKS = {
    "商业企业": "商业\n企业",
    "科研机构": "科研\n机构",
    "社会公益组织": "社会公\n益组织",
    "法律服务机构": "法律服\n务机构",
    "法人或其他组织": "法人或其\n他组织",
    "本年制发件数": "本年制发\n件数",
    "本年废止件数": "本年废止\n件数",
    "本年度止件数": "本年度止\n件数",
    "现行有效件数": "现行有效\n件数",
    "本年处理决定数量": "本年处理\n决定数量",
    "本年新制作数量": "本年新\n制作数量",
    "本年新公开数量": "本年新\n公开数量",
    "对外公开总数量": "对外公开\n总数量",
    "上一年项目数量": "上一年\n项目数量",
    "结果维持": "结果\n维持",
    "结果纠正": "结果\n纠正",
    "其他结果": "其他\n结果",
    "尚未审结": "尚未\n审结",
    "未经复议直接起诉": "未经复议\n直接起诉",
}


def header_cell(text: str, style: Style, key: object = None) -> str:
    """Given a header cell's text, return it wrapped as the style wraps headers."""
    if style.header_breaks == "word":
        return _HEADER_WORD_BREAKS.get(text, text)
    if style.header_breaks == "any" and 2 <= len(text) <= 12:
        cut = 1 + _pick(style, ("header", key, text), len(text) - 1)
        return text[:cut] + "\n" + text[cut:]
    return text


def wrap_label(text: str, style: Style) -> str:
    """Given a row label, return it broken every `style.label_wrap` characters."""
    n = style.label_wrap
    if not n or len(text) <= n:
        return text
    return "\n".join(text[i : i + n] for i in range(0, len(text), n))


def active_grid(truth: Truth, style: Style) -> list[list[str]]:
    """Return table 二 as rows of four cells: article headers, metric headers, item rows."""
    spec = codes.active_cells(truth.template)
    rows: list[list[str]] = []
    by_article: dict[str, list] = {}
    for c in spec:
        by_article.setdefault(c.article, []).append(c)
    for article, cells in by_article.items():
        n = article.split("(")[1].rstrip(")")
        numeral = "一二三四五六七八九"[int(n) - 1]
        rows.append([f"第二十条第（{numeral}）项", "", "", ""])
        metrics = list(dict.fromkeys((c.metric, c.metric_label) for c in cells))
        labels = [m[1] for m in metrics]
        if style.typo:
            labels = [label.replace("本年废止件数", "本年度止件数") for label in labels]
        if style.money != "plain":
            labels = [label.replace("（单位：万元）", "") for label in labels]
        labels = [header_cell(label, style, ("active", article)) for label in labels]
        rows.append(["信息内容", *labels] + [""] * (3 - len(labels)))
        for item, item_label in dict.fromkeys((c.item, c.item_label) for c in cells):
            values = []
            for metric, _ in metrics:
                cell = next((c for c in cells if c.item == item and c.metric == metric), None)
                v = truth.active.get((item, metric)) if cell else None
                if cell is None:
                    values.append("")
                elif cell.unit == "万元":
                    values.append(money_text(v, style, ("active", item, metric)))
                else:
                    values.append(count_text(v, style, ("active", item, metric)))
            rows.append([item_label, *values] + [""] * (3 - len(values)))
    return rows


def request_grid(truth: Truth, style: Style) -> list[list[str]]:
    """Return table 三: three header rows, then a row per row code (3 label cells + 7 values)."""
    header = [
        [
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            "",
            "",
            "申请人情况",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    rows = [
        [header_cell(t, style, ("requests", i, j)) for j, t in enumerate(r)]
        for i, r in enumerate(header)
    ]
    for code in truth.row_codes:
        labels = [wrap_label(numbered(t, style), style) for t in ROW_LABELS[code]]
        values = [
            count_text(truth.requests[(code, a)], style, ("requests", code, a)) for a in APPLICANTS
        ]
        rows.append(labels + values)
    if style.swallow:
        # Merge the three label columns into two, as in the seeds' conversions: a
        # sub-row's number label lands in the first value column, shifting values right.
        merged = [r[:1] + r[2:] + [""] for r in rows[:3]]
        for r in rows[3:]:
            a, b, c, *values = r
            if c:
                merged.append([a, b, c, *values])
            else:
                merged.append([a or b, "", *values, ""] if not (a and b) else [a, b, *values, ""])
        return merged
    return rows


def appeal_grid(truth: Truth, style: Style) -> list[list[str]]:
    """Return table 四: header rows and the one row of 15 values."""
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    if style.appeal_words == "short":
        outcomes = ["维持", "纠正", "其他", "尚未审结", "总计"]
    values = [
        count_text(truth.appeals[(p, o)], style, ("appeals", p, o))
        for p in codes.proceedings()
        for o in codes.outcomes()
    ]
    if style.split_header:
        top = [o[:2] if o != "总计" else "总计" for o in outcomes]
        bottom = [o[2:] if o != "总计" else "" for o in outcomes]
        return [
            ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
            [f"{t} {b}".strip() for t, b in zip(top, bottom, strict=True)]
            + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
            [""] * 5 + top + top,
            [""] * 5 + bottom + bottom,
            values,
        ]
    if style.header_breaks != "none":
        h = [header_cell(o, style, ("appeals", i)) for i, o in enumerate(outcomes)]
        return [
            ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
            h
            + [
                header_cell("未经复议直接起诉", style),
                "",
                "",
                "",
                "",
                "复议后起诉",
                "",
                "",
                "",
                "",
            ],
            [""] * 5 + h + h,
            values,
        ]
    return [
        ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
        outcomes + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        [""] * 5 + outcomes + outcomes,
        values,
    ]


SECTION_HEADINGS = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


def blocks_of(truth: Truth, style: Style) -> list[tuple[str, object]]:
    """Return the document as blocks: ('pre', str) lines before the title, ('title', str),
    ('heading', str), ('para', str), ('table', grid), ('sign', str) signature lines."""
    blocks: list[tuple[str, object]] = [("pre", line) for line in style.preamble]
    blocks.append(("title", title_text(truth, style)))
    grids = {
        2: active_grid(truth, style),
        3: request_grid(truth, style),
        4: appeal_grid(truth, style),
    }
    for n in range(1, 7):
        blocks.append(("heading", SECTION_HEADINGS[n]))
        if n in grids:
            blocks.append(("table", grids[n]))
        else:
            blocks.append(("para", truth.prose.get(n, "无。")))
    if style.signature or style.title_order == "none":
        blocks += [("sign", line) for line in signature_lines(truth)]
    return blocks
