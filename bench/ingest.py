"""Ingest benchmark: end-to-end pages per second through discover, fetch, extract and store.

    .venv/bin/python bench/ingest.py --data ../shared/data/corpus/wikinews.jsonl

The site. The corpus articles become the pages of six outlets, one loopback port each (each its
own host to the fetcher), with five page layouts full of what news pages carry around an
article (mega-menus, inline SVG icons, share bars, cookie banners, related links, comments,
newsletter boxes, app-state scripts, JSON-LD, footers): about 52 KB of HTML a page, half the
size of the extraction benchmark's real pages (median 112 KB), and about half their extraction
cost. Seven pages in ten have a lead image, which the desk downloads and stores as it would
anywhere. Feeds (RSS and Atom, 50 entries each) list the pages. A server process of its own
(bench/ingest_site.py) renders everything before the clock starts and serves it from memory,
gzip-compressed, from one asyncio loop.

Sizes. 300, 1,000 and 3,000 pages: the corpus repeated under new URLs. A repeat is dated a
day later per round and has every eighth word swapped for another word of the same article:
same length, vocabulary and extraction cost, but only half its 4-word shingles survive
(Jaccard about 0.33 with the original), so the desk sees distinct reports, as a real flow of
news would be, rather than near-copies it could shortcut; the run prints how many were taken
for copies (expected: 0).

The run. Each size runs in a fresh process (bench/ingest_run.py) with an empty SQLite
NEWSDESK_HOME, through the runner's own stages: `discover` (feeds polled concurrently),
`fetch_and_extract` (concurrent downloads on the fetcher's thread; each page recorded and
extracted as it arrives, by extraction worker processes when the desk's setting gives some,
else by the main thread) and `fetch_images`. Clustering and publishing are not measured.

Figures. pages/s = article pages taken to a final state (stored as a report, or failed with a
reason) per second of wall-clock time, from the first feed request to the last page stored;
the final JSON line gives it for the largest size. Peak RSS is the desk's own: its process
(ru_maxrss) plus, per extraction worker, the largest worker's. CPU is shared, unpinned, by the
operating system between the server process and the desk (main thread, fetcher thread,
workers) on all CPUs of the machine; the CPU seconds of each are printed, with the load
average, since other work on the machine takes its share too.

Politeness. Loopback is refused unless allowed, so the run sets
NEWSDESK_FETCH_ALLOWED_ADDRESSES=127.0.0.1 and NEWSDESK_FETCH_HOST_DELAY=0 (a real site gets
the 1 s default), with --concurrency requests in flight and --per-host per outlet.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from ingest_corpus import BenchDataError, load_stories  # noqa: E402
from served_site import served_site  # noqa: E402


def _environment(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "NEWSDESK_FETCH_ALLOWED_ADDRESSES": "127.0.0.1",
            "NEWSDESK_FETCH_HOST_DELAY": "0",
            "NEWSDESK_FETCH_CONCURRENCY": str(args.concurrency),
            "NEWSDESK_FETCH_PER_HOST": str(args.per_host),
            "NEWSDESK_LOG_LEVEL": "ERROR",
        }
    )
    if args.workers is not None:
        env["NEWSDESK_EXTRACT_WORKERS"] = str(args.workers)
    return env


def run_size(args: argparse.Namespace, pages: int, profile: Path | None) -> dict[str, Any]:
    with served_site(args.data, pages, args.outlets) as (site, site_file):
        command = [sys.executable, str(BENCH / "ingest_run.py"), "--site", str(site_file)]
        if profile:
            command += ["--profile", str(profile)]
        run = subprocess.run(
            command, env=_environment(args), stdout=subprocess.PIPE, text=True, check=False
        )
    if run.returncode != 0 or not run.stdout.strip():
        raise SystemExit(f"the measured run failed (exit status {run.returncode})")
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    result["html_kb_per_page"] = round(site["html_bytes"] / max(1, site["pages"]) / 1024, 1)
    result["feeds"] = sum(len(feeds) for feeds in site["feeds"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True, help="path of wikinews.jsonl")
    parser.add_argument("--sizes", default="300,1000,3000", help="page counts, comma-separated")
    parser.add_argument("--outlets", type=int, default=6, help="outlets, one port each")
    parser.add_argument("--concurrency", type=int, default=16, help="downloads in flight")
    parser.add_argument("--per-host", type=int, default=4, help="downloads in flight per host")
    parser.add_argument(
        "--workers", type=int, help="extraction worker processes (default: the desk's setting)"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="cProfile the largest size (which makes it slower); stats written to this file",
    )
    args = parser.parse_args(argv)
    try:
        stories = load_stories(args.data)
        sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except BenchDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError:
        print(f"error: --sizes must be whole numbers, got {args.sizes!r}", file=sys.stderr)
        return 2
    if not sizes or min(sizes) <= 0:
        print("error: --sizes needs at least one positive page count", file=sys.stderr)
        return 2
    print(
        f"corpus: {len(stories)} articles from {args.data}; {args.outlets} outlets; "
        f"{os.cpu_count()} CPUs; concurrency {args.concurrency}, {args.per_host} per host",
        flush=True,
    )
    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
        profile = args.profile if size == sizes[-1] else None
        result = run_size(args, size, profile)
        results[size] = result
        print(
            f"{size:>6} pages: {result['pages_per_s']:6.1f} pages/s "
            f"{'(profiled, so slower) ' if profile else ''}"
            f"({result['pages']} pages in {result['seconds']} s, discover "
            f"{result['discover_seconds']} s; {result['reports']} reports "
            f"({result['copies']} taken for copies), "
            f"states {result['states']}, {result['problems']} problems); "
            f"per fifth of the run {result['window_pages_per_s']}; "
            f"CPU s: desk {result['cpu_s']} + {result['workers']} extraction workers "
            f"{result['workers_cpu_s']}, server {result['server_cpu_s']}; "
            f"peak RSS {result['total_peak_rss_mb']} MB (desk {result['peak_rss_mb']} MB, "
            f"{result['rss_before_mb']} MB before the run; each worker at most "
            f"{result['workers_peak_rss_mb']} MB); "
            f"{result['html_kb_per_page']} KB of HTML a page, {result['feeds']} feeds; "
            f"load average {result['load_average']}",
            flush=True,
        )
    largest = results[sizes[-1]]
    summary = {
        "pages_per_s": largest["pages_per_s"],
        "peak_rss_mb": {str(size): results[size]["total_peak_rss_mb"] for size in sizes},
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
