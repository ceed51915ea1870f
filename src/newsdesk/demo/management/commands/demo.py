from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import override_settings
from rich.console import Console

from newsdesk.demo.corpus import Corpus, load_corpus
from newsdesk.demo.register import DemoMoved, register_demo_sources, score_demo
from newsdesk.demo.server import DemoServer
from newsdesk.pipeline.commands import (
    open_site,
    prepare_database,
    print_summary,
    serve_until_interrupted,
)
from newsdesk.pipeline.rich_progress import BarsProgress
from newsdesk.pipeline.runner import run_pass
from newsdesk.publishing.models import Article
from newsdesk.reports.models import Report


class Command(BaseCommand):
    help = (
        "Serve the bundled demo outlets on loopback, ingest them through the real pipeline, "
        "then serve the news site."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="ingest, print a JSON line, exit"
        )
        parser.add_argument("--host", default="127.0.0.1", help="address of the news site")
        parser.add_argument("--port", type=int, default=8000, help="port of the news site")
        parser.add_argument(
            "--source-port",
            type=int,
            default=8765,
            help="port of the demo outlets' server (keep it stable: report URLs include it)",
        )
        parser.add_argument(
            "--via-workers",
            action="store_true",
            help="run the passes through the Redis queues (REDIS_URL) and Celery workers",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="with --via-workers: local worker processes to start (0: use running ones)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["via_workers"] and not settings.REDIS_URL:
            raise CommandError("--via-workers needs REDIS_URL (and, ideally, DATABASE_URL)")
        console = Console(stderr=True)
        started = time.monotonic()
        prepare_database()
        corpus = load_corpus()
        console.print(f"newsdesk home: {settings.NEWSDESK_HOME}")
        try:
            # The outlets publish their first wave of reports; later waves (updates to stories
            # already published) come out before a second pass, which rewrites those articles.
            outlets = DemoServer(host="127.0.0.1", port=options["source_port"], wave=1)
            base_url = outlets.start()
        except (OSError, RuntimeError) as exc:
            raise CommandError(f"cannot start the demo outlets' server: {exc}") from None
        # The outlets stay up while the site is served, so that its Refs links lead somewhere.
        try:
            console.print(f"demo outlets served at {base_url} ({len(corpus.outlets)} outlets)")
            try:
                source_ids = register_demo_sources(corpus, base_url)
            except DemoMoved as exc:
                raise CommandError(str(exc)) from None
            # The outlets live on loopback, which fetching refuses unless allowed, and they
            # need no pause between requests.
            with override_settings(
                NEWSDESK_FETCH_ALLOWED_ADDRESSES=[
                    *settings.NEWSDESK_FETCH_ALLOWED_ADDRESSES,
                    "127.0.0.1",
                ],
                NEWSDESK_FETCH_HOST_DELAY=0.0,
            ):
                if options["via_workers"]:
                    self._via_workers(console, corpus, outlets, source_ids, options["workers"])
                else:
                    summary = run_pass(BarsProgress(console), source_ids=source_ids)
                    print_summary(console, summary)
                    if corpus.waves > 1:
                        outlets.release(None)
                        console.print("the outlets publish updates: a second pass")
                        summary = run_pass(BarsProgress(console), source_ids=source_ids)
                        print_summary(console, summary)
            result = self._result(corpus, source_ids, started)
            if options["no_serve"]:
                self.stdout.write(json.dumps(result))
                return
            console.print(
                f"{result['articles']} articles from {result['reports']} reports "
                f"({result['stories']} stories for {result['events']} events, "
                f"B-cubed F1 {result['b3_f1']})"
            )
            site = open_site(console, options["host"], options["port"])
            serve_until_interrupted(console, site)
        finally:
            outlets.stop()

    def _via_workers(
        self,
        console: Console,
        corpus: Corpus,
        outlets: DemoServer,
        source_ids: list[int],
        workers: int,
    ) -> None:
        from django.utils import timezone

        from newsdesk.sources.models import Feed
        from newsdesk.tasks.drive import run_through_queue, start_workers, stop_workers

        feed_ids = list(Feed.objects.filter(source_id__in=source_ids).values_list("id", flat=True))
        # Workers read the fetch settings from their environment: the loopback outlets need
        # the same allowance as this process.
        env = {"NEWSDESK_FETCH_ALLOWED_ADDRESSES": "127.0.0.1", "NEWSDESK_FETCH_HOST_DELAY": "0"}
        started = start_workers(workers, env)
        try:
            console.print(f"through the queues, with {workers or 'the running'} workers")
            seconds = run_through_queue(feed_ids, timezone.now())
            console.print(f"first wave done in {seconds:.1f}s")
            if corpus.waves > 1:
                outlets.release(None)
                console.print("the outlets publish updates: a second pass")
                seconds = run_through_queue(feed_ids, timezone.now())
                console.print(f"second wave done in {seconds:.1f}s")
        finally:
            stop_workers(started)

    def _result(self, corpus: Corpus, source_ids: list[int], started: float) -> dict[str, object]:
        score, events, stories = score_demo(corpus, source_ids)
        return {
            "reports": Report.objects.filter(source_id__in=source_ids).count(),
            "stories": stories,
            "articles": Article.objects.filter(story__reports__source_id__in=source_ids)
            .distinct()
            .count(),
            "events": events,
            "b3_f1": round(score.f1, 4),
            # Articles rewritten after the update wave: they show "Updated" and their revisions.
            "updated": Article.objects.filter(
                story__reports__source_id__in=source_ids, revision_count__gt=1
            )
            .distinct()
            .count(),
            "seconds": round(time.monotonic() - started, 2),
        }
