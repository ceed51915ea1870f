"""The one implementation of a guarded GET, asynchronous; `http.fetch` and `fetch_many` run it.

Every hop of a redirect chain is a request of its own: its URL is checked, robots.txt of its
host consulted, the host's turn awaited, its address checked where the socket opens (netguard),
and it counts against the redirect cap. Time spent waiting for a turn does not count against
the download deadline; time on the network does, across all hops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpcore
import httpx
from django.conf import settings

from newsdesk.sources.fetchtypes import (
    FetchDeferred,
    FetchError,
    FetchRefused,
    FetchRequest,
    FetchResult,
)
from newsdesk.sources.inflate import BodyRefused, Inflater
from newsdesk.sources.netguard import AddressRefused, GuardedBackend
from newsdesk.sources.politeness import HostBusy, Politeness, host_key, retry_after_seconds
from newsdesk.sources.robots import ALLOW_ALL, DISALLOW_ALL, MAX_BYTES, RobotsRules, parse_robots

log = logging.getLogger(__name__)

REDIRECTS = {301, 302, 303, 307, 308}
# An unreachable robots.txt is asked again after this long (RFC 9309 allows a day; a blip
# should not shut a site out of a whole pass).
ROBOTS_RETRY = 300.0


@dataclass(frozen=True)
class _Redirect:
    location: httpx.URL


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a connection pool whose every socket goes through netguard."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        # httpx has no parameter for httpcore's network backend: swap in an equivalent pool.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=None,
            max_keepalive_connections=64,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(),
        )


class Fetcher:
    """Owns the HTTP client and the politeness state; lives on one event loop."""

    def __init__(self) -> None:
        self.politeness = Politeness()
        # trust_env=False: a proxy would resolve names itself, past the address check.
        self.client = httpx.AsyncClient(
            transport=GuardedTransport(), follow_redirects=False, trust_env=False
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def fetch(
        self, request: FetchRequest, gate: asyncio.Semaphore | None = None
    ) -> FetchResult:
        """GET `request.url` within every guard; raises FetchError, never anything else.

        `gate` bounds requests on the network across callers (fetch_many's concurrency).
        """
        headers = {"Accept": request.accept}
        if request.etag:
            headers["If-None-Match"] = request.etag
        if request.last_modified:
            headers["If-Modified-Since"] = request.last_modified
        limit = request.max_bytes or settings.NEWSDESK_FETCH_MAX_BYTES
        try:
            return await self._get(request.url, headers, limit, gate, robots=True)
        except FetchError:
            raise
        except Exception as exc:  # one odd URL must not take a whole batch down
            log.exception("fetch of %s failed unexpectedly", request.url)
            raise FetchError(f"unexpected error: {type(exc).__name__}: {exc}") from None

    async def _get(
        self,
        url: str,
        headers: dict[str, str],
        limit: int,
        gate: asyncio.Semaphore | None,
        *,
        robots: bool,
    ) -> FetchResult:
        budget = settings.NEWSDESK_FETCH_TOTAL_TIMEOUT
        target = _http_url(url)
        for _ in range(settings.NEWSDESK_FETCH_MAX_REDIRECTS + 1):
            rules = await self._robots(target, gate) if robots else ALLOW_ALL
            if not rules.allows(target.raw_path.decode("ascii")):
                raise FetchError("disallowed by robots.txt", transient=False)
            key = host_key(target)
            try:
                async with (
                    self.politeness.turn(key, rules.crawl_delay, max_wait=budget),
                    gate or contextlib.nullcontext(),
                ):
                    started = time.monotonic()
                    try:
                        async with _errors(), asyncio.timeout(budget):
                            outcome = await self._exchange(url, target, headers, limit)
                    finally:
                        budget -= time.monotonic() - started
            except HostBusy as busy:
                raise FetchDeferred(busy.reason, retry_after=busy.wait) from None
            if isinstance(outcome, FetchResult):
                return outcome
            target = _http_url(str(outcome.location))
        raise FetchError("too many redirects", transient=False)

    async def _exchange(
        self, url: str, target: httpx.URL, headers: dict[str, str], limit: int
    ) -> FetchResult | _Redirect:
        request = self.client.build_request(
            "GET",
            target,
            headers={
                **headers,
                "User-Agent": settings.NEWSDESK_USER_AGENT,
                # Only what inflate.py can decode within its guards.
                "Accept-Encoding": "gzip, deflate",
            },
            timeout=httpx.Timeout(
                connect=settings.NEWSDESK_FETCH_CONNECT_TIMEOUT,
                read=settings.NEWSDESK_FETCH_READ_TIMEOUT,
                write=settings.NEWSDESK_FETCH_READ_TIMEOUT,
                pool=settings.NEWSDESK_FETCH_CONNECT_TIMEOUT,
            ),
        )
        response = await self.client.send(request, stream=True)
        try:
            status = response.status_code
            if status in REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {status} without a Location", transient=False)
                return _Redirect(target.join(location.strip()))
            if status >= 400:
                raise self._status_error(target, response)
            body = b""
            if status != 304:
                body = await _read_body(response, limit)
            return FetchResult(
                url=url,
                final_url=str(target),
                status=status,
                content=body,
                content_type=response.headers.get("Content-Type", ""),
                headers=dict(response.headers),
            )
        finally:
            await response.aclose()

    def _status_error(self, target: httpx.URL, response: httpx.Response) -> FetchError:
        status = response.status_code
        retry_after = None
        if status in {429, 503}:
            retry_after = retry_after_seconds(response.headers.get("Retry-After", ""))
            if retry_after is not None:
                self.politeness.block(host_key(target), retry_after)
        return FetchError(
            f"HTTP {status}" + (f" (retry after {retry_after:.0f} s)" if retry_after else ""),
            status=status,
            transient=status in {408, 425, 429} or status >= 500,
            retry_after=retry_after,
        )

    async def _robots(self, target: httpx.URL, gate: asyncio.Semaphore | None) -> RobotsRules:
        host = self.politeness.host(host_key(target))
        if host.robots is None or host.robots_expires <= time.monotonic():
            async with host.robots_lock:
                # Another request for this host may have read it while this one waited.
                if host.robots is None or host.robots_expires <= time.monotonic():
                    await self._read_robots(target, gate)
        assert host.robots is not None
        if host.robots_failure:
            raise FetchError(
                host.robots_failure,
                transient=host.robots_failure_transient,
                retry_after=max(0.0, host.robots_expires - time.monotonic()),
            )
        return host.robots

    async def _read_robots(self, target: httpx.URL, gate: asyncio.Semaphore | None) -> None:
        host = self.politeness.host(host_key(target))
        url = target.copy_with(path="/robots.txt", query=None, fragment=None)
        ttl = float(settings.NEWSDESK_ROBOTS_TTL)
        failure, transient = "", True
        try:
            result = await self._get(
                str(url), {"Accept": "text/plain, */*;q=0.5"}, MAX_BYTES, gate, robots=False
            )
            rules = parse_robots(result.content.decode("utf-8", "replace").lstrip("\ufeff"))
        except (FetchDeferred, FetchRefused):
            raise  # not read, or refused by our own settings: nothing to remember of the host
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                rules = ALLOW_ALL  # RFC 9309: no robots.txt (404, 403...) means no rules
            else:
                # RFC 9309: unreachable (5xx, network) means a complete disallow, for now.
                rules, ttl, transient = DISALLOW_ALL, min(ttl, ROBOTS_RETRY), exc.transient
                failure = f"robots.txt: {exc.reason}" if exc.status else exc.reason
        host.robots, host.robots_failure, host.robots_failure_transient = rules, failure, transient
        host.robots_expires = time.monotonic() + ttl


def _http_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL: {exc}", transient=False) from None
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        raise FetchError(f"invalid URL: not an http(s) address: {url[:200]}", transient=False)
    return parsed.copy_with(fragment=None)


async def _read_body(response: httpx.Response, limit: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"too large: {declared} bytes (limit {limit})", transient=False)
    try:
        inflater = Inflater(
            response.headers.get("Content-Encoding", ""),
            limit=limit,
            max_ratio=settings.NEWSDESK_FETCH_MAX_INFLATE_RATIO,
        )
        async for raw in response.aiter_raw():
            inflater.feed(raw)
        return inflater.finish()
    except BodyRefused as exc:
        raise FetchError(str(exc), transient=False) from None


@contextlib.asynccontextmanager
async def _errors() -> AsyncIterator[None]:
    """Network failures as FetchError, each with a reason people can read."""
    try:
        yield
    except FetchError:
        raise
    except AddressRefused as exc:
        raise FetchRefused(exc.reason) from None
    except TimeoutError:  # the total deadline (asyncio.timeout), not one read
        raise FetchError("timed out: download too slow") from None
    except httpx.ConnectTimeout:
        raise FetchError("timed out connecting") from None
    except httpx.TimeoutException:
        raise FetchError("timed out reading") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"cannot connect: {exc}") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchError(f"invalid URL: {exc}", transient=False) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"HTTP error: {type(exc).__name__}: {exc}") from None
