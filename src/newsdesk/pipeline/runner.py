"""One ingest pass: every stage in order, each over the work the database says is left.

Work is derived from database state (pending links, unclustered reports, stale articles), so a
pass interrupted anywhere is finished by the next one, and a repeated pass changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError
from django.db.models import F, Q
from django.utils import timezone

from newsdesk.pipeline.progress import Progress, SilentProgress
from newsdesk.publishing.publish import publish_story
from newsdesk.reports.extract import extract_link
from newsdesk.reports.fetch import fetch_link
from newsdesk.reports.models import Link, Report
from newsdesk.sources.discover import discover_feed
from newsdesk.sources.models import Feed
from newsdesk.stories.cluster import cluster_report
from newsdesk.stories.models import Story

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
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)


def feeds_to_poll(source_ids: list[int] | None = None) -> list[int]:
    feeds = Feed.objects.filter(source__active=True)
    if source_ids is not None:
        feeds = feeds.filter(source_id__in=source_ids)
    return list(feeds.order_by("source__name", "id").values_list("id", flat=True))


def links_to_fetch(source_ids: list[int] | None = None) -> list[int]:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    links = Link.objects.filter(due, state=Link.State.PENDING, source__active=True)
    if source_ids is not None:
        links = links.filter(source_id__in=source_ids)
    return list(links.order_by("id").values_list("id", flat=True))


def links_to_extract() -> list[int]:
    return list(
        Link.objects.filter(state=Link.State.FETCHED).order_by("id").values_list("id", flat=True)
    )


def reports_to_cluster() -> list[int]:
    # Originals first, in publication order, so a copy finds its original's story.
    pending = Report.objects.filter(clustered_at__isnull=True)
    originals = pending.filter(duplicate_of__isnull=True).order_by(
        F("published_at").asc(nulls_last=True), "id"
    )
    copies = pending.filter(duplicate_of__isnull=False).order_by("id")
    return [*originals.values_list("id", flat=True), *copies.values_list("id", flat=True)]


def stories_to_publish() -> list[int]:
    stale = Q(article__isnull=True) | Q(article__story_revision__lt=F("revision"))
    held = Q(held_revision=F("revision"))
    stories = Story.objects.filter(stale).exclude(held).order_by("event_time", "id")
    return list(stories.values_list("id", flat=True))


def run_pass(progress: Progress | None = None, source_ids: list[int] | None = None) -> PassSummary:
    progress = progress or SilentProgress()
    summary = PassSummary()
    started = time.monotonic()
    reports_before = Report.objects.count()

    for feed_id, found in _stage(
        progress, summary, "discover", feeds_to_poll(source_ids), discover_feed
    ):
        summary.feeds += 1
        summary.new_links += found.new_links
        if found.error:
            feed = Feed.objects.select_related("source").get(pk=feed_id)
            summary.problems.append(Problem(feed.source.name, feed.url, found.error))

    for link_id, state in _stage(
        progress, summary, "fetch", links_to_fetch(source_ids), fetch_link
    ):
        if state == Link.State.FETCHED:
            summary.fetched += 1
        else:
            summary.problems.append(_link_problem(link_id))

    for link_id, state in _stage(progress, summary, "extract", links_to_extract(), extract_link):
        if state != Link.State.DONE:
            summary.problems.append(_link_problem(link_id))

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
            try:
                results.append((item_id, step(item_id)))
            except DatabaseError:
                raise  # the database itself failing ends the pass; the next one resumes
            except Exception as exc:  # one bad item must not stop the others
                log.exception("%s of item %s failed", name, item_id)
                summary.problems.append(Problem(name, f"item {item_id}", f"unexpected {exc!r}"))
            bar.advance()
    return results


def _link_problem(link_id: int) -> Problem:
    link = Link.objects.select_related("source").get(pk=link_id)
    return Problem(link.source.name, link.url, link.error or link.get_state_display())
