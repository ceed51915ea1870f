"""A worker keeps one PostgreSQL connection across its tasks rather than one per task."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from django.db import connection

from newsdesk.sources.models import Feed, Source
from newsdesk.tasks.dispatch import enqueue
from newsdesk.tasks.drive import start_workers, stop_workers
from newsdesk.tasks.wiring import Work
from tests.tasks.conftest import worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _other_backends() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {int(row[0]) for row in cursor.fetchall()}


def _checked(feed_id: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not Feed.objects.filter(pk=feed_id, last_checked_at__isnull=False).exists():
        assert time.monotonic() < deadline, f"feed {feed_id} was never polled"
        time.sleep(0.05)


def test_a_worker_keeps_its_database_connection_across_tasks(broker: str, tmp_path: Path) -> None:
    port = _closed_port()  # a dead source: each poll fails fast, and says so on its feed
    source = Source.objects.create(name="Dead", slug="dead", homepage=f"http://127.0.0.1:{port}/")
    feeds = [
        Feed.objects.create(source=source, url=f"http://127.0.0.1:{port}/feed-{n}.xml")
        for n in range(6)
    ]
    workers = start_workers(1, worker_env(tmp_path / "home", broker), log_dir=tmp_path)
    try:
        seen: list[set[int]] = []
        for feed in feeds:
            enqueue([Work("discover", feed.pk)])
            _checked(feed.pk)
            time.sleep(0.2)  # past the task's end, where a per-task connection is closed
            seen.append(_other_backends())
    finally:
        stop_workers(workers)
    # The same backend, open between tasks (Celery's own default closes it after each one).
    assert all(len(pids) == 1 for pids in seen) and len(set.union(*seen)) == 1, seen
