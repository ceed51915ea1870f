"""The Celery task of each stage: a thin wrapper that runs the stage's step by ID.

Transient failures (the database or Redis going away, a network error) are retried with
exponential backoff and jitter; each stage has its own soft and hard time limit.
"""

from __future__ import annotations

from typing import Any

import httpx
from celery import Task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from newsdesk.tasks import config
from newsdesk.tasks.celery_app import app
from newsdesk.tasks.dispatch import run

TRANSIENT = (
    OperationalError,
    InterfaceError,
    httpx.TransportError,
    BrokerError,
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    TimeoutError,
)


def _make(stage: str) -> Task[Any, Any]:
    soft, hard = config.TIME_LIMITS[stage]

    @app.task(
        name=f"newsdesk.{stage}",
        autoretry_for=TRANSIENT,
        retry_backoff=1,
        retry_backoff_max=30,
        retry_jitter=True,
        max_retries=20,
        soft_time_limit=soft,
        time_limit=hard,
        acks_late=True,
        reject_on_worker_lost=True,
    )
    def step(item_id: int) -> None:
        run(stage, item_id)

    return step


TASKS: dict[str, Task[Any, Any]] = {stage: _make(stage) for stage in settings.NEWSDESK_QUEUES}
