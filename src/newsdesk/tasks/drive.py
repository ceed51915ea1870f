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
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from redis.exceptions import RedisError

from newsdesk.sources.models import Feed
from newsdesk.tasks.dispatch import enqueue, redis_client
from newsdesk.tasks.reconcile import pending_work
from newsdesk.tasks.wiring import Work


def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsdesk.cli", "worker", *args]


def use_broker(url: str) -> None:
    """Point this process's queueing at `url` (settings.REDIS_URL must say the same)."""
    from newsdesk.tasks.celery_app import app

    app.conf.broker_url = url
    app._after_fork()  # drops the pooled connections to the old broker
    redis_client.cache_clear()


def start_worker(
    env: Mapping[str, str] | None = None,
    *,
    concurrency: int = 1,
    name: str = "w",
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start one worker process (`concurrency` pool processes) on all the stage queues."""
    full_env = {**os.environ, **(env or {})}
    out = log.open("ab") if log is not None else None
    try:
        return subprocess.Popen(
            worker_command(f"--concurrency={concurrency}", f"--hostname={name}-{os.getpid()}@%h"),
            env=full_env,
            start_new_session=True,
            stdout=out,
            stderr=subprocess.STDOUT if out is not None else None,
        )
    finally:
        if out is not None:
            out.close()


def start_workers(
    count: int,
    env: Mapping[str, str] | None = None,
    *,
    concurrency: int = 1,
    log_dir: Path | None = None,
) -> list[subprocess.Popen[bytes]]:
    return [
        start_worker(
            env,
            concurrency=concurrency,
            name=f"w{n}",
            log=log_dir / f"worker-{n}.log" if log_dir is not None else None,
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
    # Redis first: while messages wait (most of a run) the database is not asked at all, so
    # whoever watches a run does not load the PostgreSQL that the workers share.
    if queued():
        return False
    close_old_connections()
    checked = Feed.objects.filter(pk__in=feed_ids, last_checked_at__gte=since).count()
    return checked == len(set(feed_ids)) and not pending_work() and queued() == 0


def run_through_queue(
    feed_ids: list[int],
    since: datetime,
    *,
    timeout: float = 600,
    on_poll: Callable[[], object] | None = None,
) -> float:
    """Queue a poll of the feeds and wait until the run is over; seconds it took."""
    started = time.monotonic()
    enqueue((Work("discover", feed_id) for feed_id in feed_ids), force=True)
    wait_until_settled(feed_ids, since, timeout=timeout, on_poll=on_poll)
    return time.monotonic() - started


def wait_until_settled(
    feed_ids: list[int],
    since: datetime,
    *,
    timeout: float = 600,
    poll: float = 0.25,
    on_poll: Callable[[], object] | None = None,
) -> None:
    """Wait for the end of the run; `on_poll` is called between looks (tests inject faults)."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:
        if time.monotonic() > deadline:
            left = pending_work()
            raise TimeoutError(
                f"the run did not settle in {timeout:.0f} s: {len(left)} pending "
                f"({left[:10]}), {queued()} messages queued"
            )
        time.sleep(poll)
        if on_poll is not None:
            on_poll()
        try:
            quiet = quiet + 1 if settled(feed_ids, since) else 0
        except (DatabaseError, RedisError):
            quiet = 0  # a service restarting under the run: look again
