"""Taking turns at a host: requests in flight, the least gap between two, and Retry-After.

A host is scheme + name + port, as robots.txt scopes it. State lives as long as the process (a
`newsdesk run` remembers that a site asked it to wait); `Politeness` is used from one event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from django.conf import settings

from newsdesk.sources.robots import RobotsRules

# A server asking for more than a day is not asked again today anyway.
MAX_RETRY_AFTER = 24 * 3600.0
DEFAULT_PORTS = {"http": 80, "https": 443}


class HostBusy(Exception):
    """The host may not be asked now and not within the wait allowed; `wait` is in seconds."""

    def __init__(self, reason: str, wait: float) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


@dataclass
class HostState:
    slots: asyncio.Semaphore
    # Monotonic times: no request starts before `next_start`, nor before `blocked_until`.
    next_start: float = 0.0
    blocked_until: float = 0.0
    # robots.txt, once read; `robots_failure` says why it could not be (then nothing is fetched).
    robots: RobotsRules | None = None
    robots_failure: str = ""
    robots_failure_transient: bool = True
    robots_expires: float = 0.0
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def host_key(url: httpx.URL) -> str:
    port = url.port or DEFAULT_PORTS.get(url.scheme, 0)
    return f"{url.scheme}://{url.host}:{port}"


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delay-seconds or an HTTP date), or None."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class Politeness:
    def __init__(self) -> None:
        self._hosts: dict[str, HostState] = {}

    def host(self, key: str) -> HostState:
        state = self._hosts.get(key)
        if state is None:
            # The per-host limit is read when a host is first met; it holds for the process.
            state = HostState(asyncio.Semaphore(max(1, settings.NEWSDESK_FETCH_PER_HOST)))
            self._hosts[key] = state
        return state

    def block(self, key: str, seconds: float) -> None:
        """The host asked (Retry-After) not to be asked again for `seconds`."""
        host = self.host(key)
        host.blocked_until = max(host.blocked_until, time.monotonic() + seconds)

    @asynccontextmanager
    async def turn(self, key: str, crawl_delay: float, max_wait: float) -> AsyncIterator[None]:
        """Wait for this host's turn, then hold one of its slots; HostBusy if it is too far."""
        host = self.host(key)
        now = time.monotonic()
        start = max(now, host.next_start, host.blocked_until)
        if start - now > max_wait:
            raise HostBusy(_busy_reason(host, start), start - now)
        # Reserve the start time now, so requests queued for one host space themselves out.
        host.next_start = start + max(settings.NEWSDESK_FETCH_HOST_DELAY, crawl_delay)
        if start > now:
            await asyncio.sleep(start - now)
        async with host.slots:
            # A Retry-After may have come in while this request waited.
            now = time.monotonic()
            if host.blocked_until > now:
                raise HostBusy(_busy_reason(host, host.blocked_until), host.blocked_until - now)
            yield


def _busy_reason(host: HostState, start: float) -> str:
    if host.blocked_until >= start:
        return "deferred: the host asked us to wait (Retry-After)"
    return "deferred: the host's turn is too far off (per-host delay)"
