"""The write step: a story's reports to a stored article revision (the expensive part).

``write_story`` chooses the writer (a model when configured, the extractive writer otherwise
or as the fallback), runs the faithfulness gate, and keeps the result as an ArticleRevision
keyed on the story revision it was written from. Re-running it for the same story revision
writes nothing new. Making a revision the live article is ``live.publish_revision``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsdesk.publishing.models import Article, ArticleRevision
from newsdesk.reports.models import Report
from newsdesk.stories.models import Story
from newsdesk.tasks.chaos import pause_point
from newsdesk.writing.compose import compose_article
from newsdesk.writing.draft import SourceReport, draft_to_json

log = logging.getLogger(__name__)


def independent_outlets(reports: list[Report]) -> int:
    """Outlets that reported on their own: a syndicated copy adds no outlet."""
    return len({report.source_id for report in reports if report.duplicate_of_id is None})


def is_publishable(reports: list[Report]) -> bool:
    return (
        len(reports) >= settings.NEWSDESK_PUBLISH_MIN_REPORTS
        and independent_outlets(reports) >= settings.NEWSDESK_PUBLISH_MIN_OUTLETS
    )


def news_reports(story_id: int) -> list[Report]:
    """The story's news reports (no opinion), oldest first."""
    return list(
        Report.objects.filter(story_id=story_id, kind=Report.Kind.NEWS)
        .select_related("source")
        .order_by("published_at", "id")
    )


def source_reports(reports: list[Report]) -> list[SourceReport]:
    return [
        SourceReport(
            id=report.pk,
            outlet=report.source.name,
            title=report.title,
            text=report.text,
            published_at=report.when,
            language=report.language or "en",
            duplicate_of=report.duplicate_of_id,
        )
        for report in reports
    ]


def hold(story: Story, reason: str) -> None:
    """Leave the story unpublished until it changes (the runner skips held revisions)."""
    Story.objects.filter(pk=story.pk, revision=story.revision).update(
        held_revision=story.revision, held_reason=reason[:300]
    )


def write_story(story_id: int) -> int | None:
    """Write the article of the story's current revision; return the ArticleRevision's id.

    None when there is nothing to write: the story was merged away, is below the publishing
    threshold, has no publishable sentence (it is then held), or its live article predates
    revisions and is already current. Idempotent: a revision already written is returned.
    """
    story = Story.objects.get(pk=story_id)
    if story.merged_into_id is not None:
        return None
    existing = ArticleRevision.objects.filter(story=story, story_revision=story.revision)
    found = existing.values_list("id", flat=True).first()
    if found is not None:
        return found
    reports = news_reports(story.pk)
    if not reports or not is_publishable(reports):
        hold(story, "below the publishing threshold")
        return None
    live = Article.objects.filter(story=story).only("story_revision").first()
    if live is not None and live.story_revision >= story.revision:
        return None
    try:
        written = compose_article(source_reports(reports), settings.NEWSDESK_SITE_LANGUAGE)
    except ValueError as exc:
        hold(story, str(exc))
        log.warning("story %s not written: %s", story.pk, exc)
        return None
    now = timezone.now()
    every_report = list(
        Report.objects.filter(story=story)
        .order_by("published_at", "id")
        .values_list("id", flat=True)
    )
    try:
        with transaction.atomic():
            revision, created = ArticleRevision.objects.get_or_create(
                story=story,
                story_revision=story.revision,
                defaults={
                    "created_at": now,
                    "news_time": min(now, max(report.when for report in reports)),
                    "writer": written.writer[:100],
                    "language": written.draft.language,
                    "untranslated": written.untranslated,
                    "headline": written.draft.headline[:200],
                    "summary": written.draft.summary,
                    "body": draft_to_json(written.draft),
                    "report_ids": every_report,
                    "outlet_count": independent_outlets(reports),
                    "gate": written.gate,
                    "fallback_reason": written.fallback_reason,
                    "translated_from": written.translated_from,
                },
            )
            pause_point("write")  # tests: a worker killed here leaves no revision
    except IntegrityError:
        # Another worker wrote the same revision meanwhile: theirs stands.
        revision = ArticleRevision.objects.get(story=story, story_revision=story.revision)
        created = False
    if created:
        log.info("wrote story %s revision %s with %s", story.pk, story.revision, written.writer)
    return revision.pk
