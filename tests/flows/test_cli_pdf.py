"""`xxgk ingest` on a folder of PDF reports: values with page and box, bad PDFs as failures."""

import random

from tests.docgen.layout import Style
from tests.docgen.pdf import PdfStyle, encrypted_pdf, render_pdf, scanned_pdf
from tests.docgen.truth import random_truth
from tests.helpers import failures_by_name, q


def test_ingest_pdfs_with_provenance_and_failures(cli, db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    truths = [
        random_truth(random.Random(21), "2021", agency="洛阳市生态环境局"),
        random_truth(random.Random(22), "2019", agency="新乡县教育局"),
    ]
    (folder / "a.pdf").write_bytes(render_pdf(truths[0], Style(), PdfStyle(split_row=True)))
    (folder / "b.pdf").write_bytes(render_pdf(truths[1], Style(blank="-"), PdfStyle(ruled=False)))
    good = (folder / "a.pdf").read_bytes()
    (folder / "locked.pdf").write_bytes(encrypted_pdf())
    (folder / "scan.pdf").write_bytes(scanned_pdf())
    (folder / "cut.pdf").write_bytes(good[: len(good) // 3])
    cli("ingest", str(folder), "--db", db)

    assert q(
        db,
        "SELECT a.name, r.year, r.template, r.status, r.media_type FROM reports r "
        "JOIN agencies a USING (agency_id) ORDER BY a.name",
    ) == [
        ("新乡县教育局", truths[1].year, "2019", "valid", "application/pdf"),
        ("洛阳市生态环境局", truths[0].year, "2021", "valid", "application/pdf"),
    ]
    assert failures_by_name(db) == [
        ("cut.pdf", "extract", "corrupt"),
        ("locked.pdf", "extract", "encrypted"),
        ("scan.pdf", "extract", "no_text_layer"),
    ]
    rows = q(
        db,
        "SELECT r.row_code, r.applicant, r.value, r.page, len(r.bbox) FROM requests r "
        "JOIN agencies a USING (agency_id) WHERE a.name = '洛阳市生态环境局' "
        "AND r.row_code IN ('new_received', 'carried_forward') AND r.applicant = 'total' "
        "ORDER BY r.row_code",
    )
    t = truths[0].requests
    assert [(a, b, c) for a, b, c, _, _ in rows] == [
        ("carried_forward", "total", t[("carried_forward", "total")]),
        ("new_received", "total", t[("new_received", "total")]),
    ]
    assert all(page >= 2 and n == 4 for *_, page, n in rows)
    assert q(
        db, "SELECT count(*) FROM requests WHERE page IS NULL OR bbox IS NULL AND raw <> ''"
    ) == [(0,)]
