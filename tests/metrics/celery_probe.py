"""A Celery app for the metrics tests: tasks named like the desk's, run by a real worker.

Started as `celery -A tests.metrics.celery_probe worker`; Django is set up first, so the
metrics app connects its signal handlers exactly as in a desk worker.
"""

from __future__ import annotations

import logging
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
django.setup()

from celery import Celery, Task  # noqa: E402
from django.conf import settings  # noqa: E402

QUEUE = "metrics-probe"
log = logging.getLogger("newsdesk.probe")

app = Celery("metrics-probe", broker=settings.REDIS_URL)
app.conf.update(
    task_default_queue=QUEUE,
    broker_connection_retry_on_startup=True,
)


@app.task(name="newsdesk.probe")
def probe(seconds: float) -> None:
    time.sleep(seconds)


@app.task(name="newsdesk.probe_fails")
def probe_fails(item_id: int) -> None:
    log.warning("probe about to fail", extra={"item_id": item_id})
    raise ValueError("failing on purpose")


@app.task(
    bind=True,
    name="newsdesk.probe_retries",
    autoretry_for=(ConnectionError,),
    max_retries=3,
    default_retry_delay=0,
)
def probe_retries(self: Task) -> None:
    """Fails with a transient error on its first attempt only."""
    if self.request.retries == 0:
        raise ConnectionError("transient, on purpose")


@app.task(name="outside.probe")
def outside() -> None:
    """Not a desk task: left out of the metrics."""
