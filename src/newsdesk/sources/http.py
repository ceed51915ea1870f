"""The one way newsdesk reads the web: bounded in time, size and redirects, polite, and safe.

Fetches run on one event loop on a background thread, which owns the HTTP client, the
connection pool and what the desk knows of each host (robots.txt, pacing, Retry-After), so a
plain `fetch()` and a batch through `fetch_many()` take turns at a host together. The guards
themselves are in fetcher.py; this module only carries requests to that loop and back.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import threading
from collections.abc import Coroutine, Generator, Iterable
from concurrent.futures import Future
from functools import partial
from typing import Any

from django.conf import settings

from newsdesk.sources.fetcher import Fetcher
from newsdesk.sources.fetchtypes import (
    HTML_ACCEPT,
    FetchDeferred,
    FetchError,
    FetchRefused,
    FetchRequest,
    FetchResult,
    Outcome,
)

__all__ = [
    "HTML_ACCEPT",
    "FetchDeferred",
    "FetchError",
    "FetchRefused",
    "FetchRequest",
    "FetchResult",
    "Outcome",
    "close_client",
    "fetch",
    "fetch_keyed",
    "fetch_many",
]


class _Engine:
    """An event loop on a daemon thread, and the Fetcher that lives on it."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="newsdesk-fetch", daemon=True
        )
        self.thread.start()
        self.fetcher: Fetcher = self.submit(_new_fetcher()).result()

    def submit[T](self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def close(self) -> None:
        try:
            self.submit(_shut_down(self.fetcher)).result(timeout=5)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)
            if not self.thread.is_alive():
                self.loop.close()


async def _new_fetcher() -> Fetcher:
    return Fetcher()


async def _shut_down(fetcher: Fetcher) -> None:
    # Fetches still under way end as cancelled, so no caller waits on a stopped loop.
    others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)
    await fetcher.aclose()


_lock = threading.Lock()
_engine: _Engine | None = None


def _current() -> _Engine:
    global _engine
    with _lock:
        # A forked child inherits the object but not the thread: it needs its own.
        if _engine is None or _engine.pid != os.getpid():
            _engine = _Engine()
        if threading.current_thread() is _engine.thread:
            raise RuntimeError("fetch() called on the fetch loop itself; await Fetcher.fetch")
        return _engine


def close_client() -> None:
    """Close the connections and forget what was learnt about hosts (robots, pacing)."""
    global _engine
    with _lock:
        engine, _engine = _engine, None
    if engine is not None and engine.pid == os.getpid():
        engine.close()


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    accept: str = HTML_ACCEPT,
    max_bytes: int | None = None,
) -> FetchResult:
    """GET `url`, raising FetchError with a readable reason on any failure."""
    request = FetchRequest(
        url, etag=etag, last_modified=last_modified, accept=accept, max_bytes=max_bytes
    )
    engine = _current()
    future = engine.submit(engine.fetcher.fetch(request))
    try:
        return future.result()
    finally:
        future.cancel()  # no-op once done; stops the fetch if this thread was interrupted


def fetch_many(
    requests: Iterable[FetchRequest], *, concurrency: int | None = None
) -> Generator[tuple[FetchRequest, Outcome]]:
    """Fetch concurrently, yielding (request, result or error) in the caller's thread as each
    completes (not in input order).

    `requests` is read lazily, in the caller's thread (it may query the database), and at most
    twice `concurrency` requests are under way or waiting to be taken, so memory stays flat
    however many there are. Closing the iterator early cancels what is still under way.
    """
    limit = max(1, concurrency or settings.NEWSDESK_FETCH_CONCURRENCY)
    engine = _current()
    gate = asyncio.Semaphore(limit)
    finished: queue.SimpleQueue[tuple[FetchRequest, Future[FetchResult]]] = queue.SimpleQueue()
    pending: set[Future[FetchResult]] = set()
    source = iter(requests)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < 2 * limit:
                request = next(source, None)
                if request is None:
                    exhausted = True
                    break
                future = engine.submit(engine.fetcher.fetch(request, gate))
                pending.add(future)
                future.add_done_callback(partial(_deliver, finished, request))
            if not pending:
                return
            request, future = finished.get()
            pending.discard(future)
            yield request, _outcome(future)
    finally:
        for future in pending:
            future.cancel()


def fetch_keyed(
    requests: Iterable[FetchRequest], *, concurrency: int | None = None
) -> Generator[tuple[int, Outcome]]:
    """`fetch_many` for callers that know their work by id: yields (request.key, outcome).

    The pipeline's stages read the rest from the database; closing this closes the downloads.
    """
    with contextlib.closing(fetch_many(requests, concurrency=concurrency)) as results:
        for request, outcome in results:
            yield request.key, outcome


def _deliver(
    finished: queue.SimpleQueue[tuple[FetchRequest, Future[FetchResult]]],
    request: FetchRequest,
    future: Future[FetchResult],
) -> None:
    finished.put((request, future))


def _outcome(future: Future[FetchResult]) -> FetchResult | FetchError:
    if future.cancelled():
        return FetchError("cancelled")
    error = future.exception()
    if error is None:
        return future.result()
    if isinstance(error, FetchError):
        return error
    return FetchError(f"unexpected error: {type(error).__name__}: {error}")
