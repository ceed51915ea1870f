"""The Redis connection the metrics read and write, from REDIS_URL."""

from __future__ import annotations

from functools import cache

import redis

# A scrape or a task must not hang on a Redis that is gone: fail fast and carry on without it.
SOCKET_TIMEOUT = 2.0


@cache
def redis_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_timeout=SOCKET_TIMEOUT, socket_connect_timeout=SOCKET_TIMEOUT
    )
