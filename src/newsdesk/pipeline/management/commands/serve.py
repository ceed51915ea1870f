from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console

from newsdesk.pipeline.commands import open_site, prepare_database, serve_until_interrupted


class Command(BaseCommand):
    help = "Serve the news site with the embedded threaded server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--access-log", action="store_true", help="print one line per request")

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        console = Console(stderr=True)
        site = open_site(console, options["host"], options["port"], quiet=not options["access_log"])
        serve_until_interrupted(console, site)
