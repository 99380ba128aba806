"""Generated HTML pages and Word documents round-trip exactly: both templates, every quirk."""

import pytest

from extract.dispatch import extract_document
from tests.docgen.compare import expected_values, frame_values, report_frames
from tests.docgen.html_corpus import cases

CASES = list(cases())


def test_corpus_is_large_enough():
    assert len(CASES) >= 100
    assert {(c.fmt, c.template) for c in CASES} == {
        ("html", "2021"),
        ("html", "2019"),
        ("docx", "2021"),
        ("docx", "2019"),
    }


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_generated_document_round_trips(case):
    truth = case.truth()
    data, name = case.render()
    report = extract_document(data, name)
    frames = report_frames(report, name)

    expected = expected_values(truth)
    assert frame_values(frames) == expected
    assert (report.agency_name, report.year, report.template) == (
        truth.agency,
        truth.year,
        case.template,
    )
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert [report.sections[i].body for i in (0, 4, 5)] == [truth.prose[n] for n in (1, 5, 6)]
    assert report.problems == []
    assert frames.report.status == "valid"
