"""`xxgk ingest` over the attachments replica (tests/sources/replicas.py), two nights (issue 22).

A column of 6 articles, each linking its report one way sites do: 「附件：…pdf」 over an
opaque `/att/get?id=1`, a link whose text is the file name, 大汉's
`/module/download/downfile.jsp?…`, and `.doc`, `.wps` and `.ofd` links. Night 1 loads
the 5 readable reports under the column's body, each from its own attachment URL with
exact values and the media type its bytes say; the OFD is an `extract` failure with
`unsupported_format`, its bytes kept in the raw store. Night 2 asks every page and file
again with conditional requests and loads nothing.

Run twice: with DOCX bytes behind the .doc and .wps names (sites do serve those; the
bytes decide), and with real Word 97 files there, converted by LibreOffice, which is
skipped where `soffice` is not installed.
"""

from __future__ import annotations

import hashlib

import pytest

from common.rawstore import RawStore
from extract.convert import find_converter
from flows.settings import raw_root_for
from tests.docgen.compare import expected_values, warehouse_values
from tests.helpers import q, snapshot
from tests.sources.replicas import (
    ATTACHMENTS_AGENCY,
    agency_id,
    build_attachments,
    summary_row,
    write_manifest,
)

pytestmark = [pytest.mark.network]

SOFFICE = find_converter()
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
WPS = "application/vnd.ms-works"

# year -> (the attachment's path on the site, its media type: DOCX bytes behind the
# names, real Word 97 files behind the names); each year's article is /att/art/{year}.html
LOADED = {
    2024: ("/att/get?id=1", PDF, PDF),  # 附件：2024年政府信息公开工作年度报告.pdf
    2023: ("/att/f/8f3a2b", DOCX, DOCX),  # the link's text is the file name, 2023年年报.docx
    2022: ("/module/download/downfile.jsp?classid=0&filename=1f2e3d", DOCX, DOCX),  # 下载
    2021: ("/att/r2021.doc", DOCX, DOC),  # 附件1
    2020: ("/att/r2020.wps", DOCX, WPS),  # 附件1
}
OFD = "/att/r2019.ofd"  # 附件1, beside 申请表.xls (no report, never asked for)


@pytest.mark.parametrize(
    "word97",
    [
        False,
        pytest.param(
            True,
            marks=[
                pytest.mark.slow,
                pytest.mark.skipif(
                    SOFFICE is None,
                    reason="LibreOffice (soffice, or $XXGK_SOFFICE) is not installed "
                    "(apt-get install libreoffice-writer-nogui): real Word 97 .doc/.wps "
                    "attachments are not converted here; the DOCX-behind-the-name case runs",
                ),
            ],
        ),
    ],
    ids=["docx-behind-names", "word97"],
)
def test_attachments_each_way_sites_link_them(cli, db, tmp_path, site, replica_env, word97):
    replica, urls = build_attachments(site, soffice=SOFFICE if word97 else None)
    assert urls == [site.url(path) for path, _, _ in LOADED.values()] + [site.url(OFD)]
    body = agency_id(ATTACHMENTS_AGENCY)
    # year -> (attachment URL, its article, sha256 of the bytes served, media type to load)
    want = {
        year: (
            site.url(path),
            site.url(f"/att/art/{year}.html"),
            sha256(site.routes[path.split("?")[0]].body),
            ole if word97 else docx,
        )
        for year, (path, docx, ole) in LOADED.items()
    }
    ofd = site.routes[OFD].body
    if word97:  # the .doc and .wps served are OLE files, not zips
        assert [site.routes[p].body[:4] for p in ("/att/r2021.doc", "/att/r2020.wps")] == [
            b"\xd0\xcf\x11\xe0"
        ] * 2
    manifest = write_manifest(tmp_path / "attachments.csv", [replica])

    # ---- night 1: 5 reports, each from its own attachment; the OFD fails, its bytes kept
    first = cli("ingest", manifest, "--db", db)
    assert summary_row(first.output)[:6] == [6, 5, 0, 0, 0, 1]  # seen, valid, …, failed
    assert q(
        db,
        "SELECT agency_id, year, source_uri, sha256, media_type, status FROM reports"
        " ORDER BY year DESC",
    ) == [(body, year, url, sha, media, "valid") for year, (url, _, sha, media) in want.items()]
    for year in LOADED:
        assert warehouse_values(db, body, year) == expected_values(replica.truths[(body, year)])
    ofd_sha, ofd_article = sha256(ofd), site.url("/att/art/2019.html")
    assert q(
        db,
        "SELECT uri, agency_id, year, http_status, sha256, media_type, found_via, error"
        " FROM sources WHERE role = 'document' ORDER BY uri",
    ) == sorted(
        [
            (url, body, year, 200, sha, media, art, None)
            for year, (url, art, sha, media) in want.items()
        ]
        + [(site.url(OFD), None, None, 200, ofd_sha, "application/ofd", ofd_article, None)]
    )
    assert q(db, "SELECT source_uri, sha256, stage, error, detail FROM failures") == [
        (
            site.url(OFD),
            ofd_sha,
            "extract",
            "unsupported_format",
            f"no reader for application/ofd (found via {ofd_article})",
        )
    ]
    assert RawStore(raw_root_for(db)).get(ofd_sha) == ofd
    assert site.count("/att/form.xls") == 0  # 申请表.xls beside the OFD is no report
    tables = snapshot(db)
    night1 = len(site.hits)

    # ---- night 2: every page and file asked conditionally, 304s, nothing loaded; the OFD
    # is read again from the raw store and fails the same way, still one `failures` row
    second = cli("ingest", manifest, "--db", db)
    night2 = site.hits[night1:]
    assert {(h.status, h.conditional) for h in night2} == {(304, True)}
    assert len(night2) == night1 == 13  # the listing, 6 articles, 6 files
    assert summary_row(second.output)[:6] == [6, 0, 0, 0, 5, 1]
    assert "Nothing changed" in second.output
    assert snapshot(db) == tables
    assert q(db, "SELECT source_uri, sha256, error FROM failures") == [
        (site.url(OFD), ofd_sha, "unsupported_format")
    ]
    print(
        f"\nFIGURES {'word97' if word97 else 'docx-behind-names'}: 6 items, 6 attachments "
        f"found, 5 loaded, 1 unsupported_format; night 1 {night1} requests, night 2 "
        f"{len(night2)} answered 304"
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
