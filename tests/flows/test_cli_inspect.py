"""`xxgk inspect FILE` and `xxgk show AGENCY YEAR` on generated documents of every format:
the exact values, raw texts and identities in the template's layout; boxes drawn on PDF
pages at the stored bboxes; an HTML page coloured by check; show prints what inspect did."""

from __future__ import annotations

import io
import json
import math
import random
import re
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from lxml import html as lxml_html
from PIL import Image
from typer.testing import CliRunner

from flows.cli import app
from flows.inspect import report_to_records
from quality.pages import BOX_COLOURS, PageSettings, margin_lines, page_to_boxed
from quality.view import records_to_view
from spec import codes
from spec.identities import check_terms, report_checks
from tests.docgen.docx import render_docx
from tests.docgen.html import render_html
from tests.docgen.layout import Style, count_text, money_text
from tests.docgen.pdf import PdfStyle, render_pdf
from tests.docgen.text import render_text
from tests.docgen.truth import AGENCIES, random_truth

WIDE = {"COLUMNS": "220"}  # no table wraps: one line per row
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# (file name, template, Style, render(truth, style) -> bytes)
DOCUMENTS = [
    ("r.md", "2021", Style(), lambda t, s: render_text(t, s, fmt="pipe")),
    ("r.txt", "2019", Style(blank="-"), lambda t, s: render_text(t, s, fmt="tab")),
    ("ruled.pdf", "2021", Style(thousands=True), lambda t, s: render_pdf(t, s, PdfStyle())),
    (
        "unruled.pdf",
        "2019",
        Style(blank="—", fullwidth=True, money="yuan"),
        lambda t, s: render_pdf(t, s, PdfStyle(ruled=False, split_row=True)),
    ),
    ("cms.html", "2021", Style(blank="/", money="wan"), lambda t, s: render_html(t, s)),
    ("word.html", "2019", Style(), lambda t, s: render_html(t, s, markup="word", encoding="gbk")),
    ("r.docx", "2021", Style(blank="-"), lambda t, s: render_docx(t, s, split_tables=True)),
]


def invoke(*args: str, expect: int = 0):
    result = CliRunner().invoke(app, list(args), env=WIDE, catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result


def shown(value, raw: str) -> str:
    """What a cell's place shows: the value, and the text as found where it differs."""
    text = "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))
    same = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)) == text
    return text if same else f"{text} ‹{raw}›".strip()


def expected_cells(truth, style: Style) -> dict[tuple[str, str, str], str]:
    """Given a Truth and its style, return (table, row, col) -> what the cell must show."""
    out = {}
    for (r, a), v in truth.requests.items():
        out[("requests", r, a)] = shown(v, count_text(v, style))
    for (p, o), v in truth.appeals.items():
        out[("appeals", p, o)] = shown(v, count_text(v, style))
    units = {(c.item, c.metric): c.unit for c in codes.active_cells(truth.template)}
    for key, v in truth.active.items():
        raw = money_text(v, style) if units[key] == "万元" else count_text(v, style)
        out[("active", *key)] = shown(v, raw)
    return out


def truth_checks(truth) -> list[tuple]:
    checks = report_checks(truth.requests, truth.appeals)
    return sorted((c.check_code, c.subject, c.expected, c.actual, c.passed) for c in checks)


def text_rows(output: str) -> list[list[str]]:
    """Given printed rich tables, return every table line's cells, stripped."""
    return [
        [c.strip() for c in line.strip()[1:-1].split("│")]
        for line in output.splitlines()
        if line.startswith("│")
    ]


def view_cells(report: dict) -> dict[tuple[str, str, str], dict]:
    """Given the JSON view, return (table, row, col) -> the cell, for every template cell."""
    return {
        (t["table"], c["row"], c["col"]): c
        for t in report["tables"]
        for b in t["blocks"]
        for r in b["rows"]
        for c in r["cells"]
    }


@pytest.mark.parametrize(
    ("name", "template", "style", "render"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS]
)
def test_inspect_prints_exact_values_and_identities(tmp_path, name, template, style, render):
    truth = random_truth(random.Random(7), template, blank_share=0.3, consistent=False)
    path = tmp_path / name
    path.write_bytes(render(truth, style))
    expected = expected_cells(truth, style)

    report = json.loads(invoke("inspect", str(path), "--json").stdout)["report"]
    cells = view_cells(report)
    assert {k: shown(c["value"], c["raw"]) for k, c in cells.items()} == expected
    notes = {
        k: f"{c['text']} ‹{c['note']}›".strip() if c["note"] else c["text"]
        for k, c in cells.items()
    }
    assert notes == expected
    identities = sorted(
        (i["check_code"], i["subject"], i["expected"], i["actual"], i["passed"])
        for i in report["identities"]
    )
    assert identities == truth_checks(truth) and not all(i[-1] for i in identities)
    heading = report["heading"]
    assert (heading["agency_name"], heading["year"], heading["template"]) == (
        truth.agency,
        truth.year,
        template,
    )
    assert [t["read"] for t in report["tables"]] == [t["expected"] for t in report["tables"]]

    text = invoke("inspect", str(path)).stdout
    rows = text_rows(text)
    by_code = {r[0]: r for r in rows if r[0]}
    for (table, row, col), want in expected.items():
        cols = [c for b in _blocks(report, table) for c in b["columns"] if row in _row_codes(b)]
        line = by_code[row]
        assert line[2 + [c["code"] for c in cols].index(col)] == want, (table, row, col)
    printed = sorted(
        (r[0], r[1], float(r[3]), float(r[5]), r[6] == "pass")
        for r in rows
        if r[0] in ("requests_balance", "requests_outcomes", "requests_row_total", "appeals_total")
    )
    assert printed == truth_checks(truth)
    assert f"status        {report['status']}" in text


def _blocks(report: dict, table: str) -> list[dict]:
    return next(t["blocks"] for t in report["tables"] if t["table"] == table)


def _row_codes(block: dict) -> list[str]:
    return [r["code"] for r in block["rows"]]


@pytest.mark.parametrize("ruled", [True, False])
def test_png_boxes_every_cell_at_its_stored_bbox(tmp_path, ruled):
    """Each page PNG has a box in the cell's colour around the stored bbox scaled to the
    render, and cropping the PDF at that bbox gives the cell's raw text."""
    truth = random_truth(random.Random(3), "2021", blank_share=0.3, consistent=False)
    data = render_pdf(
        truth, Style(thousands=True, blank="-"), PdfStyle(ruled=ruled, split_row=True)
    )
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    result = invoke("inspect", str(path), "--json", "--png", str(tmp_path / "png"))
    report = json.loads(result.stdout)["report"]
    cells = [c for c in view_cells(report).values() if c["state"] != "unread"]
    pages = sorted({c["page"] for c in cells})
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == [
        f"r.page-{n}.png" for n in pages
    ]
    assert {c["state"] for c in cells} >= {"pass", "fail", "blank", "unchecked"}

    scale, width = PageSettings().scale, PageSettings().box_width
    pdf = pdfplumber.open(io.BytesIO(data))
    for page in pages:
        image = Image.open(tmp_path / "png" / f"r.page-{page}.png").convert("RGB")
        boxed = [c for c in cells if c["page"] == page and c["bbox"]]
        assert boxed
        for c in boxed:
            x0, top, x1, bottom = c["bbox"]
            crop = pdf.pages[page - 1].crop((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5))
            assert crop.extract_text().replace("\n", "") == c["raw"], c
            left, right = math.floor(x0 * scale) - 1, math.ceil(x1 * scale) + width - 1
            upper, lower = math.floor(top * scale) - 1, math.ceil(bottom * scale) + width - 1
            mid_x, mid_y = round((x0 + x1) / 2 * scale), round((top + bottom) / 2 * scale)
            colour = BOX_COLOURS[c["state"]]
            border = [(left, mid_y), (right, mid_y), (mid_x, upper), (mid_x, lower)]
            assert [image.getpixel(p) for p in border] == [colour] * 4, c
    assert all(c["bbox"] for c in cells if c["raw"]), "every cell with text has a box"


def test_unread_cells_are_marked_and_listed_in_the_margin(tmp_path):
    from extract.pdf import pdf_to_report

    truth = random_truth(random.Random(4), "2021")
    report = pdf_to_report(render_pdf(truth, Style(), PdfStyle()))
    lost = {("requests", "new_received", "total"), ("requests", "granted", "commercial")}
    report = replace(report, cells=[c for c in report.cells if (c.table, c.row, c.col) not in lost])
    view = records_to_view(report_to_records(report, "mem://r.pdf", "0" * 64))

    requests = view.tables[1]
    assert requests.unread == ("new_received/total", "granted/commercial")
    assert (requests.read, requests.expected) == (173, 175)
    page = next(c.page for c in report.cells if c.table == "requests")
    margin = margin_lines(view, page, page_to_boxed(view, page, PageSettings()))
    assert margin[margin.index("requests: 2 template cells not read") + 1 :][:2] == [
        "  new_received: total",
        "  granted: commercial",
    ]
    states = {(c.row, c.col): c.state for b in requests.blocks for r in b.rows for c in r.cells}
    assert states[("new_received", "total")] == states[("granted", "commercial")] == "unread"


def test_html_page_colours_cells_by_check(tmp_path):
    truth = random_truth(random.Random(9), "2021", blank_share=0.3, consistent=False)
    path = tmp_path / "r.html"
    path.write_bytes(render_html(truth, Style()))
    result = invoke("inspect", str(path), "--png", str(tmp_path / "out"))
    assert "wrote" in result.output
    page = lxml_html.fromstring((tmp_path / "out" / "r.html").read_text(encoding="utf-8"))
    assert not page.xpath("//script")

    failing: set[tuple[str, str]] = set()
    passing: set[tuple[str, str]] = set()
    rows = {r for r, _ in truth.requests}
    for check in report_checks(truth.requests, truth.appeals):
        table = "appeals" if check.check_code == "appeals_total" else "requests"
        left, right = check_terms(check, rows)
        (passing if check.passed else failing).update((table, f"{r}/{c}") for r, c in left + right)
    values = {("requests", f"{r}/{a}"): v for (r, a), v in truth.requests.items()}
    values |= {("appeals", f"{p}/{o}"): v for (p, o), v in truth.appeals.items()}
    values |= {("active", f"{i}/{m}"): v for (i, m), v in truth.active.items()}

    got = {}
    for td in page.xpath("//td[contains(@class, 'num')]"):
        key = td.get("title").split(" · ")[0]
        table = td.xpath("string(preceding::h2[code][1]/code)")
        got[(table, key)] = td.get("class").split()[1]
    want = {}
    for key, value in values.items():
        if key in failing:
            want[key] = "fail"
        elif value is None:
            want[key] = "blank"
        elif key in passing:
            want[key] = "pass"
        else:
            want[key] = "unchecked"
    assert got == want
    assert "fail" in got.values() and "blank" in got.values()


def test_inspect_says_why_a_file_yields_no_report(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = invoke("inspect", str(empty), expect=1)
    assert "empty_file" in result.output


@pytest.mark.slow
def test_show_prints_what_inspect_printed_for_the_loaded_file(cli, db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    documents = {}
    for i, (name, template, style, render) in enumerate(DOCUMENTS):
        rng = random.Random(30 + i)
        truth = random_truth(rng, template, blank_share=0.3, agency=AGENCIES[i], year=2020 + i)
        (folder / name).write_bytes(render(truth, style))
        documents[name] = truth
    latest = documents["ruled.pdf"]  # and an earlier report of the same agency:
    earlier = random_truth(random.Random(1), "2019", agency=latest.agency, year=latest.year - 3)
    (folder / "earlier.txt").write_bytes(render_text(earlier, Style(), fmt="tab"))
    shutil.copy(FIXTURES / "source_error_unruled_blank_totals.pdf", folder / "source_error.pdf")
    cli("ingest", str(folder), "--db", db)

    for name in [*documents, "source_error.pdf"]:
        path = folder / name
        inspected = json.loads(invoke("inspect", str(path), "--json").stdout)
        heading = inspected["report"]["heading"]
        agency, year = heading["agency_id"], str(heading["year"])
        stored = json.loads(invoke("show", agency, year, "--db", db, "--json").stdout)
        assert stored["report"] == inspected["report"], name
        assert stored["about"]["sha256"] == inspected["about"]["sha256"]
        assert stored["about"]["source"].endswith(name)
        for flags in ([], ["--provenance"]):
            text = invoke("inspect", str(path), *flags).stdout
            shown_text = invoke("show", agency, year, "--db", db, *flags).stdout
            assert _body(shown_text) == _body(text), name
    source_error = json.loads(invoke("inspect", str(folder / "source_error.pdf"), "--json").stdout)
    assert source_error["report"]["status"] == "inconsistent"

    by_name = invoke("show", latest.agency, "--db", db)  # a name, no year: the latest
    assert f"year          {latest.year}" in by_name.stdout
    assert f"years loaded           {earlier.year}, {latest.year}" in by_name.stdout
    assert "cross-report warnings  0 failing" in by_name.stdout


def _body(output: str) -> str:
    """Given inspect's or show's text, return what follows the header block's rule."""
    return output.split("─" * 40 + "\n", 1)[1]


def test_show_says_what_is_missing(tmp_path, db):
    missing = invoke("show", "410300:生态环境局", "--db", str(tmp_path / "none.duckdb"), expect=2)
    assert "no warehouse at" in " ".join(missing.output.split())
    from load.warehouse import Warehouse

    Warehouse(db).ensure_schema()
    unknown = invoke("show", "某某局", "--db", db, expect=1)
    assert "no loaded report for agency '某某局'" in unknown.output
    assert "hint: xxgk sql" in unknown.output


def test_readme_shows_a_page_drawn_by_inspect():
    """The README's picture is a page as `xxgk inspect --png` draws it (size: page and margin)."""
    repo = FIXTURES.parent.parent
    picture = "docs/img/source_error_unruled_blank_totals.page-3.png"
    assert f"]({picture})" in (repo / "README.md").read_text(encoding="utf-8")
    assert "xxgk inspect tests/fixtures/source_error_unruled_blank_totals.pdf --png docs/img" in (
        repo / "README.md"
    ).read_text(encoding="utf-8")
    settings = PageSettings()
    with pdfplumber.open(FIXTURES / "source_error_unruled_blank_totals.pdf") as pdf:
        page = pdf.pages[2]
        width = round(page.width * settings.scale) + round(settings.margin_width * settings.scale)
        height = round(page.height * settings.scale)
    assert Image.open(repo / picture).size == (width, height)


@pytest.mark.parametrize("suffix", ["html", "docx"])
def test_png_boxes_a_pictured_tables_cells_on_its_picture(tmp_path, suffix):
    """A web page or a Word report whose table 四 was pasted as a picture: inspect --png
    draws the picture with each cell OCR read boxed at its stored bbox (points, scaled to
    the render)."""
    from tests.docgen.scan import PicturedDocxCase, draw_picture_case

    case = draw_picture_case(random.Random("inspect-picture-2"))
    if suffix == "docx":
        case = PicturedDocxCase("docx-picture", case.truth, case.style, case.options)
    case.pictured = ("appeals",)
    path = tmp_path / f"r.{suffix}"
    path.write_bytes(case.render())
    result = invoke("inspect", str(path), "--json", "--png", str(tmp_path / "png"))
    report = json.loads(result.stdout)["report"]
    cells = [c for k, c in view_cells(report).items() if k[0] == "appeals" and c["bbox"]]
    assert len(cells) >= 10  # the cells with text at least: a blank one may have no box
    pages = sorted({c["page"] for c in cells})
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == [
        f"r.picture-{n}.png" for n in pages
    ]
    scale, width = PageSettings().scale, PageSettings().box_width
    for page in pages:
        image = Image.open(tmp_path / "png" / f"r.picture-{page}.png").convert("RGB")
        for c in (c for c in cells if c["page"] == page):
            x0, top, x1, bottom = c["bbox"]
            left, right = math.floor(x0 * scale) - 1, math.ceil(x1 * scale) + width - 1
            upper, lower = math.floor(top * scale) - 1, math.ceil(bottom * scale) + width - 1
            mid_x, mid_y = round((x0 + x1) / 2 * scale), round((top + bottom) / 2 * scale)
            border = [(left, mid_y), (right, mid_y), (mid_x, upper), (mid_x, lower)]
            assert [image.getpixel(p) for p in border] == [BOX_COLOURS[c["state"]]] * 4, c
