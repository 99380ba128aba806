"""Write the generated HTML and DOCX samples in data/samples/.

Run: python -m tests.docgen.make_html_docx_samples
"""

from __future__ import annotations

import random

from tests.docgen.docx import render_docx
from tests.docgen.html import render_html
from tests.docgen.layout import Style
from tests.docgen.make_samples import SAMPLES
from tests.docgen.truth import Truth, random_truth

HTML_SAMPLE = "generated_2021_xinxiang_edu_gbk.html"
DOCX_SAMPLE = "generated_2019_kaifeng_market.docx"


def html_truth() -> Truth:
    return random_truth(random.Random(200), "2021", agency="新乡县教育局", year=2022)


def docx_truth() -> Truth:
    return random_truth(random.Random(201), "2019", agency="开封市市场监督管理局", year=2019)


def main() -> None:
    # A CMS article page in GBK with no charset declared, tables broken in two.
    html = render_html(
        html_truth(), Style(), markup="cms", encoding="gbk", charset="none", split_tables=True
    )
    (SAMPLES / HTML_SAMPLE).write_bytes(html)
    docx = render_docx(docx_truth(), Style(blank="-"), split_tables=True)
    (SAMPLES / DOCX_SAMPLE).write_bytes(docx)


if __name__ == "__main__":
    main()
