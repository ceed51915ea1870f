"""The demo through real Celery workers (newsdesk.tasks) on PostgreSQL and Redis: the web's
/metrics shows the database's counts and every task the workers timed.

Needs the Celery side (newsdesk.tasks); until it is installed this test is skipped, loudly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.metrics.conftest import REDIS_URL, ensure_redis
from tests.metrics.metrics_text import parse
from tests.processes import free_port, newsdesk_command

pytestmark = pytest.mark.skipif(
    "newsdesk.tasks" not in settings.INSTALLED_APPS,
    reason="NOT RUN: newsdesk.tasks (the Celery side) is not installed on this branch; "
    "this test runs the demo through its workers once it is merged",
)

PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "newsdesk_issue6ops_metrics_workers"

SCRAPE = """
import json, django
django.setup()
from django.db.models import Count
from django.test import Client
from newsdesk.publishing.models import Article
from newsdesk.reports.models import Link, Report
from newsdesk.sources.models import Feed
from newsdesk.stories.models import Story
print(json.dumps({
    "metrics": Client(HTTP_HOST="127.0.0.1").get("/metrics").content.decode(),
    "reports": Report.objects.count(),
    "links": Link.objects.count(),
    "done": Link.objects.filter(state="done").count(),
    "feeds": Feed.objects.count(),
    "live": Story.objects.filter(merged_into__isnull=True).count(),
    "articles": Article.objects.count(),
}))
"""


def fresh_database() -> str:
    try:
        with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DATABASE}")
    except psycopg.OperationalError as exc:
        pytest.skip(f"POSTGRESQL TEST SKIPPED: no PostgreSQL on 127.0.0.1:5432 ({exc})")
    return f"{PG}/{DATABASE}"


def test_workers_timings_and_counts_reach_the_web(tmp_path: Path) -> None:
    ensure_redis().flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsdesk.settings",
        DATABASE_URL=fresh_database(),
        REDIS_URL=REDIS_URL,
        NEWSDESK_HOME=str(tmp_path / "home"),
        NEWSDESK_FETCH_ALLOWED_ADDRESSES="127.0.0.1",
        NEWSDESK_FETCH_HOST_DELAY="0",
    )
    demo = subprocess.run(
        [*newsdesk_command(), "demo", "--via-workers", "--workers", "2", "--no-serve",
         "--source-port", str(free_port())],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr[-3000:]
    scraped = subprocess.run(
        [sys.executable, "-c", SCRAPE], env=env, capture_output=True, text=True, timeout=120
    )
    assert scraped.returncode == 0, scraped.stderr
    state = json.loads(scraped.stdout)
    result = parse(state["metrics"])
    assert result.value("newsdesk_reports_fetched") == state["reports"] > 0
    assert result.value("newsdesk_links", state="done") == state["done"] == state["reports"]
    assert result.value("newsdesk_stories", state="live") == state["live"] > 0
    assert result.value("newsdesk_articles") == state["articles"] == state["live"]
    assert result.value("newsdesk_redis_up") == 1
    assert set(result.labelled("newsdesk_queue_depth", "queue").values()) == {0.0}
    # Timed in the worker processes, read here from Redis: every page fetched and extracted
    # was one task of each (a task can run again after a retry, never less than once).
    for stage in ("fetch", "extract"):
        assert result.value("newsdesk_stage_seconds_count", stage=stage) >= state["links"]
    for stage in ("discover", "cluster", "write", "publish"):
        assert result.value("newsdesk_stage_seconds_count", stage=stage) >= 1, stage
    assert result.labelled("newsdesk_task_failures_total", "stage") == {}
