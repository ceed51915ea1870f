"""What each stage triggers next: the one place where the pipeline's order is written down.

discover -> fetch (the links found) -> extract -> cluster, and images beside it (if the report
has any) -> write (the stories to write, once their images are in) -> publish (the revision
written). Trends are housekeeping, run by
the scheduler. Follow-ups are derived from the step's result and the database, so a step re-run
after a crash (whose first run's follow-ups may be lost) queues them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from newsdesk.reports.models import Link, Report, ReportImage
from newsdesk.stories.models import Story
from newsdesk.tasks import config
from newsdesk.tasks.stages import Later, Placed, Written, extracting


@dataclass(frozen=True)
class Work:
    stage: str
    item_id: int
    countdown: float | None = None


def follow_ups(stage: str, item_id: int, result: object) -> list[Work]:
    if isinstance(result, Later):
        return [Work(stage, item_id, result.seconds)]
    match stage:
        case "discover":
            return [Work("fetch", link_id) for link_id in _ids(result)]
        case "fetch":
            return _after_fetch(item_id, result)
        case "extract":
            return _after_extract(item_id) if result == Link.State.DONE else []
        case "images":
            # Nothing follows: a story's write waits for its images by itself (stages.write),
            # and an article already live is refreshed by the images step.
            return []
        case "cluster":
            return _after_cluster(item_id, result)
        case "write":
            return _after_write(item_id, result)
    return []


def _ids(result: object) -> list[int]:
    return [int(i) for i in result] if isinstance(result, list) else []


def _after_fetch(link_id: int, state: object) -> list[Work]:
    if state == Link.State.FETCHED:
        return [Work("extract", link_id)]
    if state == Link.State.PENDING:
        # A transient failure or a host asking us to wait: try again when it is due.
        due = Link.objects.filter(pk=link_id).values_list("next_attempt_at", flat=True).first()
        wait = (due - timezone.now()).total_seconds() if due else 0.0
        return [Work("fetch", link_id, max(wait, 0.0))]
    return []


def _after_extract(link_id: int) -> list[Work]:
    report_id = Link.objects.filter(pk=link_id).values_list("report_id", flat=True).first()
    if report_id is None:
        return []
    work = [Work("cluster", report_id)]
    if ReportImage.objects.filter(report_id=report_id, state=ReportImage.State.PENDING).exists():
        # Beside clustering, not before it: placement is serial (one worker), downloads are
        # not, so the other workers fetch images meanwhile. Writing waits for them (stages.write).
        work.append(Work("images", report_id))
    return work


STALE = Q(article__isnull=True) | Q(article__story_revision__lt=F("revision"))


def stories_to_write(story_ids: list[int] | None = None) -> list[int]:
    """Live stories whose article is missing or stale, then tombstones that still hold one."""
    live = Story.objects.filter(STALE, merged_into__isnull=True).exclude(
        held_revision=F("revision")
    )
    retired = Story.objects.filter(merged_into__isnull=False, article__isnull=False)
    if story_ids is not None:
        live, retired = live.filter(pk__in=story_ids), retired.filter(pk__in=story_ids)
    return [
        *live.order_by("event_time", "id").values_list("id", flat=True),
        *retired.order_by("event_time", "id").values_list("id", flat=True),
    ]


def _after_cluster(report_id: int, result: object) -> list[Work]:
    if not isinstance(result, Placed):
        return []
    if result.left is not None:
        return [Work("cluster", result.left)]
    if Report.objects.filter(clustered_at__isnull=True).exists() or extracting():
        # More reports are on their way to these stories: write only those that have waited
        # too long (a constant flow of links must not hold every article back).
        cutoff = timezone.now() - timedelta(seconds=config.WRITE_MAX_WAIT_SECONDS)
        overdue = Story.objects.filter(last_updated_at__lt=cutoff).values_list("id", flat=True)
        stories = stories_to_write(list(overdue))
    else:
        stories = stories_to_write()
    return [Work("write", story_id) for story_id in stories]


def _after_write(story_id: int, result: object) -> list[Work]:
    if not isinstance(result, Written):
        return []
    work = [Work("publish", result.revision_id)] if result.revision_id is not None else []
    if result.stale:
        work.append(Work("write", story_id))
    return work
