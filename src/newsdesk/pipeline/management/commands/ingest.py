from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from rich.console import Console

from newsdesk.pipeline.commands import prepare_database, print_summary
from newsdesk.pipeline.rich_progress import BarsProgress
from newsdesk.pipeline.runner import run_pass


class Command(BaseCommand):
    help = (
        "Run one ingest pass over the active sources: discover, fetch, extract, cluster, publish."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        console = Console(stderr=True)
        summary = run_pass(BarsProgress(console))
        print_summary(console, summary)
