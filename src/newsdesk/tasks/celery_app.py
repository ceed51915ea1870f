"""The Celery app: one queue per stage, late acknowledgement, one message at a time per process.

Loaded by ``celery -A newsdesk.tasks.celery_app worker`` (or ``newsdesk worker``) and, lazily, by
``dispatch`` when REDIS_URL is set. Without REDIS_URL nothing here is needed: the stages run
inline (see ``dispatch``).
"""

from __future__ import annotations

import os

import django
from django.apps import apps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
if not apps.ready:
    django.setup()

from celery import Celery
from django.conf import settings
from kombu import Exchange, Queue

app = Celery("newsdesk", include=["newsdesk.tasks.queue_tasks", "newsdesk.tasks.worker_hooks"])
app.conf.update(
    broker_url=settings.REDIS_URL or "memory://",
    broker_connection_retry_on_startup=True,
    # Redis going away mid-run: keep reconnecting rather than exit (the reconciler makes up
    # for messages lost with it).
    broker_connection_max_retries=None,
    # Each stage its own queue, exchange and routing key: a message lands in one queue only.
    task_queues=[
        Queue(name, Exchange(name), routing_key=name) for name in settings.NEWSDESK_QUEUES
    ],
    task_default_queue="discover",
    # A route names the queue only: Celery then publishes straight to the queue's list (the
    # anonymous exchange), which needs no binding table in Redis, so a Redis restarted empty
    # takes messages at once.
    task_routes={f"newsdesk.{name}": {"queue": name} for name in settings.NEWSDESK_QUEUES},
    # A message is acknowledged after its task ran, and a task whose process died is put back:
    # the work is redone (idempotently) rather than lost.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    # Results live in the database (reports, stories, articles), not in a result backend.
    task_ignore_result=True,
    task_store_errors_even_if_ignored=False,
    worker_hijack_root_logger=False,
    worker_send_task_events=False,
    task_send_sent_event=False,
    # A lost unacknowledged message comes back after this long; the reconciler is quicker.
    broker_transport_options={
        "visibility_timeout": 3600,
        "queue_order_strategy": "newsdesk.tasks.queue_order:PipelineOrder",
    },
    # Celery's Django fixup closes the database connection after every task unless told to
    # reuse it: a new PostgreSQL backend per task cost more CPU than many tasks themselves.
    # Reused, a connection lives CONNECTION_MAX_AGE (worker_hooks), and a broken one is
    # replaced before the next task; this only bounds the tasks one connection serves.
    CELERY_DB_REUSE_MAX=10_000,
    accept_content=["json"],
    task_serializer="json",
)
