"""Hostile files in one folder: each ends as one specific `failures` row, the run goes on.

Every document runs in a limited worker process (`--workers 1 --doc-timeout 30`);
the guards in extract/guards.py refuse what a file declares before any reader
parses it, so none of them comes near the time or memory limit.
"""

import random
import time

import pytest

from tests.docgen import hostile
from tests.docgen.html import render_html
from tests.docgen.layout import Style
from tests.docgen.pdf import render_pdf
from tests.docgen.text import render_text
from tests.docgen.truth import random_truth
from tests.helpers import failures_by_name, q


@pytest.mark.slow
def test_hostile_corpus_ends_in_specific_failures(cli, db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.zip_bomb_docx(folder)
    hostile.many_pages_pdf(folder)
    hostile.deeply_nested_pdf(folder)
    hostile.huge_file(folder)
    hostile.big_html(folder)
    hostile.deeply_nested_html(folder)
    hostile.junk_named_pdf(folder)
    good_pdf = render_pdf(random_truth(random.Random(3), "2021", agency="截断局", year=2024))
    hostile.truncated_pdf(folder, good_pdf)
    # declared gb2312, written in UTF-8: the declaration is wrong and must not win
    wrong = random_truth(random.Random(2), "2021", agency="错码局", year=2024)
    (folder / "wrong_charset.html").write_bytes(render_html(wrong, charset="wrong"))
    good = random_truth(random.Random(1), "2021", agency="好报告局", year=2024)
    (folder / "good.txt").write_bytes(render_text(good, Style()))

    started = time.monotonic()
    cli("ingest", str(folder), "--db", db, "--workers", "1", "--doc-timeout", "30")
    assert time.monotonic() - started < 60

    failures = failures_by_name(db)
    assert failures == [
        ("big.html", "extract", "too_large"),
        ("deep.html", "extract", "too_complex"),
        ("deeply_nested.pdf", "extract", "too_complex"),
        ("huge.pdf", "fetch", "too_large"),
        ("junk.pdf", "extract", "corrupt"),
        ("many_pages.pdf", "extract", "too_many_pages"),
        ("truncated.pdf", "extract", "corrupt"),
        ("zip_bomb.docx", "extract", "zip_bomb"),
    ]
    assert q(db, "SELECT agency_id, year, status FROM reports ORDER BY 1") == [
        ("好报告局", 2024, "valid"),
        ("错码局", 2024, "valid"),
    ]
    # each file that was read is kept in the raw store; the 1 GiB one is refused unread
    kept = {p.name for p in (tmp_path / "raw").rglob("*") if p.is_file()}
    assert len(kept) == 9
    assert q(db, "SELECT count(DISTINCT sha256) FROM failures WHERE sha256 IS NOT NULL")[0][0] == 7
