"""Clustering quality: stream labelled documents through the desk's own clusterer.

    python bench/clustering.py --data ../shared/data/clustering/ecbplus-dev.jsonl
    python bench/clustering.py --data ../shared/data/clustering/uci-headlines.csv

Each seed shuffles the documents and feeds them one at a time to ``cluster_report`` on a
fresh SQLite database, with the settings the desk ships (never told the number of events).
The final membership (after merges and moves) is scored with B-cubed precision, recall and
F1 and the adjusted Rand index against the gold event. ``.jsonl`` rows carry ``title``,
``text`` and ``event``; ``.csv`` rows (UCI News Aggregator) carry ``TITLE``, ``PUBLISHER``,
``STORY`` and ``TIMESTAMP`` (ms), which becomes the publication time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from math import comb
from pathlib import Path


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    text: str
    gold: str
    outlet: str
    published_at: datetime | None
    group: str = ""  # the topic (ECB+) or the story (UCI): what --half splits on


def load(path: Path) -> list[Document]:
    if path.suffix == ".csv":
        return _load_csv(path)
    documents = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            row = json.loads(line)
            documents.append(
                Document(
                    str(row["id"]),
                    row["title"],
                    row["text"],
                    str(row["event"]),
                    "",
                    None,
                    str(row.get("topic", row["event"])),
                )
            )
        except (ValueError, KeyError) as error:
            print(f"skipped line {number}: {error!r}", file=sys.stderr)
    return documents


def _load_csv(path: Path) -> list[Document]:
    documents = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row.get("STORY") or not (row.get("TIMESTAMP") or "").isdigit():
                print(f"skipped row {row.get('ID')}: incomplete", file=sys.stderr)
                continue
            when = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, tz=UTC)
            documents.append(
                Document(
                    row["ID"],
                    row["TITLE"],
                    "",
                    row["STORY"],
                    row["PUBLISHER"] or "",
                    when,
                    row["STORY"],
                )
            )
    return documents


def half(documents: list[Document], which: str) -> list[Document]:
    """Every other group: even or odd topic numbers (ECB+), or stories by sorted id (UCI)."""
    groups = sorted({d.group for d in documents})
    if all(group.isdigit() for group in groups):
        keep = {g for g in groups if int(g) % 2 == (0 if which == "even" else 1)}
    else:
        keep = set(groups[0 if which == "even" else 1 :: 2])
    return [d for d in documents if d.group in keep]


def b_cubed(predicted: list[int], gold: list[str]) -> tuple[float, float, float]:
    clusters: defaultdict[int, set[int]] = defaultdict(set)
    classes: defaultdict[str, set[int]] = defaultdict(set)
    for item, (cluster, label) in enumerate(zip(predicted, gold, strict=True)):
        clusters[cluster].add(item)
        classes[label].add(item)
    precision = recall = 0.0
    for cluster, label in zip(predicted, gold, strict=True):
        shared = len(clusters[cluster] & classes[label])
        precision += shared / len(clusters[cluster])
        recall += shared / len(classes[label])
    precision /= len(gold)
    recall /= len(gold)
    return 2 * precision * recall / (precision + recall), precision, recall


def adjusted_rand(predicted: list[int], gold: list[str]) -> float:
    pairs = Counter(zip(predicted, gold, strict=True))
    index = sum(comb(n, 2) for n in pairs.values())
    rows = sum(comb(n, 2) for n in Counter(predicted).values())
    cols = sum(comb(n, 2) for n in Counter(gold).values())
    expected = rows * cols / comb(len(gold), 2)
    maximum = (rows + cols) / 2
    return (index - expected) / (maximum - expected) if maximum != expected else 1.0


def _setup(home: Path) -> None:
    os.environ["NEWSDESK_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def run_seed(documents: list[Document], seed: int) -> tuple[list[int], float]:
    from django.utils import timezone

    from newsdesk.reports.dedupe import content_hash
    from newsdesk.reports.models import Report
    from newsdesk.sources.models import Source
    from newsdesk.stories.cluster import cluster_report
    from newsdesk.stories.models import Story, StoryKey, TermFrequency

    for model in (Report, StoryKey, Story, TermFrequency, Source):
        model.objects.all().delete()
    order = list(documents)
    random.Random(seed).shuffle(order)
    outlets: dict[str, Source] = {}
    now = timezone.now()
    ids = []
    for number, document in enumerate(order):
        outlet = document.outlet or "bench"
        if outlet not in outlets:
            slug = f"outlet-{len(outlets)}"
            outlets[outlet] = Source.objects.create(name=outlet[:100], slug=slug)
        report = Report.objects.create(
            source=outlets[outlet],
            url=f"http://bench.invalid/{number}",
            title=document.title[:300],
            text=document.text,
            published_at=document.published_at,
            fetched_at=now,
            language="en",
            content_hash=content_hash(f"{number} {document.text}"),
        )
        ids.append(report.pk)
    started = time.perf_counter()
    for report_id in ids:
        cluster_report(report_id)
    seconds = time.perf_counter() - started
    stories = dict(Report.objects.filter(pk__in=ids).values_list("id", "story_id"))
    by_key = {
        document.key: stories[report_id] for document, report_id in zip(order, ids, strict=True)
    }
    return [by_key[document.key] for document in documents], seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help=".jsonl (ECB+) or .csv (UCI)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0, help="first N documents only")
    parser.add_argument(
        "--half",
        choices=["even", "odd"],
        help="only the even or odd topics (ECB+) or stories (UCI), to check a gain holds on both",
    )
    parser.add_argument(
        "--ignore-times", action="store_true", help="give every document one time (text only)"
    )
    args = parser.parse_args()
    if not args.data.is_file():
        parser.error(f"no such file: {args.data}")
    documents = load(args.data)
    if args.limit:
        documents = documents[: args.limit]
    if args.half:
        documents = half(documents, args.half)
    if args.ignore_times:
        documents = [replace(document, published_at=None) for document in documents]
    if not documents:
        parser.error(f"no documents in {args.data}")
    gold = [document.gold for document in documents]
    print(f"{len(documents)} documents, {len(set(gold))} gold events, {args.seeds} seeds")
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-clustering-") as home:
        _setup(Path(home))
        results = []
        for seed in range(args.seeds):
            predicted, seconds = run_seed(documents, seed)
            f1, precision, recall = b_cubed(predicted, gold)
            ari = adjusted_rand(predicted, gold)
            stories = len(set(predicted))
            results.append((f1, precision, recall, ari, stories))
            print(
                f"seed {seed}: B3 F1 {f1:.4f} (P {precision:.4f}, R {recall:.4f}), "
                f"ARI {ari:.4f}, {stories} stories, {1000 * seconds / len(documents):.1f} ms/doc"
            )
    mean = [statistics.fmean(column) for column in zip(*results, strict=True)]
    if len(results) > 1:
        # Seeds differ by a few points: a change smaller than the standard error is noise.
        spread = statistics.stdev(result[0] for result in results)
        print(
            f"B3 F1 over {len(results)} seeds: mean {mean[0]:.4f}, sd {spread:.4f}, "
            f"standard error {spread / len(results) ** 0.5:.4f}"
        )
    print(
        json.dumps(
            {
                "b3_f1": round(mean[0], 4),
                "b3_precision": round(mean[1], 4),
                "b3_recall": round(mean[2], 4),
                "ari": round(mean[3], 4),
                "docs": len(documents),
                "stories": round(mean[4], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
