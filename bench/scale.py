"""Scale benchmark: report pages through 1, 2 and 4 Celery workers on PostgreSQL and Redis.

    .venv/bin/python bench/scale.py --data ../shared/data/corpus/wikinews.jsonl \\
        [--pages 10000] [--sources 200]

The site. The ingest benchmark's web (bench/ingest_site.py): the corpus articles as the pages
of --sources outlets, each on its own loopback port with its own layout (five templates full of
what news pages carry around an article) and URL scheme, with RSS and Atom feeds; repeats of
the corpus come out under new URLs, a day later, with every eighth word changed, so they are
distinct reports. Seven pages in ten have a lead image. Rendered before the clock starts,
served from memory by one asyncio process.

The runs. Each in a fresh process (bench/scale_run.py) on a fresh database, the whole pipeline
from feed polling to published articles (discover, fetch, extract, images, cluster, write,
publish): through the Redis queues with 1, 2 and 4 worker processes (one task at a time each,
started and ready before the clock) on PostgreSQL, and the embedded pass on SQLite for
comparison. The clock stops when the database holds no pending work and the queues are empty.

Figures. reports/s = reports stored / seconds of wall-clock time until the last article is
published; placed/s = the same until the last report was placed in a story (ingest alone);
speedup_2 = 2 workers' reports/s over 1 worker's. The machine's CPUs are shared by the workers,
PostgreSQL, Redis and the site's server (and anything else running), so the load average is
printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from ingest_corpus import BenchDataError, load_stories  # noqa: E402
from served_site import served_site  # noqa: E402


def _environment(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "NEWSDESK_FETCH_ALLOWED_ADDRESSES": "127.0.0.1",
            "NEWSDESK_FETCH_HOST_DELAY": "0",
            "NEWSDESK_LOG_LEVEL": "ERROR",
            "NEWSDESK_WRITE_SETTLE_SECONDS": "0.5",
            **extra,
        }
    )
    return env


def _fresh_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _run(site_file: Path, workers: int, env: dict[str, str]) -> dict[str, Any]:
    run = subprocess.run(
        [
            sys.executable,
            str(BENCH / "scale_run.py"),
            "--site",
            str(site_file),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if run.returncode != 0 or not run.stdout.strip():
        raise SystemExit(f"the run with {workers} workers failed (exit status {run.returncode})")
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True, help="path of wikinews.jsonl")
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--sources", type=int, default=200, help="outlets, one port each")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/newsdesk_scale_bench",
        help="PostgreSQL database to (re)create for each worker run",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2")
    args = parser.parse_args(argv)
    try:
        stories = load_stories(args.data)
        counts = [int(n) for n in args.workers.split(",") if n.strip()]
    except BenchDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"corpus: {len(stories)} articles; {args.pages} pages on {args.sources} sources; "
        f"{os.cpu_count()} CPUs",
        flush=True,
    )
    rates: dict[str, float] = {}
    with served_site(args.data, args.pages, args.sources) as (site, site_file):
        print(f"site: {site['pages']} pages, {site['html_bytes'] // 1024} KB of HTML", flush=True)
        runs: list[tuple[str, int, dict[str, str]]] = [
            (str(n), n, {"DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url})
            for n in counts
        ]
        home = tempfile.mkdtemp(prefix="newsdesk-scale-sqlite-")
        runs.append(("embedded_sqlite", 0, {"NEWSDESK_HOME": home}))
        for key, workers, extra in runs:
            if "DATABASE_URL" in extra:
                _fresh_postgres(extra["DATABASE_URL"])
            result = _run(site_file, workers, _environment(extra))
            rates[key] = result["reports_per_s"]
            print(
                f"{result['mode']:>12} on {result['database']}: "
                f"{result['reports_per_s']:7.2f} reports/s ({result['reports']} reports in "
                f"{result['seconds']} s, the last placed in a story after "
                f"{result['placed_seconds']} s: {result['placed_per_s']} placed/s; "
                f"{result['stories']} stories, {result['articles']} articles "
                f"({result['revisions']} revisions), {result['copies']} copies; "
                f"links {result['states']}; CPU seconds {result['cpu_seconds']}); "
                f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}",
                flush=True,
            )
    one = rates.get("1")
    summary = {
        "reports_per_s": rates,
        "speedup_2": round(rates["2"] / one, 2) if one and "2" in rates else None,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
