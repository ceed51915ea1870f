from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from newsdesk.tasks.dispatch import embedded


class Command(BaseCommand):
    help = (
        "Queue again all work the database says is pending (lost messages); "
        "without REDIS_URL, do it here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="send all pending work, even what is marked as queued (after a worker died)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from newsdesk.tasks.reconcile import reconcile

        sent = reconcile(force=options["force"])
        where = "done inline" if embedded() else "queued"
        self.stdout.write(f"{sent} pieces of pending work {where}")
