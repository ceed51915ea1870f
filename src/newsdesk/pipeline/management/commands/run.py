from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from rich.console import Console

from newsdesk.pipeline.commands import open_site, prepare_database, print_summary
from newsdesk.pipeline.rich_progress import BarsProgress
from newsdesk.pipeline.runner import run_pass
from newsdesk.sources.catalog import install_default_sources
from newsdesk.sources.models import Source

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Watch the configured sources: an ingest pass every poll interval, and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="only ingest, serve no site")
        parser.add_argument(
            "--interval",
            type=int,
            default=None,
            help="seconds between passes (default: NEWSDESK_POLL_INTERVAL)",
        )
        parser.add_argument("--passes", type=int, default=0, help="stop after N passes (0: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        console = Console(stderr=True)
        interval = options["interval"] or settings.NEWSDESK_POLL_INTERVAL
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds")
        if not Source.objects.exists():
            added = install_default_sources()
            console.print(f"no sources configured: added the {added} default sources")
        if not options["no_serve"]:
            open_site(console, options["host"], options["port"]).start_in_background()
        passes = 0
        try:
            while True:
                try:
                    print_summary(console, run_pass(BarsProgress(console)))
                except DatabaseError as exc:
                    # The database may come back; the next pass resumes from its state.
                    log.exception("pass failed")
                    console.print(f"[red]pass failed: {exc}; retrying next interval[/]")
                passes += 1
                if options["passes"] and passes >= options["passes"]:
                    return
                console.print(f"next pass in {interval}s (Ctrl+C to stop)")
                time.sleep(interval)
        except KeyboardInterrupt:
            console.print("stopped")
