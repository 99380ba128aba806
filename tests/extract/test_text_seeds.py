"""The two seed reports (real PDFs as text) read exactly, cell by cell, against golden files."""

import pytest

from extract.dispatch import extract_document
from tests.helpers import EXPECTED_META, SEEDS, golden


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_every_cell_golden(path):
    report = extract_document(path.read_bytes(), path.name)
    got = {(c.table, c.row, c.col): c.raw for c in report.cells}
    assert got == golden(path.stem)
    assert len(report.cells) == 25 * 7 + 15 + 10


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_heading_and_sections(path):
    report = extract_document(path.read_bytes(), path.name)
    assert (report.agency_name, report.year, report.template) == EXPECTED_META[path.stem]
    assert report.tables_found == {"active", "requests", "appeals"}
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.sections[0].heading == "一、总体情况"
    assert "信息处理费" in report.sections[5].body


def test_seed_002_prose_broken_across_page_is_kept():
    report = extract_document(SEEDS[1].read_bytes(), SEEDS[1].name)
    section5 = report.sections[4].body
    assert section5.startswith("2024 年度政府信息公开工作虽然取得一定成效")
    assert "片、漫画、短视频" in section5
