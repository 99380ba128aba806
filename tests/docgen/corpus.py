"""A generated corpus for the analyst layer: 12 agencies in Henan, Hebei and Zhejiang,
2020-2022 (2020 on the 2019 template), numbers rolling forward year to year, with a few
deliberate faults; written as text reports plus a manifest CSV with region codes.

    python -m tests.docgen.corpus OUT_DIR    # then: xxgk ingest OUT_DIR/manifest.csv
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

from tests.docgen.layout import Style
from tests.docgen.series import set_carried_over, truth_series
from tests.docgen.text import render_text

YEARS = [2020, 2021, 2022]
# name as the manifest's documents title it, region code given by the manifest
AGENCIES = [
    ("河南省自然资源厅", "410000"),
    ("郑州市金水区人民政府", "410105"),
    ("郑州市金水区教育局", "410105"),
    ("郑州市金水区卫生健康委员会", "410105"),
    ("洛阳市生态环境局", "410300"),
    ("偃师区科学技术局", "410307"),
    ("新乡县教育局", "410721"),
    ("河北省教育厅", "130000"),
    ("保定市科学技术局", "130600"),
    ("石家庄市长安区人民政府", "130102"),
    ("石家庄市长安区教育局", "130102"),
    ("杭州市市场监督管理局", "330100"),
]
PROVINCES = {"410000": "河南省", "130000": "河北省", "330000": "浙江省"}
LEVEL = {"410000": "provincial", "130000": "provincial", "410300": "prefecture"}
LEVEL |= {"130600": "prefecture", "330100": "prefecture"}
PREFECTURES = {"410100": "郑州市", "410300": "洛阳市", "410700": "新乡市"}
PREFECTURES |= {"130600": "保定市", "130100": "石家庄市", "330100": "杭州市"}
ABBREVIATED = ("偃师区科学技术局", 2022, "区科技局")  # this document's heading uses the short name
BROKEN_CARRY = ("保定市科学技术局", 2022, "natural_person")  # carried_over one more than last year
BROKEN_ROLL = ("杭州市市场监督管理局", 2022, "regulations")  # in_force three more than it rolls to
INCONSISTENT = ("新乡县教育局", 2021)  # table 四's review total is off by two


def make_truths():
    """Return {(agency, year): Truth} with the deliberate faults above applied."""
    rng = random.Random(7)
    truths = {}
    for name, _ in AGENCIES:
        for t in truth_series(rng, name, YEARS):
            truths[(name, t.year)] = t
    name, year, applicant = BROKEN_CARRY
    t = truths[(name, year)]
    set_carried_over(t, applicant, t.requests[("carried_over", applicant)] + 1)
    name, year, item = BROKEN_ROLL
    truths[(name, year)].active[(item, "in_force")] += 3
    truths[INCONSISTENT].appeals[("review", "total")] += 2
    return truths


TRUTHS = make_truths()


def write_corpus(root: Path, truths: dict = TRUTHS) -> Path:
    """Given a folder, write one text report per truth, an empty file and a manifest; return it."""
    root.mkdir(parents=True, exist_ok=True)
    region = dict(AGENCIES)
    lines = ["path,region_code,year"]
    for i, ((name, year), truth) in enumerate(sorted(truths.items())):
        path = root / f"r{i:02d}.txt"
        heading = ABBREVIATED[2] if (name, year) == ABBREVIATED[:2] else name
        shown = replace(truth, agency=heading)  # the title names it as the heading does
        path.write_bytes(
            render_text(shown, Style(swallow=i % 2 == 0), fmt="tab" if i % 3 else "pipe")
        )
        lines.append(f"{path},{region[name]},{year}")
    (root / "empty.txt").write_bytes(b"")
    lines.append(f"{root / 'empty.txt'},,")
    manifest = root / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    print(write_corpus(Path(sys.argv[1])))
