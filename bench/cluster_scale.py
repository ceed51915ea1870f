"""Clustering at scale: time and memory to place one report into a store of N reports.

    python bench/cluster_scale.py --data ../shared/data/corpus/wikinews.jsonl

For each size a fresh SQLite store is built with N clustered reports in stories of three,
made from the Wikinews articles with varied names, numbers and dates (a steady news rate,
NEWS_PER_DAY, so a larger archive covers more days, as a real one does). The vectors, keys
and term counts are made by the clusterer's own functions. Then a separate, fresh process
places PLACED new reports with ``cluster_report`` (half of them on events already in the
store) and reports the mean time per report and its own peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

NEWS_PER_DAY = 3000
PER_STORY = 3
PLACED = 200
START = datetime(2020, 1, 1, tzinfo=UTC)
BATCH = 5000


def _setup(home: Path) -> None:
    os.environ["NEWSDESK_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()


def _articles(path: Path) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(row["title"], row["text"]) for row in rows if row.get("text")]


class Variant:
    """Report ``number`` of the synthetic stream: its article, event variant and time."""

    def __init__(self, number: int, articles: int) -> None:
        self.story = number // PER_STORY
        self.article = self.story % articles
        self.variant = self.story // articles
        self.when = START + timedelta(days=number / NEWS_PER_DAY)

    def rename(self, term: str) -> str:
        # Another event of the same kind: other names and numbers, same vocabulary.
        return f"{term}{self.variant}" if self.variant else term


def _vector(base: Any, variant: Variant, idf: dict[str, float]) -> Any:
    from newsdesk.stories.scoring import ReportVector
    from newsdesk.stories.vectors import unit

    entities = {variant.rename(t): w * idf.get(t, 1.0) for t, w in base.entities.items()}
    words = {t: w * idf.get(t, 1.0) for t, w in base.words.items()}
    words.update({variant.rename(t)[1:]: w for t, w in entities.items()})
    return ReportVector(words=unit(words), entities=unit(entities), size=base.size)


def _insert(model: Any, objects: list[Any], ready: dict[str, list[str]]) -> None:
    """A plain executemany INSERT: Django's bulk_create spends more building SQL than SQLite
    spends storing it. ``ready`` holds columns already serialised (the shared vector JSON)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    rows = []
    for i, obj in enumerate(objects):
        rows.append(
            [
                ready[f.name][i]
                if f.name in ready
                else f.get_db_prep_save(f.pre_save(obj, True), connection)
                for f in fields
            ]
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def build(data: Path, size: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from newsdesk.reports.models import Report
    from newsdesk.sources.models import Source
    from newsdesk.stories import index
    from newsdesk.stories.features import report_features
    from newsdesk.stories.models import Story, StoryKey, TermFrequency

    call_command("migrate", interactive=False, verbosity=0)
    articles = _articles(data)
    bases = [report_features(title, text) for title, text in articles]
    df: Counter[str] = Counter()
    for base in bases:
        df.update([*base.words, *base.entities])
    import math

    idf = {t: math.log((len(bases) + 1) / (c + 1)) + 1 for t, c in df.items()}
    source = Source.objects.create(name="Scale", slug="scale")
    counts: Counter[str] = Counter()
    story_counts: Counter[str] = Counter()
    now = datetime.now(UTC)
    for start in range(0, size, BATCH):
        numbers = range(start, min(size, start + BATCH))
        variants = [Variant(n, len(bases)) for n in numbers]
        # The reports of one synthetic story are alike: one vector each story.
        by_story = {v.story: v for v in variants}
        story_vectors = {s: _vector(bases[v.article], v, idf) for s, v in by_story.items()}
        members = Counter(v.story for v in variants)
        stories: dict[int, Story] = {}
        for story_number, variant in by_story.items():
            vector = story_vectors[story_number]
            count = members[story_number]
            # Alike members: the story's sums are the member vector times their number.
            stories[story_number] = Story(
                first_seen_at=now,
                last_updated_at=now,
                event_time=variant.when,
                latest_time=variant.when,
                language="en",
                words={t: round(w * count, 5) for t, w in vector.words.items()},
                entities={t: round(w * count, 5) for t, w in vector.entities.items()},
                vector_count=count,
                short_count=count if vector.short else 0,
                report_count=count,
            )
            terms = [*vector.words, *vector.entities, ""]
            for _ in range(count):
                counts.update(terms)
            story_counts.update(terms)
        with transaction.atomic():
            Story.objects.bulk_create(list(stories.values()), batch_size=1000)
            dumped = {n: json.dumps(v.as_json()) for n, v in story_vectors.items()}
            _insert(
                Report,
                [
                    Report(
                        source=source,
                        url=f"http://scale.invalid/{n}",
                        title=articles[v.article][0][:300],
                        text="",
                        published_at=v.when,
                        fetched_at=now,
                        language="en",
                        content_hash=f"{n:064d}",
                        story=stories[v.story],
                        clustered_at=now,
                    )
                    for n, v in zip(numbers, variants, strict=True)
                ],
                {"vector": [dumped[v.story] for v in variants]},
            )
            _insert(
                StoryKey,
                [
                    StoryKey(story=story, key=key, language="en", event_time=story.event_time)
                    for number, story in sorted(stories.items())
                    for key in index.report_keys(story_vectors[number])
                ],
                {},
            )
        print(f"  built {min(size, start + BATCH):,} reports", file=sys.stderr, flush=True)
    from django.db import connection

    table = connection.ops.quote_name(TermFrequency._meta.db_table)
    sql = f"INSERT INTO {table} (language, term, count, stories) VALUES ('en', %s, %s, %s)"
    rows = [(term, count, story_counts[term]) for term, count in counts.items()]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def place(data: Path, size: int) -> dict[str, float]:
    from django.utils import timezone

    from newsdesk.reports.models import Report
    from newsdesk.sources.models import Source
    from newsdesk.stories.cluster import cluster_report

    articles = _articles(data)
    source = Source.objects.get(slug="scale")
    reports = []
    last = (size - 1) // PER_STORY  # the newest stored story
    for n in range(PLACED):
        # The same articles at every size, so that only the store's size changes. Even: one
        # more report on the newest stored event of that article; odd: an event of the same
        # kind the store has not seen (a later variant of the article).
        article = (n // 2) % len(articles)
        story = last - (last - article) % len(articles)
        if n % 2:
            story += len(articles) * (1 + n)
        variant = Variant(story * PER_STORY, len(articles))
        title, text = articles[variant.article]
        if variant.variant:
            text = f"{text} Officials in Region{variant.variant} confirmed it."
        reports.append(
            Report.objects.create(
                source=source,
                url=f"http://scale.invalid/new/{n}",
                title=title[:300],
                text=text,
                published_at=START + timedelta(days=size / NEWS_PER_DAY),
                fetched_at=timezone.now(),
                language="en",
                content_hash=f"new{n:061d}",
            )
        )
    timings = []
    cpu = []
    for report in reports:
        started, started_cpu = time.perf_counter(), time.process_time()
        cluster_report(report.pk)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "ms_mean": statistics.fmean(timings),
        # This process's own CPU time: less swayed than the wall clock by other jobs.
        "cpu_ms_mean": statistics.fmean(cpu),
        "ms_median": statistics.median(timings),
        "ms_p95": sorted(timings)[int(0.95 * len(timings))],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(args: argparse.Namespace) -> None:
    _setup(args.home)
    if args.child == "build":
        build(args.data, args.size)
    else:
        print(json.dumps(place(args.data, args.size)))


def _run(step: str, data: Path, size: int, home: Path) -> str:
    command = [sys.executable, __file__, "--data", str(data), "--child", step]
    command += ["--size", str(size), "--home", str(home)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return done.stdout


def sizes_from(text: str) -> Iterator[int]:
    for part in text.split(","):
        yield int(part.replace("_", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="wikinews.jsonl")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--child", choices=["build", "place"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.data.is_file():
        parser.error(f"no such file: {args.data}")
    if args.child:
        _child(args)
        return
    results: dict[str, dict[str, float]] = {}
    for size in sizes_from(args.sizes):
        with tempfile.TemporaryDirectory(prefix="newsdesk-bench-scale-") as home:
            started = time.monotonic()
            _run("build", args.data, size, Path(home))
            built = time.monotonic() - started
            figures = json.loads(_run("place", args.data, size, Path(home)).splitlines()[-1])
        results[str(size)] = figures
        print(
            f"{size:>9,} reports (built in {built:.0f} s): {figures['ms_mean']:.2f} ms/report "
            f"(median {figures['ms_median']:.2f}, p95 {figures['ms_p95']:.2f}; "
            f"CPU {figures['cpu_ms_mean']:.2f}), "
            f"peak RSS {figures['peak_rss_mb']:.0f} MB"
        )
    print(
        json.dumps(
            {
                "ms_per_report": {k: round(v["ms_mean"], 2) for k, v in results.items()},
                "cpu_ms_per_report": {k: round(v["cpu_ms_mean"], 2) for k, v in results.items()},
                "peak_rss_mb": round(max(v["peak_rss_mb"] for v in results.values()), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
