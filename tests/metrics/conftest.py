"""Real Redis for the metrics tests: DB 5 on 127.0.0.1:6379, started if it is down."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from pytest_django.fixtures import Settings

from newsdesk.metrics.stage_metrics import stage_metrics

REDIS_PORT = 6379
REDIS_DB = 5
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/{REDIS_DB}"


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def ensure_redis() -> redis.Redis:
    """The shared server, started as common.md says when it is down; a loud skip when absent."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    if _answers(client):
        return client
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("REDIS TESTS SKIPPED: no Redis on 127.0.0.1:6379 and no redis-server to start")
    subprocess.run(
        [server, "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", str(REDIS_PORT),
         "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
         "--logfile", "/var/log/redis/ci.log"],
        check=False,
    )  # fmt: skip
    for _ in range(50):
        if _answers(client):
            return client
        time.sleep(0.1)
    pytest.skip("REDIS TESTS SKIPPED: redis-server would not start on 127.0.0.1:6379")


@pytest.fixture
def redis_db(settings: Settings) -> Iterator[redis.Redis]:
    """This suite's Redis database, empty, and the desk pointed at it."""
    client = ensure_redis()
    client.flushdb()
    settings.REDIS_URL = REDIS_URL
    yield client
    client.flushdb()


@pytest.fixture
def memory_latency(settings: Settings) -> Iterator[None]:
    """The embedded desk: no Redis, this process's histograms, emptied."""
    settings.REDIS_URL = ""
    stage_metrics().clear()
    yield
    stage_metrics().clear()
