"""`xxgk inspect FILE` and `xxgk show AGENCY [YEAR]`: one report as a view, from a file or
from the warehouse, through the same records (quality/view.py) so both show the same.

Thin wiring: extract and transform (inspect) or load (show) give long rows; quality/ lays
them out and draws them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypedDict

from extract.records import Report
from quality.view import ReportRecords, ReportView, frames_to_rows, records_to_view, rows_to_records

PDF = "application/pdf"


class Placeholders(TypedDict, total=False):
    """Stand-ins for the keys a report lacks, so that it can still be shown."""

    agency_id: str
    year: int


KEY_PLACEHOLDERS: dict[str, Placeholders] = {
    "missing_agency": {"agency_id": "(none)"},
    "missing_year": {"year": 1},
}


@dataclass(frozen=True)
class Inspection:
    """One report's view, what only this command knows of it, and (inspect) the bytes read."""

    view: ReportView
    about: list[tuple[str, str]]
    data: bytes | None = None
    media_type: str | None = None
    page_turns: dict[int, float] | None = None  # OCR'd pages: turned upright by so many degrees
    page_scales: dict[int, float] | None = None  # a web page's pictures OCR read: px per point


def report_to_records(report: Report, source: str, sha256: str) -> ReportRecords:
    """Given an extracted Report, its source and hash, return its records as a load would
    store them; a report the warehouse would refuse (no agency or year) is still shown,
    the reason among its problems."""
    from transform.errors import MissingKey
    from transform.frames import SourceMeta, report_to_rows

    placeholders: Placeholders = {}
    refused: list[str] = []
    while True:
        try:
            frames = report_to_rows(report, SourceMeta(source, sha256, **placeholders))
            break
        except MissingKey as exc:
            if exc.code not in KEY_PLACEHOLDERS or exc.code in refused:
                raise
            refused.append(exc.code)
            placeholders |= KEY_PLACEHOLDERS[exc.code]
    records = rows_to_records(*frames_to_rows(frames))
    if "missing_agency" in refused:
        records = replace(records, agency_id=None, agency_name=None)
    if "missing_year" in refused:
        records = replace(records, year=None)
    why = tuple(f"not loadable: {code}" for code in refused)
    return replace(records, problems=records.problems + why)


def inspect_file(path: Path) -> Inspection:
    """Given a document's path, read it and return its Inspection.

    Raises extract.errors.ExtractError when the document yields no report."""
    from extract.dispatch import extract_document

    data = path.read_bytes()
    report = extract_document(data, path.name)
    sha256 = hashlib.sha256(data).hexdigest()
    records = report_to_records(report, str(path), sha256)
    about = [("file", str(path)), ("sha256", sha256), ("bytes", str(len(data)))]
    if report.agency_name and report.agency_name != records.agency_name:
        about.append(("agency as written", report.agency_name))
    if report.page_turns or report.page_scales:
        about.append(("read by", report.text_layer or "ocr"))
    return Inspection(
        records_to_view(records),
        about,
        data,
        report.media_type,
        report.page_turns,
        report.page_scales,
    )


def show_stored(db: str, agency: str, year: int | None = None) -> Inspection:
    """Given a warehouse, an agency (id, merged id, or a name of one agency) and a year (None:
    the latest), return the stored report's Inspection. Raises load.show.NoSuchReport."""
    from load.publish import published_warehouse
    from load.show import stored_report

    # the published state, read-only (a warehouse from an older version gets table_readings)
    stored = stored_report(published_warehouse(db), agency, year)
    r = stored.report
    records = rows_to_records(r, stored.cells, stored.checks, stored.readings)
    about = [
        ("source", str(r["source_uri"])),
        ("sha256", str(r["sha256"])),
        ("loaded at", str(r["loaded_at"])),
        ("extractor", str(r["extractor_version"])),
        ("report id", str(r["report_id"])),
        ("aliases", ", ".join(r.get("aliases") or []) or "-"),
        ("years loaded", ", ".join(map(str, stored.years))),
    ]
    failing = [w for w in stored.warnings if not w["passed"]]
    warnings = "; ".join(
        f"{w['check_code']} {w['subject']}: expected {w['expected']:g}, actual {w['actual']:g}"
        for w in failing
    )
    about.append(
        ("cross-report warnings", f"{len(failing)} failing" + (f": {warnings}" if failing else ""))
    )
    return Inspection(records_to_view(records), about)


def write_pictures(inspection: Inspection, folder: Path, stem: str) -> list[Path]:
    """Given an inspected document, write its pictures to `folder`: a PDF's pages holding a
    table as PNGs (cells boxed), a web page's or a Word report's pictured tables read by
    OCR likewise, any other format's tables as one HTML page; return the paths."""
    if inspection.media_type == PDF and inspection.data is not None:
        from quality.pages import view_to_pngs

        return view_to_pngs(
            inspection.view, inspection.data, folder, stem, turns=inspection.page_turns or {}
        )
    if inspection.page_scales and inspection.data is not None:
        from extract.docx import docx_to_pictures
        from extract.html import html_to_pictures
        from quality.pages import view_to_picture_pngs

        of = html_to_pictures if inspection.media_type == "text/html" else docx_to_pictures
        pictures = dict(enumerate(of(inspection.data), start=1))
        return view_to_picture_pngs(
            inspection.view,
            pictures,
            inspection.page_scales,
            folder,
            stem,
            turns=inspection.page_turns or {},
        )
    from quality.report_page import view_to_html

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.html"
    path.write_text(view_to_html(inspection.view, inspection.about), encoding="utf-8")
    return [path]
