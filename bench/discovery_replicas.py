"""Discovery over the loopback replicas of real 年报 columns (tests/sources/replicas.py):
for each, the items the column holds, the report files discovery found, the reports
loaded, and the wall time of `xxgk ingest` over it, night 1 and night 2 (nothing changed).

Run: .venv/bin/python bench/discovery_replicas.py [--delay S]

Each replica is served by its own fake site on 127.0.0.1 and ingested into its own fresh
warehouse, in this process (as `xxgk ingest` without a Prefect server), extraction in
this process (--workers 0). The lists drawn by script (trs, vue) are rendered with
Chromium where it is installed, else they say `needs_browser` and only the static page
counts. XXGK_HTTP_DELAY is --delay (default 0): with the 1 s default, a column of 20
pages and files takes 20 s whatever discovery does.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import q  # noqa: E402
from tests.sources import replicas  # noqa: E402
from tests.sources.fakesite import FakeSite  # noqa: E402

BUILDERS = {
    "trs": replicas.build_trs,
    "vue": replicas.build_vue,
    "pagers": replicas.build_pagers,
    "portal": replicas.build_portal,
    "portal-as-agency": lambda site: replicas.build_portal(site, scope=""),
    "attachments": lambda site: replicas.build_attachments(site)[0],
}


def run_replica(name: str, folder: Path) -> dict:
    """Given a replica's name and a folder, serve it, ingest it twice and return its figures."""
    from flows.pipeline import RunOptions, ingest

    site = FakeSite().start()
    try:
        replica = BUILDERS[name](site)
        manifest = replicas.write_manifest(folder / f"{name}.csv", [replica])
        db = str(folder / f"{name}.duckdb")
        options = RunOptions(db, workers=0)
        started = time.perf_counter()
        first = ingest([manifest], options)
        night1 = time.perf_counter() - started
        hits1 = len(site.hits)
        started = time.perf_counter()
        second = ingest([manifest], options)
        night2 = time.perf_counter() - started
        found = sum(1 for o in first.outcomes if o.failure is None or o.failure.stage != "discover")
        return {
            "replica": name,
            "items": replica.items,
            "reports": len(replica.truths),
            "found": found,
            "loaded": q(db, "SELECT count(*) FROM reports")[0][0],
            "failed": sorted({f.error for f in first.failures()}),
            "night1_s": night1,
            "night1_requests": hits1,
            "night2_s": night2,
            "night2_304": sum(h.status == 304 for h in site.hits[hits1:]),
            "night2_requests": len(site.hits) - hits1,
            "night2_loaded": sum(
                o.status in ("valid", "inconsistent", "partial") for o in second.outcomes
            ),
        }
    finally:
        site.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("names", nargs="*", default=list(BUILDERS))
    args = parser.parse_args()
    os.environ.update(
        XXGK_ALLOW_PRIVATE_HOSTS="127.0.0.1",
        XXGK_HTTP_DELAY=str(args.delay),
        XXGK_HTTP_RETRIES="0",
        XXGK_HTTP_MAX_PAGES="10",
    )
    from sources.browser import find_chromium

    print(f"chromium: {find_chromium() or 'not installed'}")
    header = (
        f"{'replica':<17} {'items':>5} {'reports':>7} {'found':>5} {'loaded':>6} "
        f"{'night 1':>8} {'reqs':>4} {'night 2':>8} {'304s':>4}/{'reqs':<4} {'loaded':>6}  failures"
    )
    print(header)
    with tempfile.TemporaryDirectory(prefix="xxgk-replicas-") as tmp:
        for name in args.names:
            r = run_replica(name, Path(tmp))
            print(
                f"{r['replica']:<17} {r['items']:>5} {r['reports']:>7} {r['found']:>5} "
                f"{r['loaded']:>6} {r['night1_s']:>7.2f}s {r['night1_requests']:>4} "
                f"{r['night2_s']:>7.2f}s {r['night2_304']:>4}/{r['night2_requests']:<4} "
                f"{r['night2_loaded']:>6}  {', '.join(r['failed']) or '-'}"
            )


if __name__ == "__main__":
    main()
