"""Stage 5, cluster: a new report joins the story of the same event, or starts a new one."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsdesk.reports.models import Report
from newsdesk.stories.features import add_terms, cosine, report_terms
from newsdesk.stories.models import Story


def _window() -> timedelta:
    return timedelta(hours=settings.NEWSDESK_CLUSTER_WINDOW_HOURS)


def _idf(when: datetime, language: str) -> tuple[dict[str, float], float]:
    """Inverse document frequencies over the reports of the same period and language."""
    rows = (
        Report.objects.filter(
            published_at__range=(when - _window(), when + _window()),
            language=language,
            duplicate_of__isnull=True,
        )
        .exclude(terms={})
        .values_list("terms", flat=True)
    )
    df: Counter[str] = Counter()
    n = 0
    for terms in rows:
        n += 1
        df.update(terms.keys())
    idf = {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}
    return idf, math.log(n + 1) + 1.0


def best_story(
    terms: dict[str, float], when: datetime, language: str
) -> tuple[Story | None, float]:
    window = _window()
    candidates = Story.objects.filter(
        event_time__range=(when - window, when + window), language=language
    ).order_by("id")
    idf, default_idf = _idf(when, language)
    best: tuple[Story | None, float] = (None, 0.0)
    for story in candidates:
        score = cosine(terms, story.terms, idf, default_idf)
        # Reports published far apart are less likely to tell one event.
        gap = abs((when - story.event_time).total_seconds()) / window.total_seconds()
        score *= 1.0 - 0.3 * min(1.0, gap)
        if score > best[1]:
            best = (story, score)
    return best


def cluster_report(report_id: int) -> int | None:
    """Place one report; returns its story id (None for opinion). Idempotent."""
    report = Report.objects.select_related("duplicate_of").get(pk=report_id)
    if report.clustered_at is not None:
        return report.story_id
    if not report.terms:
        report.terms = report_terms(report.title, report.text)
        Report.objects.filter(pk=report.pk).update(terms=report.terms)
    if report.kind == Report.Kind.OPINION:
        # Opinion is not an event: it is kept, but never merged into news stories.
        Report.objects.filter(pk=report.pk, clustered_at__isnull=True).update(
            clustered_at=timezone.now()
        )
        return None
    when = report.when
    story: Story | None = None
    original = report.duplicate_of
    if original is not None and original.story_id is not None:
        story = Story.objects.get(pk=original.story_id)
    else:
        story, score = best_story(report.terms, when, report.language)
        if score < settings.NEWSDESK_CLUSTER_THRESHOLD:
            story = None
    with transaction.atomic():
        if story is None:
            now = timezone.now()
            story = Story.objects.create(
                first_seen_at=now, last_updated_at=now, event_time=when, language=report.language
            )
        # The conditional UPDATE claims the report: a re-run or a rival worker changes nothing.
        claimed = Report.objects.filter(pk=report.pk, clustered_at__isnull=True).update(
            story=story, clustered_at=timezone.now()
        )
        if not claimed:
            # Someone else placed it first; undo the story this call may have just created.
            transaction.set_rollback(True)
            return Report.objects.get(pk=report.pk).story_id
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if report.duplicate_of_id is None:
            locked.terms = add_terms(locked.terms, report.terms)
        locked.event_time = min(locked.event_time, when)
        locked.last_updated_at = timezone.now()
        locked.report_count = F("report_count") + 1
        locked.revision = F("revision") + 1
        locked.save(
            update_fields=["terms", "event_time", "last_updated_at", "report_count", "revision"]
        )
    return story.pk
