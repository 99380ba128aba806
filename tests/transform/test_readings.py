"""Re-reads never lose a good report: a worse reading of the same bytes is kept out."""

import pytest

from transform.readings import Reading, Verdict, judge_reread

LOADED = Reading("aa", "valid", 126, "v1")


@pytest.mark.parametrize(
    "new, force, verdict",
    [
        (Reading("aa", "partial", 126, "v2"), False, Verdict(False, "worse_status")),
        (Reading("aa", "inconsistent", 126, "v2"), False, Verdict(False, "worse_status")),
        (Reading("aa", "valid", 120, "v2"), False, Verdict(False, "fewer_cells")),
        (Reading("aa", "partial", 10, "v2"), True, Verdict(True, "forced")),
        (Reading("aa", "valid", 126, "v2"), False, Verdict(True)),  # as good: same rows
        (Reading("aa", "valid", 130, "v2"), False, Verdict(True, "better")),
        (Reading("bb", "partial", 3, "v2"), False, Verdict(True)),  # a newer file always replaces
    ],
)
def test_judge_reread(new, force, verdict):
    assert judge_reread(new, LOADED, force) == verdict


def test_status_order_valid_inconsistent_partial():
    partial = Reading("aa", "partial", 126)
    inconsistent = Reading("aa", "inconsistent", 10)
    assert judge_reread(inconsistent, partial) == Verdict(True, "better")
    assert judge_reread(partial, inconsistent) == Verdict(False, "worse_status")
    assert judge_reread(partial, None) == Verdict(True)
