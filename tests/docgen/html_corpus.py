"""The generated HTML and DOCX corpus shared by the round-trip tests and the accuracy bench.

Each case is one document: a Truth from a seed, a Style of number quirks, and
the renderer's options (markup, encoding, charset declaration, split tables ...).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from tests.docgen.layout import Style
from tests.docgen.truth import Truth, random_truth

STYLES = [
    Style(),
    Style(fullwidth=True, blank="—", money="yuan"),
    Style(thousands=True, blank="无", money="wan", year_cn=True),
    Style(typo=True, blank="-"),
    Style(split_header=True, blank="/"),
]

HTML_VARIANTS = [
    {"markup": "cms", "encoding": "utf-8", "charset": "meta"},
    {"markup": "cms", "encoding": "gbk", "charset": "meta"},
    {"markup": "cms", "encoding": "gbk", "charset": "none", "split_tables": True},
    {"markup": "cms", "encoding": "gbk", "charset": "wrong"},
    {"markup": "cms", "encoding": "utf-8", "charset": "wrong", "title_in": "title"},
    {"markup": "cms", "encoding": "gbk", "charset": "meta", "layout_tables": True},
    {"markup": "word", "encoding": "gbk", "charset": "meta", "split_tables": True},
    {"markup": "word", "encoding": "gbk", "charset": "none", "heading_typo": True},
    {"markup": "word", "encoding": "gbk", "charset": "big5", "split_tables": True},
    {"markup": "word", "encoding": "utf-8", "charset": "meta"},
    {"markup": "word", "encoding": "utf-8", "charset": "none", "split_tables": True},
]

DOCX_VARIANTS = [
    {},
    {"split_tables": True},
    {"wrapped": True},
    {"wrapped": True, "split_tables": True},
    {"list_headings": True, "split_tables": True},
]


@dataclass(frozen=True)
class Case:
    """One generated document: its format, template, seed, style and renderer options."""

    fmt: str  # 'html' | 'docx'
    template: str
    seed: int
    style: Style
    options: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        opts = "-".join(f"{k}={v}" for k, v in self.options.items()) or "plain"
        return f"{self.fmt}-{self.template}-s{self.seed}-{opts}"

    def truth(self) -> Truth:
        return random_truth(
            random.Random(self.seed), self.template, blank_share=0.3 if self.seed % 2 else 0.0
        )

    def render(self) -> tuple[bytes, str]:
        """Return the document's bytes and a file name for it."""
        if self.fmt == "html":
            from tests.docgen.html import render_html

            return render_html(self.truth(), self.style, seed=self.seed, **self.options), "r.html"
        from tests.docgen.docx import render_docx

        return render_docx(self.truth(), self.style, seed=self.seed, **self.options), "r.docx"


def cases(html_seeds: int = 3, docx_seeds: int = 5, first_seed: int = 0) -> Iterator[Case]:
    """Yield the corpus: every variant x both templates x seeds, styles in rotation."""
    n = 0
    for fmt, variants, seeds in (
        ("html", HTML_VARIANTS, html_seeds),
        ("docx", DOCX_VARIANTS, docx_seeds),
    ):
        for options in variants:
            for template in ("2021", "2019"):
                for seed in range(first_seed, first_seed + seeds):
                    yield Case(fmt, template, seed, STYLES[n % len(STYLES)], options)
                    n += 1
