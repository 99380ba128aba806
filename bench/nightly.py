"""Nightly benchmark: N known sources (default 10,000), nothing changed since the last run.

Builds a manifest of N generated text reports, each its own agency: half local files
(`path`), half URLs (`url`) on several loopback hosts (127.0.0.2, 127.0.0.3, ...)
served by a static HTTP server in its own process, which sends ETag and Last-Modified
and answers 304 to a matching conditional request (HTTP/1.1, keep-alive, as real web
servers do). Loads them all once (setup, not timed), then times, from a shell's
point of view, a second `xxgk ingest MANIFEST` with nothing changed: every local file
is read and hashed again, every URL is asked again with If-None-Match and
If-Modified-Since, nothing is extracted and nothing loaded.

Goal (issue 12): the second run ends in < 10 s and loads 0 rows.

What it does not measure: politeness. XXGK_HTTP_DELAY (1 s between request starts to
one host by default) is set to --delay (0 here): with 1 s, 5,000 URLs on 8 hosts would
take 5000 / 8 s whatever the pipeline does; XXGK_HTTP_PER_HOST stays 2, so at most
2 x hosts requests are in flight. A real night spreads its URLs over thousands of
sites, each asked a few times.

Usage: python bench/nightly.py [N] [--hosts H] [--url-share F] [--delay S] [--keep DIR] [--again]

`--again` with `--keep DIR` of an earlier run skips the setup: the same manifest, the
same hosts and ports, the warehouse as that run left it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LAST_MODIFIED = "Wed, 31 Jan 2024 08:00:00 GMT"
GOAL_S = 10.0


def serve_folder(root: str, addresses: list[tuple[str, int]], ready, stop) -> None:
    """Serve the files of `root` on each (host, port) (port 0: a free one) until `stop` is set;
    put the (host, port) pairs on `ready` once listening, then the answers by status."""
    files = {}
    for path in Path(root).iterdir():
        body = path.read_bytes()
        files["/" + path.name] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
    counts: dict[int, int] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, no delayed ACK wait

        def log_message(self, *args):
            pass

        def do_GET(self):
            found = files.get(self.path.split("?", 1)[0])
            if found is None:
                status, body, etag = 404, b"", None
            else:
                body, etag = found
                matches = self.headers.get("If-None-Match") == etag
                status = 304 if matches else 200
            counts[status] = counts.get(status, 0) + 1
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", "0" if status == 304 else str(len(body)))
            self.end_headers()
            if status == 200:
                self.wfile.write(body)

    servers = [ThreadingHTTPServer(address, Handler) for address in addresses]
    for server in servers:
        server.daemon_threads = True
        Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    ready.put([server.server_address[:2] for server in servers])
    stop.wait()
    for server in servers:
        server.shutdown()
    ready.put(counts)


def build(n: int, url_share: float, work: Path) -> list[tuple[str, str]]:
    """Given N, write N reports under work/local and work/site; return (kind, file name) rows."""
    from tests.docgen.text import render_text
    from tests.docgen.truth import random_truth

    local, site = work / "local", work / "site"
    local.mkdir(parents=True, exist_ok=True)
    site.mkdir(parents=True, exist_ok=True)
    rows = []
    n_urls = round(n * url_share)
    for i in range(n):
        truth = random_truth(random.Random(i), "2021", agency=f"夜间{i:05d}号局", year=2024)
        kind, folder = ("url", site) if i < n_urls else ("path", local)
        name = f"r{i:05d}.txt"
        (folder / name).write_bytes(render_text(truth))
        rows.append((kind, name))
    return rows


def write_manifest(rows, local: Path, addresses, path: Path) -> None:
    """Write the manifest: URLs spread over the hosts round-robin, local files by path."""
    lines = ["url,path"]
    for i, (kind, name) in enumerate(rows):
        if kind == "url":
            host, port = addresses[i % len(addresses)]
            lines.append(f"http://{host}:{port}/{name},")
        else:
            lines.append(f",{local / name}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def xxgk(args: list[str], env: dict) -> tuple[float, str]:
    """Run `xxgk ARGS` as a shell would; return (wall seconds, its output), and print the CPU
    seconds it used (its processes, not the HTTP server's)."""
    exe = str(Path(sys.executable).parent / "xxgk")
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.run([exe, *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    after = os.times()
    if proc.returncode:
        raise SystemExit(f"xxgk {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    cpu = (
        after.children_user - before.children_user + after.children_system - before.children_system
    )
    print(f"xxgk {args[0]}: {wall:.2f} s wall, {cpu:.2f} s CPU (xxgk and its workers)")
    return wall, proc.stdout


def summary_numbers(output: str) -> list[int]:
    """Given `xxgk ingest` output, return its summary's numbers (seen, valid, ..., rows written)."""
    line = next(x for x in output.splitlines() if re.match(r"^│\s*\d", x))
    return [int(v) for v in re.findall(r"\d+", line)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000, help="known sources")
    parser.add_argument("--hosts", type=int, default=8, help="loopback hosts serving the URLs")
    parser.add_argument("--url-share", type=float, default=0.5, help="share of URLs")
    parser.add_argument("--delay", type=float, default=0.0, help="XXGK_HTTP_DELAY, seconds")
    parser.add_argument("--workers", type=int, default=2, help="extraction processes")
    parser.add_argument("--keep", help="work here instead of a temp dir")
    parser.add_argument("--again", action="store_true", help="reuse --keep DIR's setup")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="xxgk-nightly-"))
    manifest = work / "nightly.csv"
    if args.again:
        text = manifest.read_text(encoding="utf-8")
        addresses = sorted({(h, int(p)) for h, p in re.findall(r"http://([\d.]+):(\d+)/", text)})
        args.n = text.count("\n") - 1
        args.url_share = text.count("http://") / args.n
        args.hosts = len(addresses)
    else:
        for stale in work.glob("w.duckdb*"):
            stale.unlink()
        t0 = time.perf_counter()
        rows = build(args.n, args.url_share, work)
        print(f"wrote {args.n} reports in {time.perf_counter() - t0:.1f} s under {work}")
        addresses = [(f"127.0.0.{2 + i}", 0) for i in range(args.hosts)]
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"XXGK_ALLOW_PRIVATE_HOSTS": "1", "XXGK_HTTP_DELAY": f"{args.delay:g}"}
    common = [str(manifest), "--db", str(work / "w.duckdb"), "--workers", str(args.workers)]
    ready, stop = multiprocessing.Queue(), multiprocessing.Event()
    server = multiprocessing.Process(
        target=serve_folder, args=(str(work / "site"), addresses, ready, stop)
    )
    server.start()
    try:
        addresses = ready.get(timeout=60)
        if not args.again:
            write_manifest(rows, work / "local", addresses, manifest)
            first_s, first = xxgk(["ingest", *common], env)
            print(f"first run (setup): {first_s:.1f} s, summary {summary_numbers(first)}")
        second_s, second = xxgk(["ingest", *common], env)
        stop.set()
        answers = ready.get(timeout=30)  # before join: the server's queue must be drained
    finally:
        stop.set()
        server.join(30)
    report(args, second_s, second, answers)


def report(args, seconds: float, output: str, answers: dict) -> None:
    seen, valid, inconsistent, partial, unchanged, failed, rows = summary_numbers(output)
    urls = round(args.n * args.url_share)
    print(
        f"second run, nothing changed: {seconds:.2f} s wall for {seen} sources "
        f"({urls} URLs on {args.hosts} loopback hosts, {args.n - urls} local files; "
        f"XXGK_HTTP_DELAY={args.delay:g}, XXGK_HTTP_PER_HOST=2, --workers {args.workers})"
    )
    print(
        f"loaded {valid + inconsistent + partial} reports, {rows} rows; "
        f"unchanged {unchanged}, failed {failed}"
    )
    print("server answers: " + ", ".join(f"{k} x{v}" for k, v in answers.items()))
    print(
        " ".join(
            line.strip() for line in output.splitlines() if line.startswith(("HTTP", "Nothing"))
        )
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average after the run (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    ok = seconds < GOAL_S and rows == 0 and unchanged == seen
    print(f"goal: < {GOAL_S:g} s and 0 rows: {'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
