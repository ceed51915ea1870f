"""newsdesk's hooks into Celery: task timing, failure and retry counts, by task name; and
logging left to Django's LOGGING, so a worker logs in NEWSDESK_LOG_FORMAT, once per record.

Tasks are named `newsdesk.<stage>`; others (Celery's own) are left out. The start time is
kept in this process between prerun and postrun, which Celery sends from the same worker
process; the observation goes to the shared store (Redis), so the web reports it.
"""

from __future__ import annotations

import logging
import time
from contextlib import suppress
from contextvars import Token
from typing import Any

from celery import signals
from celery.exceptions import Retry

from newsdesk import jsonlog
from newsdesk.metrics.stage_metrics import count_task_event, observe_stage

TASK_PREFIX = "newsdesk."

_running: dict[str, tuple[float, Token[dict[str, Any] | None]]] = {}


def stage_of(task_name: str | None) -> str | None:
    if not task_name or not task_name.startswith(TASK_PREFIX):
        return None
    return task_name.removeprefix(TASK_PREFIX)


def _name(task: Any) -> str | None:
    return getattr(task, "name", None)


def on_prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    stage = stage_of(_name(task))
    if stage is None or task_id is None:
        return
    token = jsonlog.bind(task_id=task_id, task=_name(task), stage=stage)
    _running[task_id] = (time.perf_counter(), token)


def on_postrun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    stage = stage_of(_name(task))
    started = _running.pop(task_id, None) if task_id is not None else None
    if stage is None or started is None:
        return
    began, token = started
    observe_stage(stage, time.perf_counter() - began)
    # Bound in another context (a thread pool) it cannot be reset here; it ends with that one.
    with suppress(ValueError):
        jsonlog.unbind(token)


def _exception_name(exception: object) -> str:
    return type(exception).__name__ if isinstance(exception, BaseException) else "unknown"


def on_failure(sender: Any = None, exception: BaseException | None = None, **_: Any) -> None:
    """A task that raised and will not be tried again."""
    stage = stage_of(_name(sender))
    if stage is not None:
        count_task_event("failure", stage, _exception_name(exception))


def on_retry(sender: Any = None, reason: object = None, **_: Any) -> None:
    """A task that raised a transient error and was sent again (autoretry, self.retry)."""
    stage = stage_of(_name(sender))
    if stage is not None:
        # Celery's Retry carries the error that caused it: that is the reason worth counting.
        cause = getattr(reason, "exc", None) if isinstance(reason, Retry) else reason
        count_task_event("retry", stage, _exception_name(cause or reason))


def keep_django_logging(loglevel: int | str | None = None, **_: Any) -> None:
    """Celery configures no logging of its own when this signal has a receiver.

    Without it, Celery puts a plain-text handler on the root logger and every newsdesk record
    is written twice, once in each format; LOGGING has a `celery` logger for Celery's own,
    which takes the worker's --loglevel (its retries are logged at INFO).
    """
    if loglevel:
        logging.getLogger("celery").setLevel(loglevel)


def connect() -> None:
    signals.setup_logging.connect(
        keep_django_logging, weak=False, dispatch_uid="newsdesk.metrics.logging"
    )
    signals.task_prerun.connect(on_prerun, weak=False, dispatch_uid="newsdesk.metrics.prerun")
    signals.task_postrun.connect(on_postrun, weak=False, dispatch_uid="newsdesk.metrics.postrun")
    signals.task_failure.connect(on_failure, weak=False, dispatch_uid="newsdesk.metrics.failure")
    signals.task_retry.connect(on_retry, weak=False, dispatch_uid="newsdesk.metrics.retry")
