""".doc and .wps reports go through LibreOffice when it is installed, else fail needs_converter."""

import random
import subprocess

import pytest

from extract.convert import find_converter
from extract.dispatch import extract_document
from extract.errors import Encrypted, NeedsConverter, Timeout
from tests.docgen.compare import expected_values, frame_values, report_frames
from tests.docgen.docx import render_docx
from tests.docgen.layout import Style
from tests.docgen.truth import random_truth

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
needs_soffice = pytest.mark.skipif(find_converter() is None, reason="LibreOffice is not installed")


def docx_to_doc(docx: bytes, tmp_path, fmt: str = "doc") -> bytes:
    """Save a generated .docx as a Word 97 .doc (or `fmt`) with LibreOffice, as a real file."""
    (tmp_path / "r.docx").write_bytes(docx)
    subprocess.run(
        [
            find_converter(),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            fmt,
            "--outdir",
            str(tmp_path),
            str(tmp_path / "r.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / f"r.{fmt}").read_bytes()


@pytest.mark.parametrize("name", ["report.doc", "report.wps"])
def test_without_libreoffice_a_doc_needs_converter(name, monkeypatch):
    monkeypatch.setenv("XXGK_SOFFICE", "xxgk-no-such-converter")
    with pytest.raises(NeedsConverter) as exc:
        extract_document(OLE + b"\x00" * 1024, name)
    assert exc.value.code == "needs_converter"


def test_password_protected_office_file_is_encrypted():
    data = OLE + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    with pytest.raises(Encrypted) as exc:
        extract_document(data, "secret.doc")
    assert exc.value.code == "encrypted"


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize(
    ("template", "name", "media_type"),
    [("2021", "r.doc", "application/msword"), ("2019", "r.wps", "application/vnd.ms-works")],
)
def test_doc_and_wps_round_trip_through_libreoffice(template, name, media_type, tmp_path):
    truth = random_truth(random.Random(11), template, blank_share=0.3)
    doc = docx_to_doc(render_docx(truth, Style(), split_tables=True), tmp_path)
    assert doc.startswith(OLE)

    report = extract_document(doc, name)
    frames = report_frames(report, name)
    expected = expected_values(truth)
    assert frame_values(frames) == expected
    assert (report.agency_name, report.year, report.media_type) == (
        truth.agency,
        truth.year,
        media_type,
    )
    assert frames.report.status == "valid"


@needs_soffice
def test_conversion_over_its_time_limit_is_a_timeout(monkeypatch):
    monkeypatch.setenv("XXGK_CONVERT_TIMEOUT", "0.05")
    with pytest.raises(Timeout) as exc:
        extract_document(OLE + b"\x00" * 1024, "slow.doc")
    assert exc.value.code == "timeout"


@pytest.mark.slow
@needs_soffice
def test_libreoffice_html_export_round_trips(tmp_path):
    """HTML written by another program than our generator: LibreOffice's export of a .docx."""
    truth = random_truth(random.Random(12), "2021", blank_share=0.3)
    page = docx_to_doc(render_docx(truth, Style(blank="—"), split_tables=True), tmp_path, "html")
    assert b"LibreOffice" in page[:1000]

    report = extract_document(page, "r.html")
    frames = report_frames(report, "r.html")
    expected = expected_values(truth)
    assert frame_values(frames) == expected
    assert (report.agency_name, report.year, report.template) == (truth.agency, truth.year, "2021")
