"""A static, offline HTML quality report: inline SVG charts, no script, no network.

Every bar and grid cell links to a list of the reports (or failures) behind it,
and every listed report links to its row in the table of all reports.
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd

STATUS_COLOURS = {"valid": "#2e7d32", "inconsistent": "#f9a825", "partial": "#c62828"}
CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","WenQuanYi Micro Hei",sans-serif;
margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}
h3{font-size:15px;margin-bottom:4px}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:2px 6px}
th{background:#f3f3f3}.num{text-align:right}.muted{color:#777;font-size:12px}
.figs{display:flex;flex-wrap:wrap;gap:24px}figure{margin:0}figcaption{font-weight:bold}
svg a:hover rect{opacity:.7}:target{background:#fff6c0}
ul.links{columns:3;font-size:12px}
"""


def slug(text: object) -> str:
    """Given any label, return a string safe inside an HTML id or fragment."""
    return re.sub(r"[^0-9A-Za-z_\u4e00-\u9fff-]+", "-", str(text)).strip("-") or "none"


def text_width(text: str, size: int = 12) -> int:
    """Given a label, return roughly how many pixels wide it draws (CJK glyphs are square)."""
    return sum(size if ord(ch) > 0x2E80 else round(size * 0.6) for ch in text)


def bars_to_svg(items: list[tuple[str, int, str, str]], width: int = 520) -> str:
    """Given (label, value, href, colour) bars, return a horizontal bar chart as inline SVG."""
    row = 22
    label_w = max([80] + [text_width(label) + 12 for label, *_ in items])
    width = max(width, label_w + 200)
    top = max([v for _, v, _, _ in items] + [1])
    height = row * len(items) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" font-size="12">'
    ]
    for i, (label, value, href, colour) in enumerate(items):
        y = 4 + i * row
        w = max(1, round((width - label_w - 50) * value / top))
        parts.append(
            f'<a href="{escape(href)}"><title>{escape(label)}: {value}</title>'
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{w}" height="{row - 6}" fill="{colour}"/>'
            f'<text x="{label_w + w + 4}" y="{y + 14}">{value}</text></a>'
        )
    parts.append("</svg>")
    return "".join(parts)


def grid_to_svg(
    rows: list[str], cols: list[str], cells: dict[tuple[str, str], tuple[int, str]]
) -> str:
    """Given row and column labels and (row, col) -> (count, href), return a heat grid as SVG."""
    cw, ch, head = 64, 24, 24
    label_w = max([80] + [text_width(r) + 12 for r in rows])
    top = max([n for n, _ in cells.values()] + [1])
    width, height = label_w + cw * len(cols) + 4, head + ch * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" font-size="12">'
    ]
    for j, col in enumerate(cols):
        x = label_w + j * cw + cw / 2
        parts.append(f'<text x="{x}" y="16" text-anchor="middle">{escape(col)}</text>')
    for i, row in enumerate(rows):
        y = head + i * ch
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(row)}</text>')
        for j, col in enumerate(cols):
            x = label_w + j * cw
            n, href = cells.get((row, col), (0, ""))
            shade = round(235 - 170 * n / top) if n else 250
            fill = f"rgb({shade},{shade + 10 if shade < 245 else 250},255)"
            cell = (
                f'<rect x="{x + 1}" y="{y + 1}" width="{cw - 2}" height="{ch - 2}" fill="{fill}" '
                f'stroke="#ccc"/><text x="{x + cw / 2}" y="{y + 16}" text-anchor="middle">'
                f"{n if n else ''}</text>"
            )
            if n:
                cell = f'<a href="{escape(href)}"><title>{escape(row)} {col}: {n}</title>{cell}</a>'
            parts.append(cell)
    parts.append("</svg>")
    return "".join(parts)


def _report_links(reports: pd.DataFrame) -> str:
    items = [
        f'<li><a href="#report-{escape(str(r.report_id))}">{escape(str(r.agency_name))} '
        f"{r.year}</a> ({escape(str(r.status))})</li>"
        for r in reports.itertuples()
    ]
    return '<ul class="links">' + "".join(items) + "</ul>"


def _section(anchor: str, heading: str, body: str) -> str:
    return f'<div id="{escape(anchor)}"><h3>{escape(heading)}</h3>{body}</div>'


def coverage_part(reports: pd.DataFrame) -> tuple[str, str]:
    """Given the reports frame, return (figure, detail lists) for coverage by province and year."""
    if reports.empty:
        return "<p>No report loaded.</p>", ""
    years = [str(y) for y in sorted(reports["year"].unique())]
    provinces = sorted(reports["province_name"].unique())
    cells: dict[tuple[str, str], tuple[int, str]] = {}
    details = []
    for (prov, year), group in reports.groupby(["province_name", "year"]):
        anchor = f"cov-{slug(prov)}-{year}"
        cells[(str(prov), str(year))] = (len(group), f"#{anchor}")
        details.append(
            _section(anchor, f"{prov} {year}: {len(group)} reports", _report_links(group))
        )
    return grid_to_svg(provinces, years, cells), "".join(details)


def status_part(reports: pd.DataFrame) -> tuple[str, str]:
    """Given the reports frame, return (figure, detail lists) for reports by status."""
    items, details = [], []
    for status in ("valid", "inconsistent", "partial"):
        group = reports[reports["status"] == status]
        items.append((status, len(group), f"#status-{status}", STATUS_COLOURS[status]))
        details.append(
            _section(f"status-{status}", f"{status}: {len(group)} reports", _report_links(group))
        )
    return bars_to_svg(items), "".join(details)


def checks_part(reports: pd.DataFrame, failed: pd.DataFrame, top: int = 10) -> tuple[str, str]:
    """Given reports and failed checks, return (figure, details) for the most-failed checks."""
    if failed.empty:
        return "<p>No check failed.</p>", ""
    counts = (
        failed.groupby(["check_code", "severity"])["report_id"]
        .nunique()
        .reset_index(name="reports")
        .sort_values(["reports", "check_code"], ascending=[False, True])
        .head(top)
    )
    items, details = [], []
    for code, severity, n in counts.itertuples(index=False, name=None):
        colour = "#c62828" if severity == "error" else "#f9a825"
        label = f"{code} ({severity})"
        items.append((label, int(n), f"#check-{code}", colour))
        ids = set(failed.loc[failed["check_code"] == code, "report_id"])
        details.append(
            _section(
                f"check-{code}",
                f"{label}: failed in {n} reports",
                _report_links(reports[reports["report_id"].isin(ids)]),
            )
        )
    return bars_to_svg(items), "".join(details)


def failures_part(failures: pd.DataFrame) -> tuple[str, str]:
    """Given the failures frame, return (figure, details) for failures by error code."""
    if failures.empty:
        return "<p>No source failed.</p>", ""
    items, details = [], []
    for error, group in failures.groupby("error"):
        items.append((f"{error}", len(group), f"#failure-{slug(error)}", "#6d4c41"))
        links = "".join(
            f'<li><a href="#failure-row-{f.failure_no}">{escape(str(f.source_uri))}</a></li>'
            for f in group.itertuples()
        )
        details.append(
            _section(
                f"failure-{slug(error)}",
                f"{error}: {len(group)} sources",
                f'<ul class="links">{links}</ul>',
            )
        )
    items.sort(key=lambda i: (-i[1], i[0]))
    return bars_to_svg(items), "".join(details)


def _table(frame: pd.DataFrame, columns: list[str], id_prefix: str, id_column: str) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for r in frame.itertuples():
        tds = "".join(
            f"<td>{'' if pd.isna(getattr(r, c)) else escape(str(getattr(r, c)))}</td>"
            for c in columns
        )
        body.append(f'<tr id="{escape(id_prefix + str(getattr(r, id_column)))}">{tds}</tr>')
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


# (figure id, caption, heading of its details) of each figure, in page order
FIGURES = (
    ("fig-coverage", "Coverage: reports by province and year", "Coverage by province and year"),
    ("fig-status", "Reports by status", "Reports by status"),
    ("fig-checks", "Most-failed checks (reports)", "Most-failed checks"),
    ("fig-failures", "Failed sources by error code", "Failures by error code"),
)
REPORT_COLUMNS = [
    "agency_name",
    "agency_id",
    "province_name",
    "year",
    "template",
    "status",
    "failed_checks",
    "source_uri",
]
FAILURE_COLUMNS = ["source_uri", "stage", "error", "detail"]


def render_quality_html(
    reports: pd.DataFrame,
    failed_checks: pd.DataFrame,
    failures: pd.DataFrame,
    *,
    title: str = "xxgk data quality",
    generated_at: str = "",
) -> str:
    """Given the quality frames (load/quality.py), return the whole report as one HTML page."""
    parts = [
        coverage_part(reports),
        status_part(reports),
        checks_part(reports, failed_checks),
        failures_part(failures),
    ]
    html = [
        *page_head(title, frames_to_summary(reports, failures), generated_at),
        *parts_to_figures(parts),
        *parts_to_details(parts),
        "<h2>All reports</h2>",
        _table(reports, REPORT_COLUMNS, "report-", "report_id"),
        "<h2>All failures</h2>",
        _table(failures, FAILURE_COLUMNS, "failure-row-", "failure_no"),
        "</body></html>",
    ]
    return "\n".join(html)


def frames_to_summary(reports: pd.DataFrame, failures: pd.DataFrame) -> str:
    """Given the reports and failures frames, return the one-line summary of the page."""
    agencies = reports["agency_id"].nunique() if len(reports) else 0
    return f"{len(reports)} reports from {agencies} agencies; {len(failures)} sources failed."


def page_head(title: str, summary: str, generated_at: str) -> list[str]:
    """Given the title, the summary and when the page was generated, return its opening lines."""
    return [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1><p>{escape(summary)}</p>",
        f'<p class="muted">Generated {escape(generated_at)}. Click a bar or a cell for the '
        "reports behind it.</p>",
    ]


def parts_to_figures(parts: list[tuple[str, str]]) -> list[str]:
    """Given each figure's (svg, details) in FIGURES order, return the lines of the figures."""
    return [
        '<div class="figs">',
        *(
            f'<figure id="{fid}"><figcaption>{escape(caption)}</figcaption>{svg}</figure>'
            for (fid, caption, _), (svg, _) in zip(FIGURES, parts, strict=True)
        ),
        "</div>",
    ]


def parts_to_details(parts: list[tuple[str, str]]) -> list[str]:
    """Given each figure's (svg, details) in FIGURES order, return the details, each under its
    heading."""
    return [
        line
        for (_, _, heading), (_, details) in zip(FIGURES, parts, strict=True)
        for line in (f"<h2>{heading}</h2>", details)
    ]
