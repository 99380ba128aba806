"""Layers import downward only (docs/architecture.md, "Layers").

A package may import the packages of the layers below its own, never one of its own
layer's other packages nor one above. Every import counts, also one inside a function or
under ``TYPE_CHECKING``: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. The order is the one the code needs:
LAYERS: tuple[tuple[str, ...], ...] = (
    # the template's contract (codes, wording, identities, Failure); what several stages
    # need below them (media sniffing, the raw store, decoding a page, the coded error);
    # the SQL files (data, read by name)
    ("spec", "common", "sql"),
    # read a document; find and fetch one (neither knows the other: fetching sniffs with
    # common/media.py, discovery decodes with common/charset.py)
    ("extract", "sources"),
    # a Report to long rows: reads extract's records
    ("transform",),
    # the rows into DuckDB (its tables are transform's records); one report drawn from the
    # rows (pure: no database, so it never needs load)
    ("load", "quality"),
    # the stages wired, with or without Prefect, and the command line
    ("flows",),
)
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def imported_packages(path: Path, package: str) -> list[tuple[int, str]]:
    """Given a module's path and its package's dotted name, return (line, top-level package)
    of every import it makes, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x, from ..y import z: its own package
                found.append((node.lineno, package.split(".")[0]))
            elif node.module:
                found.append((node.lineno, node.module.split(".")[0]))
    return found


def upward_imports() -> list[str]:
    """Return every import of a package of the same or a higher layer, as file:line."""
    out = []
    for package, rank in RANK.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            dotted = ".".join(path.relative_to(ROOT).parent.parts)
            for line, imported in imported_packages(path, dotted):
                if imported in RANK and imported != package and RANK[imported] >= rank:
                    where = path.relative_to(ROOT).as_posix()
                    out.append(f"{where}:{line} imports {imported} (layer {RANK[imported]})")
    return out


def test_every_package_has_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.split(".")[0] for p in config["tool"]["setuptools"]["packages"]}
    assert packages == set(RANK)


def test_imports_go_downward_only():
    assert upward_imports() == []


@pytest.mark.parametrize(
    "package, imported",
    [("extract", "spec"), ("sources", "common"), ("transform", "extract"), ("flows", "load")],
)
def test_the_walk_sees_imports(package, imported):
    """The walk finds the downward imports the code has (it is not passing by seeing none)."""
    seen = {
        name
        for path in (ROOT / package).rglob("*.py")
        for _, name in imported_packages(path, package)
    }
    assert imported in seen
