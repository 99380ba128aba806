"""Measure: fetches to two hosts overlap in time while each host gets one request at a time.

Run: .venv/bin/python bench/fetch_hosts.py   (starts two fake sites on 127.0.0.1 and 127.0.0.2)
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.docgen.text import render_text  # noqa: E402
from tests.docgen.truth import random_truth  # noqa: E402
from tests.sources.fakesite import FakeSite  # noqa: E402

PER_SITE, DELAY = 4, 0.5


def main() -> None:
    os.environ.update(
        XXGK_ALLOW_PRIVATE_HOSTS="1", XXGK_HTTP_DELAY=str(DELAY), XXGK_HTTP_PER_HOST="1"
    )
    from flows.ingest import ingest
    from flows.settings import RunOptions

    sites = [FakeSite(h).start() for h in ("127.0.0.1", "127.0.0.2")]
    rows = ["url,agency_id,year"]
    for s, site in enumerate(sites):
        for i in range(PER_SITE):
            truth = random_truth(random.Random(10 * s + i), "2021", year=2023)
            rows.append(f"{site.add(f'/r{i}.txt', render_text(truth))},a{s}{i},2023")
    with tempfile.TemporaryDirectory() as tmp:
        manifest = Path(tmp) / "m.csv"
        manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
        started = time.monotonic()
        summary = ingest([str(manifest)], RunOptions(db=str(Path(tmp) / "w.duckdb")))
        took = time.monotonic() - started
    spans = [(min(h.at for h in s.hits), max(h.at for h in s.hits)) for s in sites]
    overlap = min(b for _, b in spans) - max(a for a, _ in spans)
    for site, (a, b) in zip(sites, spans, strict=True):
        print(f"{site.base}: {len(site.hits)} requests over {b - a:.2f}s")
        site.stop()
    print(
        f"loaded {summary.counts()}; flow {took:.1f}s; the two hosts' request spans overlap "
        f"{overlap:.2f}s (per host, request starts are {DELAY}s apart client-side)"
    )


if __name__ == "__main__":
    main()
