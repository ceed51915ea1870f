"""One measured run of the ingest benchmark, in a process of its own.

Started by bench/ingest.py once per size, so that the peak memory it reports is this size's
alone. It makes a fresh NEWSDESK_HOME (SQLite), registers the bench outlets' feeds as sources,
then times the runner's own stages: discover (every feed), fetch and extract (pipelined), and
the image downloads. It prints one JSON line with its figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _rss_mb() -> float:
    """Resident memory now (Linux), for the baseline before the timed part."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _Bar:
    def __init__(self, marks: list[float]) -> None:
        self.marks = marks

    def advance(self, amount: int = 1) -> None:
        self.marks.extend([time.perf_counter()] * amount)


class TimingProgress:
    """The runner's progress protocol, keeping the time each page of the fetch stage finished."""

    def __init__(self) -> None:
        self.marks: dict[str, list[float]] = {}

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[_Bar]:
        yield _Bar(self.marks.setdefault(name, []))


def _server_cpu(base_url: str) -> float:
    with urllib.request.urlopen(base_url + "/__bench/cpu", timeout=5) as response:
        user, system = json.loads(response.read())
    return float(user) + float(system)


def _windows(marks: list[float], start: float, parts: int = 5) -> list[float]:
    """Pages per second in each fifth of the run: flat when the cost per page does not grow."""
    if len(marks) < parts * 2:
        return []
    size = len(marks) // parts
    rates = []
    previous = start
    for i in range(parts):
        end = marks[(i + 1) * size - 1]
        rates.append(round(size / max(end - previous, 1e-9), 1))
        previous = end
    return rates


def measure(site: dict[str, Any], profile: Path | None) -> dict[str, Any]:
    import django
    from django.core.management import call_command
    from django.db.models import Count

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)

    from newsdesk.pipeline import runner
    from newsdesk.reports.models import Link, Report
    from newsdesk.sources.models import Feed, Source

    source_ids = []
    for index, (name, feeds) in enumerate(zip(site["outlets"], site["feeds"], strict=True)):
        base = feeds[0].rsplit("/feeds/", 1)[0]
        source = Source.objects.create(
            name=name, slug=f"bench-{index}", homepage=base + "/", language="en"
        )
        Feed.objects.bulk_create(Feed(source=source, url=url) for url in feeds)
        source_ids.append(source.pk)

    from django.conf import settings

    from newsdesk.pipeline.extractors import POOL_MIN_PAGES

    # Workers start only for a batch worth it; the discovered batch is the whole site.
    workers = settings.NEWSDESK_EXTRACT_WORKERS if site["pages"] >= POOL_MIN_PAGES else 0
    server = site["feeds"][0][0].rsplit("/feeds/", 1)[0]
    rss_before = _rss_mb()
    progress = TimingProgress()
    summary = runner.PassSummary()
    profiler = cProfile.Profile() if profile else None
    server_cpu_before = _server_cpu(server)
    cpu_before = os.times()
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    runner.discover(progress, summary, source_ids)
    discovered = summary.new_links
    discover_done = time.perf_counter()
    runner.fetch_and_extract(progress, summary, source_ids)
    runner.fetch_images(progress, summary)
    finished = time.perf_counter()
    if profiler:
        profiler.disable()
    cpu_after = os.times()
    server_cpu = _server_cpu(server) - server_cpu_before

    if profiler and profile:
        profiler.dump_stats(str(profile))
    states = dict(Link.objects.values_list("state").annotate(n=Count("id")))
    processed = states.get(Link.State.DONE, 0) + states.get(Link.State.FAILED, 0)
    seconds = finished - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "pages": processed,
        "discovered": discovered,
        "states": states,
        "reports": Report.objects.count(),
        # Repeats are varied so as not to be near-copies: this should stay 0.
        "copies": Report.objects.filter(duplicate_of__isnull=False).count(),
        "problems": len(summary.problems),
        "seconds": round(seconds, 2),
        "discover_seconds": round(discover_done - started, 2),
        "pages_per_s": round(processed / seconds, 1),
        "window_pages_per_s": _windows(progress.marks.get("fetch", []), discover_done),
        "cpu_s": round(
            (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system), 2
        ),
        "workers_cpu_s": round(
            (cpu_after.children_user - cpu_before.children_user)
            + (cpu_after.children_system - cpu_before.children_system),
            2,
        ),
        "server_cpu_s": round(server_cpu, 2),
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(own.ru_maxrss / 1024, 1),
        "workers_peak_rss_mb": round(children.ru_maxrss / 1024, 1),
        # Each worker process holds its own copy of the extractor: all of them count.
        "workers": workers,
        "total_peak_rss_mb": round((own.ru_maxrss + workers * children.ru_maxrss) / 1024, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="the server's JSON description")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the timed part here")
    parser.add_argument("--keep-home", action="store_true", help="keep the NEWSDESK_HOME folder")
    args = parser.parse_args(argv)
    site = json.loads(args.site.read_text())
    home = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    # The desk's own SQLite database, whatever the calling shell points at.
    os.environ.pop("DATABASE_URL", None)
    os.environ["NEWSDESK_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    try:
        result = measure(site, args.profile)
    finally:
        if not args.keep_home:
            shutil.rmtree(home, ignore_errors=True)
    if args.profile:
        text = io.StringIO()
        stats = pstats.Stats(str(args.profile), stream=text)
        stats.sort_stats("tottime").print_stats(20)
        print(text.getvalue(), file=sys.stderr)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
