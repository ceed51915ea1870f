"""The one way newsdesk reads the web: bounded in time, size and redirects, and polite."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import httpx
from django.conf import settings


class FetchError(Exception):
    """A fetch that failed; `reason` is short and meant for people (logs, `sources list`)."""

    def __init__(self, reason: str, *, status: int | None = None, transient: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        # Transient failures (timeouts, 5xx) are retried later; permanent ones (404) are not.
        self.transient = transient


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


_local = threading.local()


@dataclass(frozen=True)
class ClientConfig:
    connect: float
    read: float
    redirects: int
    user_agent: str

    @classmethod
    def current(cls) -> ClientConfig:
        return cls(
            settings.NEWSDESK_FETCH_CONNECT_TIMEOUT,
            settings.NEWSDESK_FETCH_READ_TIMEOUT,
            settings.NEWSDESK_FETCH_MAX_REDIRECTS,
            settings.NEWSDESK_USER_AGENT,
        )


def _client() -> httpx.Client:
    # One pooled client per thread (connection reuse across a pass), rebuilt if settings change.
    config = ClientConfig.current()
    client: httpx.Client | None = getattr(_local, "client", None)
    if client is not None and getattr(_local, "config", None) != config:
        client.close()
        client = None
    if client is None:
        client = httpx.Client(
            follow_redirects=True,
            max_redirects=config.redirects,
            timeout=httpx.Timeout(
                connect=config.connect, read=config.read, write=config.read, pool=config.connect
            ),
            headers={"User-Agent": config.user_agent},
        )
        _local.client = client
        _local.config = config
    return client


def close_client() -> None:
    client: httpx.Client | None = getattr(_local, "client", None)
    if client is not None:
        client.close()
        _local.client = None


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    max_bytes: int | None = None,
) -> FetchResult:
    """GET `url`, raising FetchError with a readable reason on any failure."""
    limit = max_bytes or settings.NEWSDESK_FETCH_MAX_BYTES
    deadline = time.monotonic() + settings.NEWSDESK_FETCH_TOTAL_TIMEOUT
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with _client().stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return _result(url, response, b"")
            if response.status_code >= 400:
                raise FetchError(
                    f"HTTP {response.status_code}",
                    status=response.status_code,
                    transient=response.status_code in {408, 425, 429}
                    or response.status_code >= 500,
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(f"too large: {declared} bytes (limit {limit})", transient=False)
            chunks: list[bytes] = []
            size = 0
            # Counting decoded bytes caps both plain bodies and compressed bombs.
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"too large: over {limit} bytes", transient=False)
                if time.monotonic() > deadline:
                    raise FetchError("timed out: download too slow")
                chunks.append(chunk)
            return _result(url, response, b"".join(chunks))
    except FetchError:
        raise
    except httpx.TooManyRedirects:
        raise FetchError("too many redirects", transient=False) from None
    except httpx.ConnectTimeout:
        raise FetchError("timed out connecting") from None
    except httpx.TimeoutException:
        raise FetchError("timed out reading") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"cannot connect: {exc}") from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL: {exc}", transient=False) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"HTTP error: {type(exc).__name__}: {exc}") from None


def _result(url: str, response: httpx.Response, content: bytes) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=str(response.url),
        status=response.status_code,
        content=content,
        content_type=response.headers.get("Content-Type", ""),
        headers=dict(response.headers),
    )
