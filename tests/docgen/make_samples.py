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


if __name__ == "__main__":
    main()
