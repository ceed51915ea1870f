"""The real services the task tests run on: PostgreSQL (the suite's database) and Redis.

Redis is started when it is down and redis-server is installed; where it cannot be had, the
tests skip with a warning that says so. They run only in the PostgreSQL run of the suite: the
workers are separate processes and need a database server they can all reach.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import warnings
from pathlib import Path

import pytest
import redis
from django.db import connection

# No persistence: a restarted server is empty, as after a crash that lost its data.
SERVER_ARGS = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
REDIS_URL = os.environ.get("NEWSDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Celery worker tests run only in the PostgreSQL run of the suite "
            "(set DATABASE_URL=postgres://...): worker processes need a shared database server"
        )


def _ping(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def require_redis(url: str = REDIS_URL) -> str:
    if _ping(url):
        return url
    server = shutil.which("redis-server")
    if server is not None and url.startswith("redis://127.0.0.1:6379"):
        subprocess.run(
            [server, *SERVER_ARGS, "--daemonize", "yes", "--port", "6379"],
            check=False,
            capture_output=True,
        )
        for _ in range(20):
            if _ping(url):
                return url
            time.sleep(0.25)
    message = f"Redis is not reachable at {url} and could not be started: worker tests SKIPPED"
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


def worker_database_url() -> str:
    """The suite's own (test) database, as the worker processes must reach it."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OwnRedis:
    """A redis-server of the test's own on a free port, to stop and start at will."""

    def __init__(self, folder: Path) -> None:
        server = shutil.which("redis-server")
        if server is None:
            pytest.skip("redis-server is not installed: the Redis restart test is SKIPPED")
        self.server = server
        self.port = free_port()
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.server, *SERVER_ARGS, "--port", str(self.port), "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(40):
            if _ping(self.url):
                return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None
