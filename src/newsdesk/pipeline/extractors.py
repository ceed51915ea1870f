"""Page extraction in worker processes: the CPU-bound part of ingesting, off the main thread.

`extract_page` is pure (bytes in, an `Extracted` or the reason out), so it can run in another
process while the main thread keeps recording downloads and storing reports. Storing stays in
the main thread: it must see every report stored before it to recognise copies.

Workers are started with "spawn", so they share no threads, locks or database connections
with the desk; each sets Django up once. A pool only pays off for a batch big enough to
cover that start-up, and on one CPU not at all.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from newsdesk.reports.extract import Extracted, Unextractable

    # What a worker gives back: the page, or why it holds no article.
    type Extraction = Extracted | Unextractable | OSError

log = logging.getLogger(__name__)

# Below this many pages the pool's start-up (about a second) costs more than it saves.
POOL_MIN_PAGES = 64
# Pages handed to each worker ahead of time: enough to keep it busy, few enough to bound memory.
QUEUED_PER_WORKER = 4


def _start_worker() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    django.setup()
    # Imported now, while the pool starts, not on the first page.
    import newsdesk.reports.extract  # noqa: F401


def _extract(content: bytes, url: str, language: str) -> Extraction:
    from newsdesk.reports.extract import Unextractable, extract_page

    try:
        return extract_page(content, url, language)
    except (Unextractable, OSError) as exc:  # what extract_link records as the reason
        return exc


class ExtractorPool[K]:
    """Worker processes extracting pages; `submit` refuses when they have enough queued.

    A refused page is the caller's to extract itself, so the main thread works too instead of
    waiting, and a pool that broke (a worker killed) just refuses everything from then on.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._running: dict[Future[Extraction], K] = {}
        self.broken = False

    def __enter__(self) -> Self:
        if self.workers > 0:
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
            )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._executor is not None:
            # Pages not yet stored stay FETCHED in the database: the next pass extracts them.
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def has_room(self) -> bool:
        return (
            self._executor is not None
            and not self.broken
            and len(self._running) < self.workers * QUEUED_PER_WORKER
        )

    def submit(self, key: K, content: bytes, url: str, language: str) -> bool:
        """Queue a page for a worker; False when the caller should extract it itself."""
        if self._executor is None or not self.has_room():
            return False
        try:
            future = self._executor.submit(_extract, content, url, language)
        except (BrokenProcessPool, RuntimeError) as exc:
            self._break(exc)
            return False
        self._running[future] = key
        return True

    def finished(self, *, wait_for_all: bool = False) -> Iterator[tuple[K, Future[Extraction]]]:
        """Pages whose extraction ended (now, or all of them when `wait_for_all`)."""
        while self._running:
            done = [future for future in self._running if future.done()]
            if not done:
                if not wait_for_all:
                    return
                wait(self._running, return_when=FIRST_COMPLETED)
                continue
            for future in done:
                key = self._running.pop(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    self._break(future.exception())
                yield key, future

    def _break(self, error: BaseException | None) -> None:
        if not self.broken:
            log.error("extraction workers stopped (%r); extracting in the main thread", error)
        self.broken = True
