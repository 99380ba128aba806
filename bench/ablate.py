"""Find which switches make an adversarial document fail: turn each off in turn.

For a failing document of ``bench/accuracy.py`` (seed, format, index), every switch
that differs from its default (in Style, PdfStyle/TextStyle or the HTML/DOCX options)
is reset alone; the switches whose reset makes the document pass are its culprits.
When no single reset helps, pairs are tried.

    python bench/ablate.py --seed 0 --format pdf-unruled --index 3
    python bench/ablate.py --from-json /tmp/adv.json --no-pairs   # every failure of a run

With ``--from-json`` (the file ``bench/accuracy.py --json`` wrote) every failing
document is ablated and the culprits are counted per format.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.accuracy import run_case  # noqa: E402
from tests.docgen.adversarial import Case, case_rng, draw_case  # noqa: E402
from tests.docgen.layout import Style  # noqa: E402

_NEUTRAL = {"seed", "prose_paras", "meta_title", "title_size", "encoding", "charset"}


def switches(case: Case) -> list[tuple[str, str]]:
    """Given a case, return its non-default switches as (where, name)."""
    out = [
        ("style", f.name)
        for f in dataclasses.fields(Style)
        if getattr(case.style, f.name) != f.default and f.name not in _NEUTRAL
    ]
    if dataclasses.is_dataclass(case.options):
        default = type(case.options)()
        out += [
            ("options", f.name)
            for f in dataclasses.fields(case.options)
            if getattr(case.options, f.name) != getattr(default, f.name)
            and f.name not in _NEUTRAL | {"ruled"}
        ]
    else:
        out += [
            ("options", k) for k, v in case.options.items() if v and k not in _NEUTRAL | {"markup"}
        ]
    return out


def without(case: Case, off: tuple[tuple[str, str], ...]) -> Case:
    """Given a case, return a copy with the switches `off` back at their defaults."""
    style, options = case.style, case.options
    for where, name in off:
        if where == "style":
            style = dataclasses.replace(style, **{name: Style.__dataclass_fields__[name].default})
        elif dataclasses.is_dataclass(options):
            default = getattr(type(options)(), name)
            options = dataclasses.replace(options, **{name: default})
        else:
            options = {**options, name: type(options[name])()}
    return Case(case.fmt, case.truth, style, options, case.variant)


def culprits(case: Case, name: str, pairs: bool = True) -> list[str]:
    """Given a failing case, return the switches (or pairs) whose reset makes it pass."""
    found = []
    all_switches = switches(case)
    for sw in all_switches:
        if not run_case(without(case, (sw,)), name).failed:
            found.append(sw[1])
    if found or not pairs:
        return found
    for a, b in itertools.combinations(all_switches, 2):
        if not run_case(without(case, (a, b)), name).failed:
            found.append(f"{a[1]}+{b[1]}")
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--format")
    ap.add_argument("--index", type=int, action="append", default=[])
    ap.add_argument("--no-pairs", action="store_true", help="try single switches only")
    ap.add_argument("--from-json", type=Path, help="ablate every failure of an accuracy run")
    args = ap.parse_args(argv)
    if args.from_json:
        run = json.loads(args.from_json.read_text(encoding="utf-8"))
        counts: dict[str, Counter] = {}
        for f in run["failures"]:
            case = draw_case(case_rng(run["seed"], f["format"], f["index"]), f["format"])
            found = culprits(case, f["name"], not args.no_pairs)
            f["culprits"] = found
            counts.setdefault(f["format"], Counter()).update(found or ["(combination)"])
            print(f"{f['name']}: {', '.join(found) or '(combination)'} | {f['reason'][:140]}")
        for fmt, counter in counts.items():
            print(f"== {fmt}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))
        args.from_json.with_suffix(".culprits.json").write_text(
            json.dumps(run, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        return 0
    for i in args.index:
        case = draw_case(case_rng(args.seed, args.format, i), args.format)
        name = f"{args.format}-{args.seed}-{i:04d}"
        score = run_case(case, name)
        print(f"{name}: {score.reason()}")
        if score.failed:
            print(
                f"    culprits: {', '.join(culprits(case, name, not args.no_pairs)) or '(none alone or in pairs)'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
