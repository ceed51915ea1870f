"""One measured run of the scale benchmark, in a process of its own (started by bench/scale.py).

It migrates the database it is given (DATABASE_URL: a fresh PostgreSQL database; or a fresh
SQLite NEWSDESK_HOME), registers the bench outlets as sources, and times the whole pipeline,
discovery to published articles: embedded (the runner's pass, in this process) or through the
Redis queues with --workers worker processes, started and ready before the clock starts. It
prints one JSON line with its figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _register(site: dict[str, Any]) -> list[int]:
    from newsdesk.sources.models import Feed, Source

    feed_ids: list[int] = []
    for index, (name, feeds) in enumerate(zip(site["outlets"], site["feeds"], strict=True)):
        base = feeds[0].rsplit("/feeds/", 1)[0]
        source = Source.objects.create(
            name=name, slug=f"bench-{index}", homepage=base + "/", language="en"
        )
        Feed.objects.bulk_create(Feed(source=source, url=url) for url in feeds)
        feed_ids.extend(Feed.objects.filter(source=source).values_list("id", flat=True))
    return feed_ids


def _machine_cpu_seconds() -> float | None:
    """CPU time used by the whole machine so far (Linux /proc/stat), None elsewhere."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> tuple[float, float]:
    """(this process, its waited-for children: the workers) CPU seconds."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _wait_ready(count: int, timeout: float = 120) -> None:
    from newsdesk.tasks.celery_app import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0)) >= count:
            return
    raise SystemExit(f"{count} workers were not ready in {timeout:.0f} s")


def measure(site: dict[str, Any], workers: int) -> dict[str, Any]:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from django.db import connection
    from django.utils import timezone

    from newsdesk.pipeline.runner import run_pass
    from newsdesk.publishing.models import Article, ArticleRevision
    from newsdesk.reports.models import Link, Report
    from newsdesk.stories.models import Story

    feed_ids = _register(site)
    started_workers = []
    logs = Path(tempfile.mkdtemp(prefix="newsdesk-scale-"))
    if workers:
        from newsdesk.tasks.dispatch import redis_client
        from newsdesk.tasks.drive import run_through_queue, start_workers, stop_workers

        redis_client().flushdb()
        started_workers = start_workers(workers, log_dir=logs)
    try:
        if workers:
            _wait_ready(workers)
        machine_before, (self_before, kids_before) = _machine_cpu_seconds(), _own_cpu_seconds()
        since = timezone.now()
        started = time.perf_counter()
        if workers:
            run_through_queue(feed_ids, timezone.now(), timeout=3600)
        else:
            run_pass()
        seconds = time.perf_counter() - started
    finally:
        if workers:
            stop_workers(started_workers)
    machine_after, (self_after, kids_after) = _machine_cpu_seconds(), _own_cpu_seconds()
    # Where the CPU went (the workers' share counted once they exited; the rest of the machine
    # is PostgreSQL, Redis, the site's server and whatever else runs).
    cpu = {
        "workers": round(kids_after - kids_before, 1),
        "runner": round(self_after - self_before, 1),
    }
    if machine_before is not None and machine_after is not None:
        cpu["machine"] = round(machine_after - machine_before, 1)
    reports = Report.objects.count()
    last_placed = Report.objects.aggregate(at=django.db.models.Max("clustered_at"))["at"]
    placed_seconds = (last_placed - since).total_seconds() if last_placed else seconds
    states = dict(Link.objects.values_list("state").annotate(n=django.db.models.Count("id")))
    return {
        "mode": f"{workers} workers" if workers else "embedded",
        "database": connection.vendor,
        "seconds": round(seconds, 2),
        "reports": reports,
        "reports_per_s": round(reports / seconds, 2),
        # Ingest alone: until the last report was placed in a story (articles not yet written).
        "placed_seconds": round(placed_seconds, 2),
        "placed_per_s": round(reports / placed_seconds, 2),
        "stories": Story.objects.filter(merged_into__isnull=True).count(),
        "articles": Article.objects.count(),
        # Revisions written: above the articles' count, stories written again as they grew.
        "revisions": ArticleRevision.objects.count(),
        "copies": Report.objects.filter(duplicate_of__isnull=False).count(),
        "states": states,
        "cpu_seconds": cpu,
        "logs": str(logs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="the site's JSON description")
    parser.add_argument("--workers", type=int, default=0, help="0: the embedded pass")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    site = json.loads(args.site.read_text())
    print(json.dumps(measure(site, args.workers)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
