from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from newsdesk.tasks.dispatch import embedded


class Command(BaseCommand):
    help = (
        "Queue again all work the database says is pending (lost messages); "
        "without REDIS_URL, do it here."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from newsdesk.tasks.reconcile import reconcile

        sent = reconcile()
        where = "done inline" if embedded() else "queued"
        self.stdout.write(f"{sent} pieces of pending work {where}")
