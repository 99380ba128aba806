"""One switch at a time: which single adversarial switch breaks which format.

Every switch of the generators is set alone (everything else at its default) on a
few plain truths of both templates, per format; a switch that makes any document
fail is printed with the failure. The failure classes in ADVERSARIAL_FINDINGS.md come
from here; bench/accuracy.py then measures them mixed.

    python bench/sweep.py --formats txt,md --truths 2
    python bench/sweep.py --formats pdf-unruled --only numbering
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.accuracy import run_case  # noqa: E402
from tests.docgen.adversarial import FORMATS, LETTERHEADS, SITES, Case  # noqa: E402
from tests.docgen.layout import Style  # noqa: E402
from tests.docgen.pdf import PdfStyle  # noqa: E402
from tests.docgen.text import TextStyle  # noqa: E402
from tests.docgen.truth import Truth, blank_zeros, inject_error, random_truth  # noqa: E402

STYLE_SWITCHES = [
    {"year_cn": True},
    {"year_cn": True, "year_zero": "○"},
    {"year_space": True},
    {"year_word": "年度"},
    {"title_order": "year_first"},
    {"title_order": "none"},
    *({"preamble": (line,)} for line in (*SITES, *LETTERHEADS)),
    *({"title_order": "none", "preamble": (line,)} for line in SITES),
    {"signature": True},
    {"preamble": ("-1-",)},
    {"preamble": ("— 1 —",)},
    {"preamble": ("第1页",)},
    {"preamble": ("索引号：11410300MB1234567X/2024-00012", "发布日期：2025-01-20")},
    {"preamble": ("发文机关：某某局",)},
    {"blanks": ("", "-", "—", "/", "无")},
    {"numbering": "1、"},
    {"numbering": "1．"},
    {"numbering": "（1）"},
    {"numbering": "(1)"},
    {"number_space": True},
    {"appeal_words": "short"},
    {"header_breaks": "word"},
    {"header_breaks": "any"},
    {"label_wrap": 5},
    {"label_wrap": 9},
    {"label_wrap": 14},
    {"fullwidth": True},
    {"thousands": True},
    {"money": "yuan"},
    {"money": "wan"},
    {"typo": True},
    {"split_header": True},
]
TITLE_CUTS = [(c,) for c in (1, 2, 3, 5, 8, 11, 14, 17, 20)] + [(4, 12), (2, 21)]

PDF_SWITCHES = (
    [{"size": s} for s in (9, 10, 10.5, 11, 12)]
    + [{"label_widths": w} for w in ((30, 40, 50), (40, 40, 40), (120, 120, 150), (28, 80, 28))]
    + [
        {"align": "left"},
        {"align": "right"},
        {"header_align": "left"},
        {"valign": "middle"},
        {"value_valign": "middle"},
        {"valign": "middle", "value_valign": "middle"},
        {"group_span": True},
        {"group_span": True, "valign": "middle"},
        {"active_merge": True},
        {"pad": 1.5},
        {"pad": 5.0},
        {"leading": 1.0},
        {"leading": 4.0},
        {"row_height": 22},
        {"table_width": 420},
        {"text_objects": "row"},
        {"single_char_objects": True},
        {"digit_font": "Times-Roman"},
        {"digit_font": "Helvetica"},
        {"page_mark": "— {n} —"},
        {"page_mark": "第{n}页"},
        {"running_header": "{title}"},  # the report's own title on every page
    ]
    + [{"breaks": ((3, r),)} for r in range(1, 28)]
    + [{"breaks": ((3, r),), "repeat_header": True} for r in range(1, 28, 3)]
    + [{"breaks": ((2, r),)} for r in range(1, 14, 2)]
    + [{"breaks": ((4, r),)} for r in (1, 2, 3)]
    + [{"breaks": ((3, r),), "split": ((3, r),), "size": 11} for r in range(3, 28, 2)]
    + [
        {"breaks": ((3, r),), "group_span": True, "valign": "middle", "repeat_labels": rl}
        for r in (8, 12, 16, 21)
        for rl in (False, True)
    ]
)

TEXT_SWITCHES = (
    [{"breaks": ((3, r),)} for r in range(1, 28, 2)]
    + [{"breaks": ((3, r),), "repeat_header": True} for r in range(1, 28, 4)]
    + [{"breaks": ((2, r),)} for r in (2, 5, 9)]
    + [{"breaks": ((4, r),)} for r in (1, 2, 3)]
    + [{"appeal_chunk": n} for n in (3, 5, 8)]
    + [{"page_mark": m} for m in ("", "第{n}页", "— {n} —")]
    + [{"empty_header": False, "breaks": ((3, 12),)}]
    + [{"title_heading": h} for h in ("bold", "plain")]
)
# TextStyle switches that need a Style switch to show
TEXT_WITH_STYLE = [
    ({"cell_breaks": cb}, {"header_breaks": "word"}) for cb in ("join", "br", "rows")
] + [
    ({"cell_breaks": "rows", "values_at": at}, {"label_wrap": 9})
    for at in ("first", "middle", "last")
]

HTML_SWITCHES = (
    [{"fragment": True}, {"title_split": "br"}, {"markup": "word"}, {"title_in": "title"}]
    + [{"breaks": ((3, r),)} for r in range(1, 28, 3)]
    + [{"breaks": ((3, r),), "repeat_header": True} for r in range(1, 28, 5)]
    + [{"breaks": ((3, r),), "repeat_labels": False} for r in (8, 12, 16, 21)]
    + [{"breaks": ((2, r),)} for r in (2, 5, 9)]
    + [{"breaks": ((4, r),)} for r in (1, 2, 3)]
)
DOCX_SWITCHES = (
    [{"title_split": "break"}, {"wrapped": True}, {"list_headings": True}]
    + [{"breaks": ((3, r),)} for r in range(1, 28, 3)]
    + [{"breaks": ((3, r),), "repeat_header": True} for r in range(1, 28, 5)]
    + [{"breaks": ((3, r),), "repeat_labels": False} for r in (8, 12, 16, 21)]
    + [{"breaks": ((2, r),)} for r in (2, 5, 9)]
    + [{"breaks": ((4, r),)} for r in (1, 2, 3)]
)
DOCX_WITH_STYLE = [({"cell_breaks": "break"}, {"header_breaks": "word"})]
TRUTH_SWITCHES = ["blank_cells", "blank_rows", "blank_tables", "blank_all", "source_error"]
TRUTH_SWITCHES += ["mixed_single_other_row", "2019_three_other_rows", "adopter"]


def truths(n: int) -> Iterator[Truth]:
    """Return n plain truths per template."""
    for k in range(n):
        for template in ("2021", "2019"):
            yield random_truth(random.Random(1000 + k), template, agency="青山湖区自然资源局")


def truth_variant(name: str, k: int) -> Truth:
    """Given a truth-level switch, return a truth that has it."""
    rng = random.Random(2000 + k)
    template = "2019" if k % 2 else "2021"
    if name == "mixed_single_other_row":
        return random_truth(rng, "2021", other_rows=1, agency="青山湖区自然资源局")
    if name == "2019_three_other_rows":
        return random_truth(rng, "2019", other_rows=3, agency="青山湖区自然资源局")
    if name == "adopter":
        year = 2020 if template == "2021" else 2023
        return random_truth(rng, template, agency="青山湖区自然资源局", year=year)
    truth = random_truth(rng, template, agency="青山湖区自然资源局")
    if name == "source_error":
        inject_error(truth, rng)
    else:
        blank_zeros(truth, rng, name.removeprefix("blank_"), share=0.6)
    return truth


def base_options(fmt: str):
    if fmt.startswith("pdf"):
        return PdfStyle(ruled=fmt == "pdf-ruled", prose_paras=0)
    if fmt in ("txt", "md"):
        return TextStyle()
    return {}


def with_options(fmt: str, options, change: dict):
    if dataclasses.is_dataclass(options):
        return dataclasses.replace(options, **change)
    return {**options, **change}


def trials(fmt: str, n: int) -> Iterator[tuple[str, Case]]:
    """Yield (switch label, case) for every single switch that applies to a format."""
    base = base_options(fmt)
    style_switches = STYLE_SWITCHES + [{"title_cuts": c} for c in TITLE_CUTS]
    style_switches += [{"title_cuts": c, "year_cn": True} for c in ((3,), (6,))]
    for change in style_switches:
        if "label_wrap" in change and fmt.startswith("pdf"):
            continue
        for truth in truths(n):
            yield str(change), Case(fmt, truth, Style(**change), base)
    fmt_switches = {
        "pdf-ruled": PDF_SWITCHES,
        "pdf-unruled": PDF_SWITCHES,
        "txt": TEXT_SWITCHES,
        "md": TEXT_SWITCHES,
        "html": HTML_SWITCHES,
        "docx": DOCX_SWITCHES,
    }[fmt]
    for change in fmt_switches:
        for truth in truths(n):
            own = change
            if change.get("running_header") == "{title}":
                own = {"running_header": truth.title}
            yield str(own), Case(fmt, truth, Style(), with_options(fmt, base, own))
    paired = {"txt": TEXT_WITH_STYLE, "md": TEXT_WITH_STYLE, "docx": DOCX_WITH_STYLE}
    for change, style in paired.get(fmt, []):
        for truth in truths(n):
            label = f"{change} with {style}"
            yield label, Case(fmt, truth, Style(**style), with_options(fmt, base, change))
    for name in TRUTH_SWITCHES:
        for k in range(2 * n):
            yield name, Case(fmt, truth_variant(name, k), Style(), base)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--truths", type=int, default=1, help="truths per template (default 1)")
    ap.add_argument("--only", default="", help="only switches whose label contains this")
    args = ap.parse_args(argv)
    for fmt in args.formats.split(","):
        seen = bad = 0
        last = None
        for label, case in trials(fmt, args.truths):
            if args.only and args.only not in label:
                continue
            seen += 1
            score = run_case(case, f"{fmt}:{label}")
            if score.failed:
                bad += 1
                t = case.truth
                print(f"{fmt} {label} [{t.template}/{t.other_rows}row]: {score.reason()[:300]}")
                if label != last:
                    print(f"    attempts: {' '.join(score.attempts)}")
                last = label
        print(f"== {fmt}: {bad} of {seen} single-switch documents fail")
    return 0


if __name__ == "__main__":
    sys.exit(main())
