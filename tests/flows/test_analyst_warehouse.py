"""The analyst layer end to end: a generated warehouse of 12 agencies in 3 provinces over
2020-2022, ingested through `xxgk` from a manifest; the README's questions, the registry,
the cross-report warnings, exports and the quality report checked against the truth."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.docgen.corpus import (
    ABBREVIATED,
    AGENCIES,
    BROKEN_CARRY,
    BROKEN_ROLL,
    INCONSISTENT,
    LEVEL,
    PREFECTURES,
    PROVINCES,
    TRUTHS,
    YEARS,
    write_corpus,
)
from tests.helpers import REPO, q
from transform.registry import resolve_agency

DENIED = [
    "denied_state_secret",
    "denied_prohibited_by_law",
    "denied_security_stability",
    "denied_third_party_rights",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_query_matter",
]
# The module's warehouse takes about half a minute to ingest (37 sources through the CLI).
pytestmark = pytest.mark.slow

GROUPS = ["granted", "partially_granted", "denied", "unavailable", "rejected", "other", "total"]
# agency_id of each generated agency: its region (given by the manifest) and its body
ID = {n: resolve_agency(n, manifest_region=code).agency_id for n, code in AGENCIES}


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory):
    """Ingest the generated reports once through `xxgk ingest MANIFEST`; return the db path."""
    from typer.testing import CliRunner

    from flows.cli import app

    root = tmp_path_factory.mktemp("analyst")
    manifest = write_corpus(root)
    db = str(root / "w.duckdb")
    result = CliRunner().invoke(app, ["ingest", str(manifest), "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


def readme_queries() -> dict[int, str]:
    """Return the README's analyst questions' SQL by question number."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"\*\*Q(\d+)\.\*\*[^\n]*\n\n```sql\n(.*?)```", text, flags=re.S)
    return {int(n): sql for n, sql in found}


# ---------------------------------------------------------------- the truth's figures


def req(name, year, row, applicant="total"):
    return TRUTHS[(name, year)].requests.get((row, applicant)) or 0


def group_total(name, year, group):
    t = TRUTHS[(name, year)]
    if group == "total":
        return req(name, year, "total_processed")
    if group in ("granted", "partially_granted"):
        return req(name, year, group)
    return sum(v or 0 for (r, a), v in t.requests.items() if a == "total" and r.startswith(group))


def appeals(name, year, proceeding=None, outcome=None):
    return sum(
        v or 0
        for (p, o), v in TRUTHS[(name, year)].appeals.items()
        if (proceeding is None or p in proceeding) and (outcome is None or o in outcome)
    )


def province_of(name):
    return dict(AGENCIES)[name][:2] + "0000"


def prefecture_of(name):
    code = dict(AGENCIES)[name]
    return None if code.endswith("0000") else code[:4] + "00"


def level_of(name):
    return LEVEL.get(dict(AGENCIES)[name], "county")


# ---------------------------------------------------------------- README questions


def test_readme_has_eight_questions():
    assert sorted(readme_queries()) == list(range(1, 9))


def test_q1_top_receivers_2022(warehouse):
    rows = q(warehouse, readme_queries()[1])
    want = sorted(
        (
            (
                n,
                req(n, 2022, "new_received"),
                req(n, 2022, "granted") / req(n, 2022, "total_processed"),
            )
            for n, _ in AGENCIES
        ),
        key=lambda r: (-r[1], r[0]),
    )[:5]
    assert [(n, r) for n, r, _ in rows] == [(n, r) for n, r, _ in want]
    assert [g for *_, g in rows] == pytest.approx([g for *_, g in want], abs=5e-4)


def test_q2_outcomes_by_year_across_templates(warehouse):
    rows = q(warehouse, readme_queries()[2])
    want = [(y, *(sum(group_total(n, y, g) for n, _ in AGENCIES) for g in GROUPS)) for y in YEARS]
    assert rows == want
    # 2020 used the 2019 template's single （六） row, 2021 on the three sub-rows
    assert q(warehouse, "SELECT DISTINCT year, template FROM reports ORDER BY year") == [
        (2020, "2019"),
        (2021, "2021"),
        (2022, "2021"),
    ]


def test_q3_province_with_highest_denial_rate(warehouse):
    rows = q(warehouse, readme_queries()[3])
    want = []
    for y in YEARS:
        rates = {}
        for code, pname in PROVINCES.items():
            names = [n for n, _ in AGENCIES if province_of(n) == code]
            rates[(code, pname)] = sum(group_total(n, y, "denied") for n in names) / sum(
                req(n, y, "total_processed") for n in names
            )
        (code, pname), rate = max(rates.items(), key=lambda kv: kv[1])
        want.append((y, pname, rate))
    assert [(y, p) for y, p, _ in rows] == [(y, p) for y, p, _ in want]
    assert [r for *_, r in rows] == pytest.approx([r for *_, r in want], abs=5e-4)


def test_q4_prefectures_by_requests(warehouse):
    rows = q(warehouse, readme_queries()[4])
    acc = defaultdict(lambda: [0, 0])
    for n, _ in AGENCIES:
        if prefecture_of(n):
            for y in YEARS:
                acc[prefecture_of(n)][0] += 1
                acc[prefecture_of(n)][1] += req(n, y, "new_received")
    want = sorted(
        ((c, PREFECTURES[c], r, v) for c, (r, v) in acc.items()), key=lambda x: (-x[3], x[0])
    )
    assert rows == want


def test_q5_denial_grounds_2022(warehouse):
    rows = q(warehouse, readme_queries()[5])
    labels = dict(q(warehouse, "SELECT row_code, label FROM dim_request_rows"))
    assert rows == [(labels[r], sum(req(n, 2022, r) for n, _ in AGENCIES)) for r in DENIED]


def test_q6_correction_rate(warehouse):
    rows = q(warehouse, readme_queries()[6])
    want = []
    for n, _ in AGENCIES:
        reviews = sum(appeals(n, y, ("review",), ("total",)) for y in YEARS)
        lawsuits = sum(
            appeals(n, y, ("litigation_direct", "litigation_after_review"), ("total",))
            for y in YEARS
        )
        corrected = sum(appeals(n, y, None, ("corrected",)) for y in YEARS)
        concluded = sum(appeals(n, y, None, ("upheld", "corrected", "other")) for y in YEARS)
        want.append((n, reviews, lawsuits, corrected, round(corrected / concluded, 3)))
    want = sorted(want, key=lambda r: (-r[4], r[0]))[:5]
    assert [r[:4] for r in rows] == [r[:4] for r in want]
    assert [r[4] for r in rows] == pytest.approx([r[4] for r in want], abs=1e-9)


def test_q7_received_by_level(warehouse):
    rows = q(warehouse, readme_queries()[7])
    want = []
    for level in sorted({level_of(n) for n, _ in AGENCIES}):
        for y in YEARS:
            got = [req(n, y, "new_received") for n, _ in AGENCIES if level_of(n) == level]
            want.append((level, y, len(got), sum(got), round(sum(got) / len(got), 1)))
    assert [r[:4] for r in rows] == [r[:4] for r in want]
    assert [r[4] for r in rows] == pytest.approx([r[4] for r in want], abs=0.051)


def test_q8_carry_over_breaks(warehouse):
    rows = q(warehouse, readme_queries()[8])
    name, year, applicant = BROKEN_CARRY
    before = req(name, year - 1, "carried_forward", applicant)
    before_total = req(name, year - 1, "carried_forward")
    assert rows == [
        (ID[name], year, applicant, before, before + 1),
        (ID[name], year, "total", before_total, before_total + 1),
    ]


# ---------------------------------------------------------------- registry, checks, status


def test_registry_levels_parents_and_abbreviated_name(warehouse):
    rows = q(
        warehouse,
        "SELECT name, region_code, level, parent_region_code, aliases FROM agencies ORDER BY name",
    )
    parent = {"410000": None, "130000": None}
    want = []
    for name, code in AGENCIES:
        up = parent.get(code, code[:2] + "0000" if code.endswith("00") else code[:4] + "00")
        aliases = [ABBREVIATED[2]] if name == ABBREVIATED[0] else []
        want.append((name, code, level_of(name), up, aliases))
    assert rows == sorted(want)
    assert ID[ABBREVIATED[0]] == "410307:科学技术局"
    assert q(warehouse, "SELECT count(*) FROM reports WHERE agency_id = ?", ID[ABBREVIATED[0]]) == [
        (3,)
    ]


def test_warnings_are_stored_and_never_change_status(warehouse):
    failed = q(
        warehouse,
        "SELECT agency_id, year, check_code, subject, expected, actual FROM checks "
        "WHERE severity = 'warning' AND NOT passed AND check_code <> 'government_vs_departments' "
        "ORDER BY ALL",
    )
    name, year, item = BROKEN_ROLL
    t, prev = TRUTHS[(name, year)], TRUTHS[(name, year - 1)]
    rolled = (
        prev.active[(item, "in_force")] + t.active[(item, "issued")] - t.active[(item, "repealed")]
    )
    cname, cyear, applicant = BROKEN_CARRY
    before = req(cname, cyear - 1, "carried_forward", applicant)
    before_total = req(cname, cyear - 1, "carried_forward")
    assert failed == sorted(
        [
            (ID[cname], cyear, "carry_over_continuity", applicant, before, before + 1),
            (ID[cname], cyear, "carry_over_continuity", "total", before_total, before_total + 1),
            (ID[name], year, "active_roll_forward", item, rolled, rolled + 3),
        ]
    )
    counts = dict(
        q(warehouse, "SELECT check_code, count(*) FROM checks WHERE severity='warning' GROUP BY 1")
    )
    assert counts == {
        "carry_over_continuity": 12 * 2 * 7,  # 2 year pairs, 7 applicant columns
        "active_roll_forward": 12 * 1 * 2,  # only 2021→2022 is on the 2021 template twice
        "government_vs_departments": 2 * 3 * 2,  # 2 governments, 3 years, 2 subjects
    }
    assert q(
        warehouse,
        "SELECT status, count(*) FROM reports GROUP BY status ORDER BY status",
    ) == [("inconsistent", 1), ("valid", 35)]
    assert q(
        warehouse,
        "SELECT DISTINCT agency_id, year, check_code, severity FROM checks WHERE NOT passed "
        "AND severity = 'error'",
    ) == [(ID[INCONSISTENT[0]], INCONSISTENT[1], "appeals_total", "error")]
    assert q(
        warehouse,
        "SELECT status FROM reports WHERE agency_id = ? AND year = ?",
        ID[BROKEN_CARRY[0]],
        BROKEN_CARRY[1],
    ) == [("valid",)]


def test_government_vs_departments(warehouse):
    rows = q(
        warehouse,
        "SELECT agency_id, year, subject, expected, actual, passed FROM checks "
        "WHERE check_code = 'government_vs_departments' ORDER BY ALL",
    )
    want = []
    for gov, depts in (
        ("石家庄市长安区人民政府", ["石家庄市长安区教育局"]),
        ("郑州市金水区人民政府", ["郑州市金水区教育局", "郑州市金水区卫生健康委员会"]),
    ):
        for y in YEARS:
            for row in ("new_received", "total_processed"):
                expected = sum(req(d, y, row) for d in depts)
                got = req(gov, y, row)
                want.append((ID[gov], y, row, expected, got, expected == got))
    assert rows == sorted(want)


def test_failures_and_summary_rates(warehouse):
    assert q(warehouse, "SELECT stage, error FROM failures") == [("extract", "empty_file")]
    name = "河北省教育厅"
    row = q(
        warehouse,
        "SELECT received, carried_over, processed, carried_forward, denied, "
        "denied_process_info, reviews, lawsuits, corrected, province_code, prefecture_code, level "
        "FROM agency_year_summary WHERE agency_name = ? AND year = 2021",
        name,
    )
    assert row == [
        (
            req(name, 2021, "new_received"),
            req(name, 2021, "carried_over"),
            req(name, 2021, "total_processed"),
            req(name, 2021, "carried_forward"),
            group_total(name, 2021, "denied"),
            req(name, 2021, "denied_process_info"),
            appeals(name, 2021, ("review",), ("total",)),
            appeals(name, 2021, ("litigation_direct", "litigation_after_review"), ("total",)),
            appeals(name, 2021, None, ("corrected",)),
            "130000",
            None,
            "provincial",
        )
    ]


# ---------------------------------------------------------------- export and quality report


def xxgk(*args):
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_export_parquet_by_year_and_csv(warehouse, tmp_path):
    xxgk(
        "export",
        "--parquet",
        str(tmp_path / "pq"),
        "--csv",
        str(tmp_path / "csv"),
        "--db",
        warehouse,
    )
    per_year = q(warehouse, "SELECT year, count(*) FROM requests GROUP BY 1 ORDER BY 1")
    assert per_year == [(y, 12 * (23 if y == 2020 else 25) * 7) for y in YEARS]
    assert sorted(p.name for p in (tmp_path / "pq" / "requests").iterdir()) == [
        f"year={y}" for y in YEARS
    ]
    pq = str(tmp_path / "pq" / "requests" / "*" / "*.parquet")
    assert (
        q(
            warehouse,
            f"SELECT year, count(*) FROM read_parquet('{pq}', hive_partitioning = true) "
            "GROUP BY 1 ORDER BY 1",
        )
        == per_year
    )
    summary = str(tmp_path / "pq" / "agency_year_summary" / "*" / "*.parquet")
    cols = "agency_id, year, received, denied, reviews"
    assert q(
        warehouse,
        f"SELECT {cols} FROM read_parquet('{summary}', hive_partitioning = true) ORDER BY ALL",
    ) == q(warehouse, f"SELECT {cols} FROM agency_year_summary ORDER BY ALL")
    assert q(
        warehouse,
        "SELECT count(*) FROM read_parquet(?)",
        str(tmp_path / "pq" / "agencies.parquet"),
    ) == [(12,)]
    csv = str(tmp_path / "csv" / "request_outcomes.csv")
    assert q(warehouse, "SELECT count(*), sum(value) FROM read_csv(?)", csv) == q(
        warehouse, "SELECT count(*), sum(value) FROM request_outcomes"
    )


def test_quality_report_html_links_every_figure_to_its_reports(warehouse, tmp_path):
    out = tmp_path / "quality.html"
    result = xxgk("report", "--html", str(out), "--db", warehouse)
    gov_failed = q(
        warehouse,
        "SELECT count(DISTINCT (agency_id, year)) FROM checks "
        "WHERE check_code = 'government_vs_departments' AND NOT passed",
    )[0][0]
    said = " ".join(result.output.split())
    assert f"36 reports, {3 + gov_failed} failed checks, 1 failures" in said
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert page.count("<svg") == 4
    ids = set(re.findall(r'id="([^"]+)"', page))
    hrefs = re.findall(r'href="#([^"]+)"', page)
    assert hrefs and set(hrefs) <= ids  # every link lands somewhere
    report_ids = {r for (r,) in q(warehouse, "SELECT report_id FROM reports")}
    assert {h[len("report-") :] for h in hrefs if h.startswith("report-")} == report_ids
    # coverage cells: Henan has 7 agencies, Hebei 4, Zhejiang 1, each year
    for province, n in (("河南省", 7), ("河北省", 4), ("浙江省", 1)):
        for y in YEARS:
            assert f'href="#cov-{province}-{y}"><title>{province} {y}: {n}</title>' in page
            assert f"<h3>{province} {y}: {n} reports</h3>" in page
    assert "<h3>valid: 35 reports</h3>" in page and "<h3>inconsistent: 1 reports</h3>" in page
    assert "<h3>appeals_total (error): failed in 1 reports</h3>" in page
    assert "<h3>carry_over_continuity (warning): failed in 1 reports</h3>" in page
    assert "<h3>active_roll_forward (warning): failed in 1 reports</h3>" in page
    assert "<h3>empty_file: 1 sources</h3>" in page
    assert f"<h3>government_vs_departments (warning): failed in {gov_failed} reports</h3>" in page
