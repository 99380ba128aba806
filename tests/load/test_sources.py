"""`sources` rows written in bulk leave what writing them one by one, in order, would."""

import duckdb

from load.warehouse import source_rounds
from spec.sources import SourceRow, Validators


def good(uri, http_status=200, agency_id=None, year=None, found_via=None, role="document", **kw):
    kept = Validators(**{"sha256": "a" * 64, "media_type": "text/plain", **kw})
    return SourceRow(uri, role, agency_id, year, found_via, None, http_status, None, kept)


def failed(uri, error, http_status=None, agency_id=None, year=None):
    return SourceRow(uri, "document", agency_id, year, None, None, http_status, None, None, error)


def test_rounds_keep_each_uri_once_and_in_order():
    rows = [good("a"), failed("b", "timeout"), good("a", role="article"), failed("a", "http_500")]
    rounds = source_rounds(rows)
    assert [([r.uri for r in g], [r.uri for r in f]) for g, f in rounds] == [
        (["a"], ["b"]),
        (["a"], []),
        ([], ["a"]),
    ]


def test_bulk_rows_apply_in_order(warehouse):
    db = warehouse.path
    warehouse.record_sources(
        [
            # an article page, then the same URI as the report it is (discovery)
            good("p", role="article", found_via="listing", etag='"1"', sha256="b" * 64),
            good("p", agency_id="甲", year=2023, etag='"2"', sha256="c" * 64),
            # a good answer, then a failed one: the validators and bytes are kept
            good("q", etag='"9"', last_modified="Wed, 31 Jan 2024 08:00:00 GMT"),
            failed("q", "http_500", http_status=500),
            # only ever failed
            failed("r", "timeout", agency_id="乙", year=2022),
        ]
    )
    warehouse.record_sources([good("r", http_status=304, sha256="d" * 64)])
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT uri, agency_id, year, http_status, etag, last_modified, sha256, found_via,"
            " role, error FROM sources ORDER BY uri"
        ).fetchall()
    assert rows == [
        ("p", "甲", 2023, 200, '"2"', None, "c" * 64, "listing", "document", None),
        (
            "q",
            None,
            None,
            500,
            '"9"',
            "Wed, 31 Jan 2024 08:00:00 GMT",
            "a" * 64,
            None,
            "document",
            "http_500",
        ),
        ("r", "乙", 2022, 304, None, None, "d" * 64, None, "document", None),
    ]
