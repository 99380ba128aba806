"""The closed vocabularies that cross stages, each written once as a `Literal`.

A field whose values are one of a few words (a table, a status, a verdict, a role) is
typed with one of these, so that mypy holds what a comment used to say. Values that
arrive as plain text (a database row, a record of a stage not yet typed with these)
become typed through `as_literal`, which names a value it does not know.
"""

from __future__ import annotations

from typing import Literal, TypeVar, get_args

TableName = Literal["active", "requests", "appeals"]  # tables 二, 三 and 四
Template = Literal["2019", "2021"]  # the national template a report follows
ReportStatus = Literal["valid", "inconsistent", "partial"]  # reports.status
# table_readings.verdict: what the self-check made of one reading of one table
ReadingVerdict = Literal["passes", "fails_checks", "incomplete", "not_found", "unconfirmed"]
Severity = Literal["error", "warning"]  # checks.severity: per report | across reports
SourceRole = Literal["document", "listing", "article"]  # sources.role
# report_attempts.reason (transform/readings.py)
AttemptReason = Literal["worse_status", "fewer_cells", "forced", "better", "merge_conflict"]
KeptReason = Literal["worse_status", "fewer_cells"]  # a re-read kept out: the loaded rows stay
IdSource = Literal["manifest", "registry", "name"]  # agencies.id_source
NamedBy = Literal["manifest", "document"]  # agencies.named_by

TABLE_NAMES: tuple[TableName, ...] = get_args(TableName)
TEMPLATES: tuple[Template, ...] = get_args(Template)
KEPT_REASONS: tuple[KeptReason, ...] = get_args(KeptReason)

Word = TypeVar("Word", bound=str)


def as_literal(value: str, allowed: tuple[Word, ...]) -> Word:
    """Given a word and the values a Literal allows, return the word typed as that Literal;
    raise ValueError naming the word and the allowed values when it is none of them."""
    for word in allowed:
        if word == value:
            return word
    raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
