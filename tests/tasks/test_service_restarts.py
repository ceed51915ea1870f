"""Redis restarted empty in the middle of a run, PostgreSQL connections cut: the run completes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings

from newsdesk.demo.corpus import Corpus
from newsdesk.reports.models import Link
from newsdesk.tasks.drive import run_through_queue, start_workers, stop_workers, use_broker
from tests.tasks.conftest import start_scheduler, worker_env
from tests.tasks.demo_runs import Outcome, assert_no_duplicates, ingest_demo
from tests.tasks.services import OwnRedis

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_redis_restart_mid_run_loses_nothing(
    corpus: Corpus, embedded_outcome: Outcome, settings: Settings, tmp_path: Path
) -> None:
    redis = OwnRedis(tmp_path)
    redis.start()
    settings.REDIS_URL = redis.url
    use_broker(redis.url)
    env = worker_env(
        tmp_path / "home",
        redis.url,
        NEWSDESK_SCHEDULER_TICK_SECONDS="1",
        NEWSDESK_RECONCILE_INTERVAL_SECONDS="2",
    )
    workers = start_workers(3, env, log_dir=tmp_path)
    scheduler = start_scheduler(env, tmp_path)
    restarts: list[int] = []

    def restart_once() -> None:
        done = Link.objects.filter(state=Link.State.DONE).count()
        if not restarts and done >= 8:
            # Everything queued is lost: the messages, and the markers of what was queued.
            redis.stop()
            time.sleep(2)
            redis.start()
            restarts.append(done)

    try:
        outcome = ingest_demo(
            corpus,
            lambda _, feed_ids: run_through_queue(
                feed_ids, timezone.now(), timeout=300, on_poll=restart_once
            ),
        )
    finally:
        stop_workers([*workers, scheduler])
        redis.stop()
    assert restarts and restarts[0] < embedded_outcome.links_done
    assert_no_duplicates()
    assert outcome == embedded_outcome


def terminate_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def test_postgresql_connections_cut_mid_run_are_retried(
    corpus: Corpus, embedded_outcome: Outcome, broker: str, tmp_path: Path
) -> None:
    env = worker_env(tmp_path / "home", broker, NEWSDESK_WORKER_LOGLEVEL="info")
    workers = start_workers(3, env, log_dir=tmp_path)
    cuts: list[int] = []
    last_cut = [0.0]

    def cut_connections() -> None:
        done = Link.objects.filter(state=Link.State.DONE).count()
        if len(cuts) < 3 and done >= 4 * (len(cuts) + 1) and time.monotonic() - last_cut[0] > 1:
            # Workers between tasks may hold no connection: a cut that met none is tried again
            # at the next poll rather than counted.
            cut = terminate_other_connections()
            if cut:
                cuts.append(cut)
                last_cut[0] = time.monotonic()

    try:
        outcome = ingest_demo(
            corpus,
            lambda _, feed_ids: run_through_queue(
                feed_ids, timezone.now(), timeout=300, on_poll=cut_connections
            ),
        )
    finally:
        stop_workers(workers)
    # Three rounds, each cutting the workers' connections (the main processes' ones included).
    assert len(cuts) == 3, cuts
    assert_no_duplicates()
    assert outcome == embedded_outcome
    logs = "".join(path.read_text(errors="replace") for path in tmp_path.glob("worker-*.log"))
    # Tasks met the cuts and were retried (autoretry on OperationalError / InterfaceError).
    assert "Retry in" in logs, "no task met a cut connection"
