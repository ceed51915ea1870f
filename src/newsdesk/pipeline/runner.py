"""One ingest pass: every stage in order, each over the work the database says is left.

Work is derived from database state (pending links, unclustered reports, stale articles), so a
pass interrupted anywhere is finished by the next one, and a repeated pass changes nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

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
    return list(
        Story.objects.filter(stale).order_by("event_time", "id").values_list("id", flat=True)
    )


def run_pass(progress: Progress | None = None, source_ids: list[int] | None = None) -> PassSummary:
    progress = progress or SilentProgress()
    summary = PassSummary()
    started = time.monotonic()
    reports_before = Report.objects.count()

    feed_ids = feeds_to_poll(source_ids)
    with progress.stage("discover", len(feed_ids)) as bar:
        for feed_id in feed_ids:
            result = discover_feed(feed_id)
            summary.feeds += 1
            summary.new_links += result.new_links
            if result.error:
                feed = Feed.objects.select_related("source").get(pk=feed_id)
                summary.problems.append(Problem(feed.source.name, feed.url, result.error))
            bar.advance()

    link_ids = links_to_fetch(source_ids)
    with progress.stage("fetch", len(link_ids)) as bar:
        for link_id in link_ids:
            if fetch_link(link_id) == Link.State.FETCHED:
                summary.fetched += 1
            else:
                summary.problems.append(_link_problem(link_id))
            bar.advance()

    link_ids = links_to_extract()
    with progress.stage("extract", len(link_ids)) as bar:
        for link_id in link_ids:
            if extract_link(link_id) != Link.State.DONE:
                summary.problems.append(_link_problem(link_id))
            bar.advance()

    report_ids = reports_to_cluster()
    with progress.stage("cluster", len(report_ids)) as bar:
        for report_id in report_ids:
            cluster_report(report_id)
            summary.clustered += 1
            bar.advance()

    story_ids = stories_to_publish()
    with progress.stage("publish", len(story_ids)) as bar:
        for story_id in story_ids:
            if publish_story(story_id) is not None:
                summary.published += 1
            bar.advance()

    summary.reports = Report.objects.count() - reports_before
    summary.seconds = time.monotonic() - started
    return summary


def _link_problem(link_id: int) -> Problem:
    link = Link.objects.select_related("source").get(pk=link_id)
    return Problem(link.source.name, link.url, link.error or link.get_state_display())
