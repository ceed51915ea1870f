from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run a Celery worker for the pipeline's stage queues (needs REDIS_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues",
            default=",".join(settings.NEWSDESK_QUEUES),
            help="comma-separated stage queues to consume (default: all)",
        )
        parser.add_argument(
            "--concurrency", type=int, default=1, help="worker processes (default 1)"
        )
        parser.add_argument(
            "--loglevel", default=os.environ.get("NEWSDESK_WORKER_LOGLEVEL", "warning")
        )
        parser.add_argument("--hostname", default=None, help="Celery node name")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REDIS_URL:
            raise CommandError("REDIS_URL is not set: workers need Redis (redis://host:6379/0)")
        queues = [q.strip() for q in options["queues"].split(",") if q.strip()]
        unknown = sorted(set(queues) - set(settings.NEWSDESK_QUEUES))
        if unknown:
            raise CommandError(f"unknown queues {unknown}; known: {settings.NEWSDESK_QUEUES}")
        from newsdesk.tasks.celery_app import app

        argv = [
            "worker",
            f"--queues={','.join(queues)}",
            f"--concurrency={options['concurrency']}",
            "--pool=prefork",
            f"--loglevel={options['loglevel']}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        hostname = options["hostname"] or f"newsdesk-{os.getpid()}@%h"
        argv.append(f"--hostname={hostname}")
        app.worker_main(argv)
