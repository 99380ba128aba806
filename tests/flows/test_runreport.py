"""The run's Markdown summary (the Prefect artifact) lists the re-reads kept out."""

from flows.records import Outcome, Summary
from flows.runreport import summary_to_markdown
from load.warehouse import KeptReading


def test_kept_readings_are_counted_and_listed():
    summary = Summary(
        outcomes=[Outcome("a.txt", "kept", "s" * 64, key=("320813:人民政府", 2023))],
        kept=[
            KeptReading(
                "320813:人民政府",
                2023,
                "a.txt",
                "s" * 64,
                "partial",
                185,
                "valid",
                200,
                "worse_status",
            )
        ],
    )
    text = summary_to_markdown(summary, "xxgk rerun")
    assert "| kept | 1 |" in text
    assert (
        "| 320813:人民政府 | 2023 | valid, 200 cells | partial, 185 cells | worse_status |" in text
    )


def test_no_kept_section_when_nothing_was_kept():
    assert "Kept the earlier reading" not in summary_to_markdown(Summary(), "xxgk ingest")
