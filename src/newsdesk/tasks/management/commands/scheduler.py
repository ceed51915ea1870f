from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Queue due feed polls and re-queue lost work periodically (needs REDIS_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ticks", type=int, default=0, help="stop after N rounds (0: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REDIS_URL:
            raise CommandError("REDIS_URL is not set: the scheduler feeds the workers' queues")
        from newsdesk.tasks.scheduler import run_scheduler

        try:
            run_scheduler(ticks=options["ticks"])
        except KeyboardInterrupt:
            self.stderr.write("stopped")
