"""The project's own copy of the canonical codes equals the contract's."""

import filecmp

import pytest

from tests.helpers import REPO, SHARED_SPEC

SPEC_FILES = ["request_rows.csv", "applicants.csv", "appeals.csv", "active_cells.csv"]


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="../shared/spec is not beside this checkout")
@pytest.mark.parametrize("name", SPEC_FILES)
def test_codes_copy_equals_shared_spec(name):
    assert filecmp.cmp(REPO / "spec" / name, SHARED_SPEC / name, shallow=False)


def test_code_counts():
    from spec import codes

    assert len(codes.request_row_codes(3)) == 25
    assert len(codes.request_row_codes(1)) == 23
    assert codes.applicants() == (
        "natural_person",
        "commercial",
        "research",
        "nonprofit",
        "legal_services",
        "other_org",
        "total",
    )
    assert len(codes.active_cells("2021")) == 10
    assert len(codes.active_cells("2019")) == 22
