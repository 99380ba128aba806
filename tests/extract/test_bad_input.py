"""Inputs that are no report raise a specific error with a stable code."""

import pytest

from common.media import sniff_media_type
from extract.dispatch import extract_document
from extract.errors import EmptyDocument, NotAReport


@pytest.mark.parametrize("data", [b"", b"   \n\n\t  "])
def test_empty(data):
    with pytest.raises(EmptyDocument) as exc:
        extract_document(data, "empty.txt")
    assert exc.value.code == "empty_file"


def test_text_that_is_not_a_report():
    data = "会议通知\n\n兹定于下周一召开全体会议，请准时参加。\n".encode()
    with pytest.raises(NotAReport) as exc:
        extract_document(data, "notice.txt")
    assert exc.value.code == "not_a_report"


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (b"%PDF-1.7\n...", "x.txt", "application/pdf"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "x.pdf", "text/html"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "x.wps", "application/vnd.ms-works"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "x.doc", "application/msword"),
        ("一、总体情况".encode("gb18030"), "x", "text/plain"),
        # an OFD is a zip holding OFD.xml: named as what it is, not as any zip
        (b"PK\x03\x04\x14\x00\x00\x00OFD.xml<ofd:OFD/>", "download.jsp", "application/ofd"),
        (b"PK\x03\x04\x14\x00\x00\x00data.csv", "x.zip", "application/zip"),
    ],
)
def test_sniff_trusts_bytes_over_name(data, name, media_type):
    assert sniff_media_type(data, name) == media_type


def test_gbk_text_decodes():
    from tests.helpers import SEEDS

    data = SEEDS[1].read_text(encoding="utf-8").encode("gb18030")
    report = extract_document(data, "gbk.txt")
    assert report.agency_name == "保定市科学技术局"
    assert len(report.cells) == 200
