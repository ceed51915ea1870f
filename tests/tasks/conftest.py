from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings

from newsdesk.demo.corpus import Corpus, load_corpus
from newsdesk.pipeline.runner import run_pass
from newsdesk.tasks.drive import use_broker, worker_command
from tests.tasks.demo_runs import Outcome, ingest_demo
from tests.tasks.services import REDIS_URL, require_postgres, require_redis, worker_database_url


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="session")
def embedded_outcome(
    corpus: Corpus, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Outcome:
    """The demo through the embedded pass, on the suite's PostgreSQL: what workers must match."""
    with django_db_blocker.unblock():
        require_postgres()
        try:
            return ingest_demo(corpus, lambda source_ids, _: run_pass(source_ids=source_ids))
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def broker(settings: Settings) -> Iterator[str]:
    """The suite's Redis database, empty, as this process's queue."""
    url = require_redis(REDIS_URL)
    import redis

    redis.Redis.from_url(url).flushdb()
    settings.REDIS_URL = url
    use_broker(url)
    yield url
    redis.Redis.from_url(url).flushdb()


def worker_env(home: Path, broker_url: str, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": broker_url,
        "NEWSDESK_HOME": str(home),
        "NEWSDESK_FETCH_ALLOWED_ADDRESSES": "127.0.0.1",
        "NEWSDESK_FETCH_HOST_DELAY": "0",
        "NEWSDESK_WRITE_SETTLE_SECONDS": "1",
        "NEWSDESK_LOG_LEVEL": "WARNING",
        **extra,
    }


def start_scheduler(env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    """A real `newsdesk scheduler` process with the workers' settings, logging to log_dir."""
    return subprocess.Popen(
        [*worker_command()[:-1], "scheduler"],
        env={**os.environ, **env},
        stdout=(log_dir / "scheduler.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("services"):
        require_postgres()
