"""Render a Truth as a text report: markdown pipe tables (like seed 000) or tab-separated (seed 002)."""

from __future__ import annotations

from tests.docgen.layout import Style, blocks_of
from tests.docgen.truth import Truth


def _pipe(grid: list[list[str]], page_break_at: int | None) -> list[str]:
    lines = []
    for i, row in enumerate(grid):
        if page_break_at is not None and i == page_break_at:
            # The table continues after a page break as a new pipe table with an empty header.
            lines += [
                "",
                "- 2 -",
                "",
                "| " + " | ".join("" for _ in row) + " |",
                "|" + "---|" * len(row),
            ]
        lines.append("| " + " | ".join(row) + " |")
        if i == 0:
            lines.append("|" + "---|" * len(row))
    return lines


def _tab(grid: list[list[str]], page_break_at: int | None) -> list[str]:
    lines = []
    for i, row in enumerate(grid):
        if page_break_at is not None and i == page_break_at:
            lines += ["", "\f"]
        lines.append("\t".join(row))
    return lines


def render_text(
    truth: Truth, style: Style = Style(), *, fmt: str = "pipe", page_breaks: bool = False
) -> bytes:
    """Return the report as UTF-8 text; `fmt` is 'pipe' (markdown) or 'tab'."""
    out: list[str] = []
    for kind, payload in blocks_of(truth, style):
        if kind == "title":
            out += [f"# {payload}" if fmt == "pipe" else str(payload), ""]
        elif kind == "heading":
            out += [f"## {payload}" if fmt == "pipe" else str(payload), ""]
        elif kind == "para":
            out += [str(payload), ""]
        else:
            grid = payload
            cut = len(grid) // 2 if page_breaks else None
            out += (_pipe if fmt == "pipe" else _tab)(grid, cut) + [""]
    return "\n".join(out).encode("utf-8")
