"""The scheduler: feeds polled when due, lost work re-queued, old views pruned.

Due times come from the database (a feed is due ``NEWSDESK_POLL_INTERVAL`` seconds after it
was last checked, once its source's backoff allows), so a restarted scheduler neither repeats
nor skips a poll. One scheduler is active at a time: it holds a lease renewed every tick, and a
second one waits for it to lapse.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from newsdesk.pipeline.runner import feeds_to_poll
from newsdesk.sources.models import Feed
from newsdesk.tasks import config
from newsdesk.tasks.dispatch import enqueue
from newsdesk.tasks.leases import acquire, holder
from newsdesk.tasks.reconcile import reconcile
from newsdesk.tasks.wiring import Work

log = logging.getLogger(__name__)

TRENDS_INTERVAL_SECONDS = 3600.0


def due_feeds() -> list[int]:
    cutoff = timezone.now() - timedelta(seconds=settings.NEWSDESK_POLL_INTERVAL)
    due = Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=cutoff)
    polled = set(Feed.objects.filter(due).values_list("id", flat=True))
    return [feed_id for feed_id in feeds_to_poll() if feed_id in polled]


def tick(last_reconcile: float, last_trends: float) -> tuple[float, float]:
    """One round: queue the due feeds; reconcile and prune when their time has come."""
    enqueue(Work("discover", feed_id) for feed_id in due_feeds())
    now = time.monotonic()
    if now - last_reconcile >= config.RECONCILE_INTERVAL_SECONDS:
        sent = reconcile()
        if sent:
            log.warning("reconcile: %s lost messages queued again", sent)
        last_reconcile = now
    if now - last_trends >= TRENDS_INTERVAL_SECONDS:
        enqueue([Work("trends", 0)])
        last_trends = now
    return last_reconcile, last_trends


def run_scheduler(ticks: int = 0) -> None:
    """Run until interrupted (or for `ticks` rounds, for tests)."""
    me = f"{holder()}:{uuid.uuid4().hex[:8]}"
    lease_seconds = 3 * config.SCHEDULER_TICK_SECONDS + 5
    last_reconcile = last_trends = float("-inf")
    done = 0
    while True:
        try:
            close_old_connections()
            if acquire("scheduler", lease_seconds, who=me):
                last_reconcile, last_trends = tick(last_reconcile, last_trends)
            else:
                log.info("another scheduler is active; waiting")
        except (DatabaseError, RedisError, BrokerError, OSError) as exc:
            # PostgreSQL or Redis away for a moment: the next tick tries again.
            log.warning("scheduler tick failed: %s", exc)
        done += 1
        if ticks and done >= ticks:
            return
        time.sleep(config.SCHEDULER_TICK_SECONDS)
