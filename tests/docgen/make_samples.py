"""Write the bundled generated samples in data/samples/ (run: python -m tests.docgen.make_samples)."""

from __future__ import annotations

import random
from pathlib import Path

from tests.docgen.layout import Style
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def main() -> None:
    specs = [
        (
            "generated_2021_zhengzhou_jinshui.md",
            "2021",
            "郑州市金水区人民政府",
            2023,
            Style(),
            "pipe",
        ),
        (
            "generated_2019_luoyang_eco.txt",
            "2019",
            "洛阳市生态环境局",
            2020,
            Style(swallow=True, split_header=True),
            "tab",
        ),
    ]
    for i, (name, template, agency, year, style, fmt) in enumerate(specs):
        truth = random_truth(random.Random(100 + i), template, agency=agency, year=year)
        (SAMPLES / name).write_bytes(render_text(truth, style, fmt=fmt))
    # A ruled PDF whose table 三 breaks across pages, as WPS and Word export them.
    from tests.docgen.pdf import PdfStyle, render_pdf

    truth = random_truth(random.Random(110), "2021", agency="河南省自然资源厅", year=2024)
    pdf = render_pdf(truth, Style(thousands=True), PdfStyle(ruled=True, split_row=True))
    (SAMPLES / "generated_2021_henan_natural_resources.pdf").write_bytes(pdf)


if __name__ == "__main__":
    main()
