"""Worker set-up: persistent database connections, broken ones dropped, reconcile at start."""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import task_prerun, worker_process_init, worker_ready
from django.db import connections

log = logging.getLogger(__name__)

# Seconds a worker keeps a database connection: one connection per task would cost more than
# many tasks (fetch, publish) themselves.
CONNECTION_MAX_AGE = 600


@worker_process_init.connect
def _persistent_connections(**_: Any) -> None:
    for conn in connections.all():
        conn.close()  # never share the parent's socket
        conn.settings_dict["CONN_MAX_AGE"] = CONNECTION_MAX_AGE


@task_prerun.connect
def _drop_broken_connections(**_: Any) -> None:
    # A connection that failed (PostgreSQL restarted, pg_terminate_backend) is replaced before
    # the task (or its retry) runs; a healthy one is kept.
    for conn in connections.all(initialized_only=True):
        conn.close_if_unusable_or_obsolete()


@worker_ready.connect
def _reconcile_at_start(**_: Any) -> None:
    from newsdesk.tasks.reconcile import reconcile

    try:
        sent = reconcile(force=True)
    except Exception:  # a worker must start even when the database is not there yet
        log.exception("reconcile at worker start failed")
        return
    finally:
        connections.close_all()
    log.info("reconcile at worker start: %s messages", sent)
