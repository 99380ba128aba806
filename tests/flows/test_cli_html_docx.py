"""`xxgk ingest` end to end on HTML pages and Word files, into a real DuckDB file."""

import shutil

from tests.docgen.compare import agency_id_of, expected_values, warehouse_values
from tests.docgen.html import listing_page, not_found_page
from tests.docgen.make_html_docx_samples import DOCX_SAMPLE, HTML_SAMPLE, docx_truth, html_truth
from tests.helpers import SAMPLES, failures_by_name, q


def test_ingest_html_and_docx_samples_and_non_reports(cli, db, tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_SOFFICE", "xxgk-no-such-converter")
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (HTML_SAMPLE, DOCX_SAMPLE):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "list.html").write_bytes(listing_page("新乡县教育局", [2020, 2021, 2022]))
    (folder / "gone.html").write_bytes(not_found_page())
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)

    cli("ingest", str(folder), "--db", db)

    assert q(
        db, "SELECT agency_id, year, template, status, media_type FROM reports ORDER BY year"
    ) == [
        (
            "410200:市场监督管理局",  # 开封市市场监督管理局
            2019,
            "2019",
            "valid",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("410721:教育局", 2022, "2021", "valid", "text/html"),  # 新乡县教育局
    ]
    for truth in (html_truth(), docx_truth()):
        expected = expected_values(truth)
        assert warehouse_values(db, agency_id_of(truth.agency)) == expected
    assert q(db, "SELECT count(*) FROM report_sections")[0][0] == 12
    assert failures_by_name(db) == [
        ("gone.html", "extract", "not_a_report"),
        ("list.html", "extract", "not_a_report"),
        ("old.doc", "extract", "needs_converter"),
    ]
