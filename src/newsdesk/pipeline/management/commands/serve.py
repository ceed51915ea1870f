from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from newsdesk.pipeline.commands import prepare_database
from newsdesk.pipeline.webserver import SiteServer


class Command(BaseCommand):
    help = "Serve the news site with the embedded threaded server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--access-log", action="store_true", help="print one line per request")

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        console = Console(stderr=True)
        site = SiteServer(options["host"], options["port"], quiet=not options["access_log"])
        try:
            url = site.bind()
        except OSError as exc:
            raise CommandError(f"{exc} (choose another with --port)") from None
        console.print(f"[bold green]The news site is at {url}[/]  (Ctrl+C to stop)")
        try:
            site.serve_forever()
        except KeyboardInterrupt:
            console.print("stopped")
