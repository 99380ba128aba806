"""docs/data-dictionary.md is generated from sql/ and the codes, and kept in sync."""

from load.dictionary import ddl_to_tables, render
from load.sqlfiles import script
from tests.helpers import REPO


def test_dictionary_is_up_to_date():
    on_disk = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert on_disk == render(), "run: python -m load.dictionary docs/data-dictionary.md"


def test_dictionary_lists_every_table_view_and_code():
    text = render()
    for table in ddl_to_tables(script("schema.sql")):
        assert f"### `{table}`" in text
    for view in (
        "requests_labelled",
        "request_outcomes",
        "agency_year_summary",
        "province_year_summary",
        "prefecture_year_summary",
        "agency_regions",
    ):
        assert f"### `{view}`" in text
    for code in (
        "denied_process_info",
        "litigation_after_review",
        "other_org",
        "in_force",
        "carry_over_continuity",
        "active_roll_forward",
        "government_vs_departments",
    ):
        assert f"| {code} |" in text
    assert ddl_to_tables(script("schema.sql"))["checks"][-1][:2] == ("severity", "VARCHAR")
