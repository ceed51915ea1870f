"""Each pipeline stage as one idempotent step on one ID: the code a queue task runs.

The same functions run inside a Celery worker (``queue_tasks``) and inline in embedded mode
(``dispatch``). Each claims its work with the stage's own conditional UPDATE (or a lease, or the
clustering lock), does it, and returns what it found; ``wiring`` decides what follows. A step
run twice, or after a crash at any point, finds its work done and changes nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsdesk.pipeline.runner import reports_to_cluster
from newsdesk.publishing.images import refresh_images
from newsdesk.publishing.live import publish_revision
from newsdesk.publishing.models import Article
from newsdesk.publishing.redirects import retire_article
from newsdesk.publishing.write import write_story
from newsdesk.reports.extract import extract_link
from newsdesk.reports.fetch import record_fetch
from newsdesk.reports.images import download_images, record_image
from newsdesk.reports.models import Link, Report, ReportImage
from newsdesk.sources.discover import discover_feed
from newsdesk.sources.http import FetchError, Outcome, fetch
from newsdesk.stories.cluster import cluster_report
from newsdesk.stories.models import Story
from newsdesk.tasks import config
from newsdesk.tasks.chaos import pause_point
from newsdesk.tasks.leases import advisory_lock, lease
from newsdesk.trends.models import ArticleViews
from newsdesk.trends.trends import LOOKBACK


@dataclass(frozen=True)
class Later:
    """Not now: run this step again after `seconds` (a lock is busy, a story still changing)."""

    seconds: float


@dataclass(frozen=True)
class Placed:
    """What a cluster step did: reports placed, and the first one left for a next step."""

    placed: int
    left: int | None = None


@dataclass(frozen=True)
class Written:
    revision_id: int | None
    # The story changed while it was being written: its newest revision still needs writing.
    stale: bool = False


def discover(feed_id: int) -> list[int]:
    """Poll one feed; the links it discovered (pending, to fetch)."""
    started = timezone.now()
    discover_feed(feed_id)
    found = Link.objects.filter(
        feed_id=feed_id, state=Link.State.PENDING, discovered_at__gte=started
    )
    return list(found.order_by("id").values_list("id", flat=True))


def fetch_page(link_id: int) -> Link.State:
    """Download one pending link and store the page (the claim is record_fetch's UPDATE)."""
    link = Link.objects.only("url", "state").get(pk=link_id)
    if link.state != Link.State.PENDING:
        return Link.State(link.state)
    try:
        outcome: Outcome = fetch(link.url)
    except FetchError as exc:
        outcome = exc
    with transaction.atomic():
        state = record_fetch(link_id, outcome)
        pause_point("fetch")
    return state


def extract(link_id: int) -> Link.State:
    """Extract one fetched link into a report, in one transaction (a crash leaves it fetched)."""
    with transaction.atomic():
        state = extract_link(link_id)
        pause_point("extract")
    return state


def images(report_id: int) -> int:
    """Download the report's due images; refresh its article if one is live. Images stored."""
    due = ReportImage.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()),
        report_id=report_id,
        state=ReportImage.State.PENDING,
    )
    by_url: dict[str, list[int]] = {}
    for image_id, url in due.order_by("id").values_list("id", "url"):
        by_url.setdefault(url, []).append(image_id)
    stored = 0
    for group, outcome in download_images([tuple(ids) for ids in by_url.values()]):
        if record_image(group, outcome).state == ReportImage.State.DONE:
            stored += 1
    if stored:
        for article_id in Article.objects.filter(story__reports=report_id).values_list(
            "id", flat=True
        ):
            refresh_images(article_id)
    return stored


def extracting() -> bool:
    """Whether pages are still being fetched or extracted (due pending links, fetched ones)."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    return (
        Link.objects.filter(state=Link.State.FETCHED).exists()
        or Link.objects.filter(due, state=Link.State.PENDING, source__active=True).exists()
    )


def _images_due(story_id: int) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    return ReportImage.objects.filter(
        due, report__story_id=story_id, state=ReportImage.State.PENDING
    ).exists()


def cluster(report_id: int, *, patient: bool = True) -> Placed | Later:
    """Place every report waiting (the given one among them), one at a time under one lock.

    Online clustering compares a report with the stories placed before it, so placements are
    serialised (a PostgreSQL advisory lock): the simplest correct choice. The lock's holder
    places the waiting reports in the embedded runner's order (originals by publication time,
    then copies), and a patient step waits first for the extractions under way (at most
    CLUSTER_MAX_WAIT_SECONDS): reports placed together make the embedded pass's stories, and
    do not depend on which worker got which message. One cluster message is queued at a time
    (``dispatch.marker``): a step that finds the lock taken comes back shortly.
    """
    waiting = Report.objects.filter(clustered_at__isnull=True)
    oldest = waiting.order_by("fetched_at").values_list("fetched_at", flat=True).first()
    if oldest is None:
        return Placed(0)
    waited = (timezone.now() - oldest).total_seconds()
    if patient and waited < config.CLUSTER_MAX_WAIT_SECONDS and extracting():
        return Later(1.0)
    with advisory_lock("cluster", wait=False) as got:
        if not got:
            return Later(1.0)
        deadline = time.monotonic() + config.CLUSTER_BATCH_SECONDS
        placed = 0
        for next_id in reports_to_cluster():
            if time.monotonic() > deadline:
                return Placed(placed, left=next_id)
            with transaction.atomic():
                cluster_report(next_id)
                pause_point("cluster")
            placed += 1
    return Placed(placed)


def write(story_id: int, *, patient: bool = True) -> Written | Later:
    """Write the story's current revision (one worker per story, by lease); a merged story's
    article is retired instead."""
    story = Story.objects.only("revision", "merged_into", "last_updated_at").get(pk=story_id)
    if story.merged_into_id is not None:
        retire_article(story)
        return Written(None)
    if patient:
        quiet = (timezone.now() - story.last_updated_at).total_seconds()
        if quiet < config.WRITE_SETTLE_SECONDS:
            return Later(config.WRITE_SETTLE_SECONDS - quiet)
        unplaced = Report.objects.filter(clustered_at__isnull=True).exists()
        if quiet < config.WRITE_MAX_WAIT_SECONDS and (
            unplaced or extracting() or _images_due(story_id)
        ):
            # More of its reports may be on their way, or their images: one article that
            # shows them, not one per report.
            return Later(3.0)
    with lease(f"write:{story_id}", config.TIME_LIMITS["write"][1]) as got:
        if not got:
            # Another worker is writing it; it looks again when done, after the lease is free.
            return Written(None)
        revision_id = write_story(story_id)
    now = Story.objects.filter(pk=story_id).values_list("revision", flat=True).first()
    return Written(revision_id, stale=now is not None and now != story.revision)


def publish(revision_id: int) -> int | None:
    return publish_revision(revision_id)


def trends(_: int = 0) -> int:
    """Housekeeping: views older than the trends look back nothing; rows deleted."""
    deleted, _rows = ArticleViews.objects.filter(hour__lt=timezone.now() - LOOKBACK).delete()
    return deleted
