"""The quality report's rendering, from hand-made frames (no database)."""

import re

import pandas as pd

from quality.html import bars_to_svg, render_quality_html, slug

REPORTS = pd.DataFrame(
    [
        ("r1", "a", "甲局", 2021, "2021", "valid", "f1", "410000", "河南省", None),
        (
            "r2",
            "b",
            "乙局",
            2021,
            "2021",
            "inconsistent",
            "f2",
            "410000",
            "河南省",
            "appeals_total",
        ),
        ("r3", "b", "乙局", 2022, "2021", "partial", "f3", None, "(no region)", None),
    ],
    columns=[
        "report_id",
        "agency_id",
        "agency_name",
        "year",
        "template",
        "status",
        "source_uri",
        "province_code",
        "province_name",
        "failed_checks",
    ],
)
FAILED = pd.DataFrame(
    [("appeals_total", "error", "r2", 1)],
    columns=["check_code", "severity", "report_id", "subjects"],
)
FAILURES = pd.DataFrame(
    [
        (1, "x.pdf", None, "extract", "encrypted", "d", None),
        (2, "y.txt", None, "extract", "empty_file", "", None),
    ],
    columns=["failure_no", "source_uri", "sha256", "stage", "error", "detail", "occurred_at"],
)


def test_bars_link_and_scale():
    svg = bars_to_svg([("valid", 4, "#status-valid", "#000"), ("partial", 1, "#p", "#000")])
    widths = [int(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="(\d+)"', svg)]
    assert widths == [390, 98]  # 520 wide less labels and value text; 1/4 of the longest
    assert svg.count("<a href=") == 2 and 'href="#status-valid"' in svg


def test_page_links_every_figure_to_reports():
    page = render_quality_html(REPORTS, FAILED, FAILURES, generated_at="now")
    ids = set(re.findall(r'id="([^"]+)"', page))
    hrefs = re.findall(r'href="#([^"]+)"', page)
    assert set(hrefs) <= ids
    assert 'href="#cov-河南省-2021"><title>河南省 2021: 2</title>' in page
    assert "<h3>(no region) 2022: 1 reports</h3>" in page
    assert "<h3>appeals_total (error): failed in 1 reports</h3>" in page
    assert re.search(
        r'<h3>encrypted: 1 sources</h3><ul class="links"><li><a href="#failure-row-1">x.pdf', page
    )
    assert page.count("<svg") == 4 and "<script" not in page
    assert slug("(no region)") == "no-region"


def test_empty_warehouse_renders():
    empty = render_quality_html(REPORTS.iloc[0:0], FAILED.iloc[0:0], FAILURES.iloc[0:0])
    assert "No report loaded." in empty and "No check failed." in empty
