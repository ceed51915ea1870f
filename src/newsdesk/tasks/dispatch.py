"""Queueing work: onto Redis for the workers, or inline in this process (embedded mode).

With REDIS_URL set, ``enqueue`` sends each piece of work to its stage's queue, unless the same
work is already queued: a marker key per (stage, id), set with SET NX when the message is sent
and deleted when its task starts, keeps the reconciler (which re-derives all pending work from
the database) and the wiring from piling up copies of one message. A marker lost with Redis
only means a possible duplicate, and every step is idempotent.

Without REDIS_URL the same step functions run here, one after another, each one's follow-ups
after it, until none is left.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings

from newsdesk.tasks import config, stages
from newsdesk.tasks.stages import Later
from newsdesk.tasks.wiring import Work, follow_ups

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)

STEPS: dict[str, Callable[[int], object]] = {
    "discover": stages.discover,
    "fetch": stages.fetch_page,
    "extract": stages.extract,
    "images": stages.images,
    "cluster": stages.cluster,
    "write": stages.write,
    "publish": stages.publish,
    "trends": stages.trends,
}

PATIENT: dict[str, Callable[..., object]] = {"cluster": stages.cluster, "write": stages.write}

_inline: deque[Work] = deque()
_draining = False


def embedded() -> bool:
    return not settings.REDIS_URL


def marker(stage: str, item_id: int) -> str:
    if stage == "cluster":
        # One cluster step places every waiting report: one such message queued is enough.
        return "newsdesk:queued:cluster"
    return f"newsdesk:queued:{stage}:{item_id}"


@cache
def redis_client() -> redis.Redis:
    import redis

    return redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=10, socket_connect_timeout=5, retry_on_timeout=True
    )


def enqueue(work: Iterable[Work], *, force: bool = False) -> int:
    """Queue the work (not what is queued already, unless forced); how many were sent."""
    items = list(work)
    if not items:
        return 0
    if embedded():
        _inline.extend(items)
        if not _draining:
            _drain()
        return len(items)
    pipe = redis_client().pipeline(transaction=False)
    for item in items:
        pipe.set(marker(item.stage, item.item_id), 1, nx=not force, ex=_marker_seconds(item))
    sent = pipe.execute()
    if not force:
        items = [item for item, fresh in zip(items, sent, strict=True) if fresh]
    from newsdesk.tasks.queue_tasks import TASKS, app

    with app.producer_or_acquire() as producer:
        for item in items:
            TASKS[item.stage].apply_async(
                (item.item_id,), countdown=item.countdown or None, producer=producer
            )
    return len(items)


def _marker_seconds(item: Work) -> int:
    # A delayed message waits in a worker's memory, and dies with it: its marker must not
    # keep the reconciler from sending it again for long.
    if item.countdown:
        return int(item.countdown) + 10
    return config.QUEUED_MARKER_SECONDS


def run(stage: str, item_id: int) -> object:
    """Run one step (a worker's task body) and queue what follows it."""
    if not embedded():
        redis_client().delete(marker(stage, item_id))
    if stage in ("cluster", "write"):
        # Inline, the work comes in pipeline order already: nothing to wait for.
        result = PATIENT[stage](item_id, patient=not embedded())
    else:
        result = STEPS[stage](item_id)
    later = follow_ups(stage, item_id, result)
    if isinstance(result, Later):
        # The step itself again: its marker was cleared above, so this one is sent.
        enqueue(later, force=True)
    else:
        enqueue(later)
    return result


def _drain() -> None:
    global _draining
    _draining = True
    try:
        while _inline:
            item = _inline.popleft()
            if item.countdown:
                time.sleep(min(item.countdown, 5.0))
            run(item.stage, item.item_id)
    finally:
        _draining = False
        _inline.clear()
