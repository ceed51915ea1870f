"""One ingest pass: every stage in order, each over the work the database says is left.

Work is derived from database state (pending links, unclustered reports, stale articles), so a
pass interrupted anywhere is finished by the next one, and a repeated pass changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import Enum
from itertools import zip_longest
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F, Q
from django.utils import timezone

from newsdesk.metrics.stage_metrics import stage_timer
from newsdesk.pipeline.extractors import POOL_MIN_PAGES, ExtractorPool
from newsdesk.pipeline.progress import Progress, SilentProgress
from newsdesk.publishing.models import Article
from newsdesk.publishing.publish import publish_story, refresh_images
from newsdesk.reports.extract import extract_link, save_extraction
from newsdesk.reports.fetch import fetch_pending, record_fetch
from newsdesk.reports.images import Recorded, download_images, images_to_fetch, record_image
from newsdesk.reports.models import Link, Report, ReportImage
from newsdesk.sources.discover import poll_feeds, record_poll
from newsdesk.sources.health import due_sources
from newsdesk.sources.http import FetchResult, Outcome
from newsdesk.sources.models import Feed
from newsdesk.stories.cluster import cluster_report
from newsdesk.stories.models import Story

if TYPE_CHECKING:
    from newsdesk.pipeline.extractors import Extraction

log = logging.getLogger(__name__)


@dataclass
class Problem:
    source: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.url}: {self.reason}"


@dataclass
class PassSummary:
    feeds: int = 0
    new_links: int = 0
    fetched: int = 0
    reports: int = 0
    clustered: int = 0
    published: int = 0
    images: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)


class _Failed(Enum):
    """What a stage's step gave when it failed unexpectedly (None can be a real result)."""

    ITEM = "failed"


_FAILED = _Failed.ITEM


def feeds_to_poll(source_ids: list[int] | None = None) -> list[int]:
    """Feeds of active sources that are due: not backing off, and if paused, due a probe."""
    feeds = Feed.objects.filter(source__in=due_sources())
    if source_ids is not None:
        feeds = feeds.filter(source_id__in=source_ids)
    return list(feeds.order_by("source__name", "id").values_list("id", flat=True))


def discover(progress: Progress, summary: PassSummary, source_ids: list[int] | None = None) -> None:
    """Stage 1: poll the due feeds concurrently, recording each document as it arrives.

    Problems are listed in feed order, as a serial poll would list them, not in the order the
    hosts happened to answer.
    """
    feed_ids = feeds_to_poll(source_ids)
    problems: dict[int, list[Problem]] = {}
    with progress.stage("discover", len(feed_ids)) as bar:
        for feed_id, outcome in poll_feeds(feed_ids):
            before = len(summary.problems)
            found = _step(summary, "discover", feed_id, record_poll, feed_id, outcome)
            if found is not _FAILED:
                summary.feeds += 1
                summary.new_links += found.new_links
                if found.error:
                    feed = Feed.objects.select_related("source").get(pk=feed_id)
                    summary.problems.append(Problem(feed.source.name, feed.url, found.error))
            problems[feed_id] = summary.problems[before:]
            del summary.problems[before:]
            bar.advance()
    for feed_id in feed_ids:
        summary.problems.extend(problems.get(feed_id, []))


def links_to_fetch(source_ids: list[int] | None = None) -> list[int]:
    """Pending links that are due, taking hosts in turn so concurrent fetches spread over them.

    In discovery order a feed's links come together, and a batch would queue at one host
    (whose per-host limit and delay hold it back) while others sit idle.
    """
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    links = Link.objects.filter(due, state=Link.State.PENDING, source__active=True)
    if source_ids is not None:
        links = links.filter(source_id__in=source_ids)
    by_host: dict[str, list[int]] = {}
    for link_id, url in links.order_by("id").values_list("id", "url").iterator(chunk_size=2000):
        by_host.setdefault(urlsplit(url).netloc, []).append(link_id)
    return [
        link_id
        for turn in zip_longest(*by_host.values())
        for link_id in turn
        if link_id is not None
    ]


def links_to_extract() -> list[int]:
    return list(
        Link.objects.filter(state=Link.State.FETCHED).order_by("id").values_list("id", flat=True)
    )


def fetch_and_extract(
    progress: Progress, summary: PassSummary, source_ids: list[int] | None = None
) -> None:
    """Stages 2 and 3 pipelined: each page is extracted as soon as its download is recorded.

    Downloads run concurrently on the fetcher's own thread while this thread records each
    outcome and extracts the page, so the network wait hides behind the extraction work. Pages
    an interrupted pass fetched but never extracted go first; the database says which.
    """
    for link_id, state in _stage(progress, summary, "extract", links_to_extract(), extract_link):
        if state != Link.State.DONE:
            summary.problems.append(_link_problem(link_id))
    pending = links_to_fetch(source_ids)
    # A pool pays for its start-up (about a second) only on a batch of some size.
    workers = settings.NEWSDESK_EXTRACT_WORKERS if len(pending) >= POOL_MIN_PAGES else 0
    with progress.stage("fetch", len(pending)) as bar, ExtractorPool[Link](workers) as pool:
        for link_id, outcome in fetch_pending(pending):
            fetched = _step(summary, "fetch", link_id, record_fetch, link_id, outcome)
            if fetched != Link.State.FETCHED:
                if fetched is not _FAILED:
                    summary.problems.append(_link_problem(link_id))
                bar.advance()
            else:
                summary.fetched += 1
                # A page no worker has room for is extracted here, so this thread works too.
                if not _hand_over(pool, link_id, outcome):
                    _extract(summary, link_id, extract_link, link_id)
                    bar.advance()
            for link, future in pool.finished():
                _extract(summary, link.pk, _save, link, future)
                bar.advance()
        for link, future in pool.finished(wait_for_all=True):
            _extract(summary, link.pk, _save, link, future)
            bar.advance()


def _hand_over(pool: ExtractorPool[Link], link_id: int, outcome: Outcome) -> bool:
    """Give a fetched page to an extraction worker, straight from memory, if one has room."""
    if not (isinstance(outcome, FetchResult) and pool.has_room()):
        return False
    link = Link.objects.select_related("source").defer("body").get(pk=link_id)
    return pool.submit(link, outcome.content, link.final_url or link.url, link.source.language)


def _save(link: Link, future: Future[Extraction]) -> Link.State:
    """Store a worker's extraction; a page whose worker died is extracted here instead."""
    if isinstance(future.exception(), BrokenProcessPool):
        return extract_link(link.pk)
    return save_extraction(link, future.result())


def _extract[**P](
    summary: PassSummary,
    link_id: int,
    step: Callable[P, Link.State],
    *args: P.args,
    **kwargs: P.kwargs,
) -> None:
    state = _step(summary, "extract", link_id, step, *args, **kwargs)
    if state not in (_FAILED, Link.State.DONE):
        summary.problems.append(_link_problem(link_id))


def fetch_images(progress: Progress, summary: PassSummary) -> None:
    """Stage 3b: download the images extraction recorded, concurrently and politely.

    After the pages, so no page waits on a picture; before publishing, so an article written in
    this pass shows its images. An article already published whose report's image arrives only
    now (its host made us wait, or it failed before) is given it here, without a rewrite.
    """
    pending = images_to_fetch()
    illustrated: set[int] = set()
    with progress.stage("images", len(pending)) as bar:
        for group, outcome in download_images(pending):
            recorded = _step(summary, "images", group[0], record_image, group, outcome)
            if isinstance(recorded, Recorded) and recorded.state == ReportImage.State.DONE:
                summary.images += 1
                illustrated.update(recorded.reports)
            bar.advance()
    for article_id in _articles_of(sorted(illustrated)):
        _step(summary, "images", article_id, refresh_images, article_id)


def _articles_of(report_ids: list[int]) -> list[int]:
    articles: set[int] = set()
    # In slices: a first pass may bring thousands, past what one SQL statement may list.
    for start in range(0, len(report_ids), 500):
        chosen = report_ids[start : start + 500]
        articles.update(
            Article.objects.filter(story__reports__in=chosen).values_list("id", flat=True)
        )
    return sorted(articles)


def reports_to_cluster() -> list[int]:
    # Originals first, in publication order, so a copy finds its original's story.
    pending = Report.objects.filter(clustered_at__isnull=True)
    originals = pending.filter(duplicate_of__isnull=True).order_by(
        F("published_at").asc(nulls_last=True), "id"
    )
    copies = pending.filter(duplicate_of__isnull=False).order_by("id")
    return [*originals.values_list("id", flat=True), *copies.values_list("id", flat=True)]


def stories_to_publish() -> list[int]:
    """Live stories whose article is missing or stale, then tombstones that still hold one.

    A merged story has nothing to publish; its old article is retired to a redirect, last, so
    that the survivor's article is written first and the old address leads to it at once.
    """
    stale = Q(article__isnull=True) | Q(article__story_revision__lt=F("revision"))
    held = Q(held_revision=F("revision"))
    live = Story.objects.filter(stale, merged_into__isnull=True).exclude(held)
    retired = Story.objects.filter(merged_into__isnull=False, article__isnull=False)
    return [
        *live.order_by("event_time", "id").values_list("id", flat=True),
        *retired.order_by("event_time", "id").values_list("id", flat=True),
    ]


def run_pass(progress: Progress | None = None, source_ids: list[int] | None = None) -> PassSummary:
    progress = progress or SilentProgress()
    summary = PassSummary()
    started = time.monotonic()
    reports_before = Report.objects.count()

    discover(progress, summary, source_ids)
    fetch_and_extract(progress, summary, source_ids)
    fetch_images(progress, summary)

    summary.clustered = len(
        _stage(progress, summary, "cluster", reports_to_cluster(), cluster_report)
    )
    published = _stage(progress, summary, "publish", stories_to_publish(), publish_story)
    summary.published = sum(1 for _, article in published if article is not None)

    summary.reports = Report.objects.count() - reports_before
    summary.seconds = time.monotonic() - started
    return summary


def _stage[T](
    progress: Progress,
    summary: PassSummary,
    name: str,
    item_ids: list[int],
    step: Callable[[int], T],
) -> list[tuple[int, T]]:
    """Run one stage over its items; an item that fails unexpectedly is reported, not fatal."""
    results: list[tuple[int, T]] = []
    with progress.stage(name, len(item_ids)) as bar:
        for item_id in item_ids:
            result = _step(summary, name, item_id, step, item_id)
            if result is not _FAILED:
                results.append((item_id, result))
            bar.advance()
    return results


def _step[**P, T](
    summary: PassSummary,
    name: str,
    item_id: int,
    step: Callable[P, T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T | _Failed:
    """One item of a stage; an item that fails unexpectedly is reported, not fatal.

    Timed for /metrics: what this thread spends on the item (downloads run concurrently
    beforehand, so a fetch step is the recording of a page, not its transfer).
    """
    try:
        with stage_timer(name):
            return step(*args, **kwargs)
    except DatabaseError:
        raise  # the database itself failing ends the pass; the next one resumes
    except Exception as exc:  # one bad item must not stop the others
        log.exception(
            "%s of item %s failed", name, item_id, extra={"stage": name, "item_id": item_id}
        )
        summary.problems.append(Problem(name, f"item {item_id}", f"unexpected {exc!r}"))
        return _FAILED


def _link_problem(link_id: int) -> Problem:
    link = Link.objects.select_related("source").get(pk=link_id)
    return Problem(link.source.name, link.url, link.error or link.get_state_display())
