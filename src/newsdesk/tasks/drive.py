"""Driving a run through the queue from one process: local workers, and waiting for the end.

Used by ``newsdesk demo --via-workers``, the tests and the scale bench. The end of a run is
read from the database and the queues alike: every polled feed checked, no work pending (the
reconciler's view), and every stage queue empty, twice in a row.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections

from newsdesk.sources.models import Feed
from newsdesk.tasks.dispatch import enqueue, redis_client
from newsdesk.tasks.reconcile import pending_work
from newsdesk.tasks.wiring import Work


def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsdesk.cli", "worker", *args]


def start_workers(
    count: int, env: Mapping[str, str] | None = None, *, concurrency: int = 1
) -> list[subprocess.Popen[bytes]]:
    """Start `count` worker processes (each `concurrency` pool processes) on all queues."""
    full_env = {**os.environ, **(env or {})}
    return [
        subprocess.Popen(
            worker_command(f"--concurrency={concurrency}", f"--hostname=w{n}-{os.getpid()}@%h"),
            env=full_env,
            start_new_session=True,
        )
        for n in range(count)
    ]


def stop_workers(workers: Iterable[subprocess.Popen[bytes]], *, timeout: float = 20) -> None:
    workers = list(workers)
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for worker in workers:
        try:
            worker.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def queued() -> int:
    client = redis_client()
    return sum(int(client.llen(name)) for name in settings.NEWSDESK_QUEUES)


def settled(feed_ids: list[int], since: datetime) -> bool:
    close_old_connections()
    checked = Feed.objects.filter(pk__in=feed_ids, last_checked_at__gte=since).count()
    return checked == len(set(feed_ids)) and not pending_work() and queued() == 0


def run_through_queue(feed_ids: list[int], since: datetime, *, timeout: float = 600) -> float:
    """Queue a poll of the feeds and wait until the run is over; seconds it took."""
    started = time.monotonic()
    enqueue((Work("discover", feed_id) for feed_id in feed_ids), force=True)
    wait_until_settled(feed_ids, since, timeout=timeout)
    return time.monotonic() - started


def wait_until_settled(
    feed_ids: list[int], since: datetime, *, timeout: float = 600, poll: float = 0.5
) -> None:
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the run did not settle in {timeout:.0f} s")
        time.sleep(poll)
        quiet = quiet + 1 if settled(feed_ids, since) else 0
