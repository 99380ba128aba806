"""Every `xxgk` command has help with an example; export and report fail with a hint."""

import pytest
from typer.testing import CliRunner

from flows.cli import app


@pytest.mark.parametrize(
    "command", ["ingest", "rerun", "sql", "serve", "export", "report", "inspect", "show"]
)
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example: xxgk" in " ".join(result.output.split())


def test_export_and_report_say_what_is_missing(tmp_path):
    missing = str(tmp_path / "none.duckdb")
    runner = CliRunner()
    no_target = runner.invoke(app, ["export", "--db", missing])
    assert no_target.exit_code == 2 and "--parquet DIR" in no_target.output
    no_db = runner.invoke(app, ["report", "--html", str(tmp_path / "q.html"), "--db", missing])
    assert no_db.exit_code == 2 and "no warehouse at" in " ".join(no_db.output.split())
    assert not (tmp_path / "q.html").exists()
