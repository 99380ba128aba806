"""The two seed reports as GBK HTML pages read exactly like their text, against the golden files."""

import pytest

from extract.dispatch import extract_document
from extract.text import decode_text, text_to_rows
from tests.docgen.html import rows_to_html
from tests.helpers import EXPECTED_META, SEEDS, golden


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_as_html_every_cell_golden(path, encoding):
    page = rows_to_html(text_to_rows(decode_text(path.read_bytes())), encoding)
    report = extract_document(page, path.stem + ".html")
    assert {(c.table, c.row, c.col): c.raw for c in report.cells} == golden(path.stem)
    assert (report.agency_name, report.year, report.template) == EXPECTED_META[path.stem]
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
