"""Stage latency timed in a real Celery worker process reaches the web's /metrics via Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.test import Client

from newsdesk.metrics.stage_metrics import RedisStageMetrics, StageLatency
from tests.metrics.conftest import REDIS_URL
from tests.metrics.metrics_text import Scrape, parse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "metrics-probe"  # celery_probe's; not imported, since importing it sets up a Celery app


@pytest.fixture
def worker(redis_db: redis.Redis, tmp_path: Path) -> Iterator[Path]:
    """A prefork worker on the probe queue, logging JSON to a file (returned)."""
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "NEWSDESK_HOME": str(tmp_path / "home"),
        "NEWSDESK_LOG_FORMAT": "json",
        "NEWSDESK_LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    command = [
        sys.executable, "-m", "celery", "-A", "tests.metrics.celery_probe", "worker",
        "-Q", QUEUE, "--pool", "prefork", "--concurrency", "2",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING",
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        yield log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(store: RedisStageMetrics, count: int, events: int) -> dict[str, StageLatency]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        latencies = store.latencies()
        done = latencies.get("probe")
        retried = latencies.get("probe_retries")
        if (
            done
            and done.count >= count
            and retried
            and retried.count >= 2
            and sum(store.task_events().values()) >= events
        ):
            return latencies
        time.sleep(0.2)
    raise AssertionError(f"the worker did not run the probes: {store.latencies()}")


def scrape() -> Scrape:
    response = Client(HTTP_HOST="127.0.0.1").get("/metrics")
    assert response.status_code == 200
    return parse(response.content.decode())


def test_worker_timings_and_failures_reach_metrics(worker: Path, redis_db: redis.Redis) -> None:
    sender = Celery("sender", broker=REDIS_URL)
    for _ in range(3):
        sender.send_task("newsdesk.probe", args=[0.06], queue=QUEUE)
    sender.send_task("newsdesk.probe_fails", args=[42], queue=QUEUE)
    sender.send_task("newsdesk.probe_retries", queue=QUEUE)
    sender.send_task("outside.probe", queue=QUEUE)
    # Waiting in a stage queue no worker here consumes: the queue depth /metrics reports.
    for _ in range(5):
        sender.send_task("newsdesk.fetch", args=[1], queue="fetch")

    latencies = _wait_for(RedisStageMetrics(REDIS_URL), count=3, events=2)
    # Another worker process timed these; this process reads them from Redis.
    assert set(latencies) == {"probe", "probe_fails", "probe_retries"}
    result = scrape()
    assert result.value("newsdesk_stage_seconds_count", stage="probe") == 3
    assert result.value("newsdesk_stage_seconds_sum", stage="probe") >= 3 * 0.06
    assert result.value("newsdesk_stage_seconds_bucket", stage="probe", le="0.05") == 0
    assert result.value("newsdesk_stage_seconds_bucket", stage="probe", le="+Inf") == 3
    assert result.value("newsdesk_stage_seconds_count", stage="probe_fails") == 1
    assert (
        result.value("newsdesk_task_failures_total", stage="probe_fails", exception="ValueError")
        == 1
    )
    assert result.labelled("newsdesk_task_failures_total", "stage") == {"probe_fails": 1}
    # A transient error, retried once and then done: a retry, no failure, two timed attempts.
    assert result.labelled("newsdesk_task_retries_total", "exception") == {"ConnectionError": 1}
    assert (
        result.value(
            "newsdesk_task_retries_total", stage="probe_retries", exception="ConnectionError"
        )
        == 1
    )
    assert result.value("newsdesk_stage_seconds_count", stage="probe_retries") == 2
    assert result.value("newsdesk_queue_depth", queue="fetch") == 5
    assert result.value("newsdesk_queue_depth", queue="extract") == 0
    assert redis_db.llen("fetch") == 5

    # The worker's log, as JSON lines only, with the task each line was logged in.
    text = worker.read_text()
    records = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    probe = [line for line in records if line["message"] == "probe about to fail"]
    assert len(probe) == 1, text
    assert probe[0]["logger"] == "newsdesk.probe"
    assert probe[0]["level"] == "WARNING"
    assert probe[0]["item_id"] == 42
    assert probe[0]["stage"] == "probe_fails"
    assert probe[0]["task"] == "newsdesk.probe_fails"
    assert len(probe[0]["task_id"]) == 36
    # Celery's own report of the failure, in the same format, traceback included.
    (failed,) = [line for line in records if "probe_fails" in line["message"]]
    assert failed["logger"].startswith("celery.") and failed["level"] == "ERROR"
    assert "ValueError: failing on purpose" in failed["exc_info"]
    # Once: no plain-text copy from a handler Celery would have put on the root logger.
    assert not [line for line in text.splitlines() if "probe about" in line and line[0] != "{"]
