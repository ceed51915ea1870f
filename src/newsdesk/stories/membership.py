"""Changing which story a report belongs to: merging two stories, moving reports out.

Each change runs in one transaction with both stories locked (in id order, so workers never
deadlock), keeps the stories' vector sums, counts, keys and the term statistics in step, and
is safe to repeat. A story left without reports becomes a tombstone pointing at where they
went (its article URL then redirects there).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from newsdesk.reports.models import Report
from newsdesk.stories import index, termstats
from newsdesk.stories.models import Story
from newsdesk.stories.scoring import ReportVector
from newsdesk.stories.vectors import add, add_dense

_MAX_CHAIN = 100


def live_story_id(story_id: int) -> int:
    """Follow merges to the story that now holds the reports (loop-safe)."""
    seen = {story_id}
    current = story_id
    for _ in range(_MAX_CHAIN):
        target = Story.objects.filter(pk=current).values_list("merged_into", flat=True).first()
        if target is None or target in seen:
            return current
        seen.add(target)
        current = target
    return current


def _terms(story: Story) -> list[str]:
    return [*story.words, *story.entities]


def _lock(*story_ids: int) -> dict[int, Story]:
    rows = Story.objects.select_for_update().filter(pk__in=story_ids).order_by("id")
    return {story.pk: story for story in rows}


def _retire(story: Story, into: int) -> None:
    story.merged_into_id = into
    story.words = {}
    story.entities = {}
    story.dense = []
    story.vector_count = story.short_count = story.report_count = 0
    story.revision += 1
    story.save()


def merge_stories(survivor_id: int, absorbed_id: int) -> int:
    """Move every report of ``absorbed_id`` into ``survivor_id``; returns the survivor."""
    with transaction.atomic():
        locked = _lock(survivor_id, absorbed_id)
        survivor, absorbed = locked.get(survivor_id), locked.get(absorbed_id)
        if survivor is None or absorbed is None or absorbed.merged_into_id is not None:
            return survivor_id  # already merged by an earlier run
        before, gone = _terms(survivor), _terms(absorbed)
        Report.objects.filter(story_id=absorbed_id).update(story_id=survivor_id)
        survivor.words = add(survivor.words, absorbed.words)
        survivor.entities = add(survivor.entities, absorbed.entities)
        survivor.dense = add_dense(survivor.dense, absorbed.dense)
        survivor.vector_count += absorbed.vector_count
        survivor.short_count += absorbed.short_count
        survivor.report_count += absorbed.report_count
        survivor.event_time = min(survivor.event_time, absorbed.event_time)
        survivor.latest_time = max(
            survivor.latest_time or survivor.event_time, absorbed.latest_time or absorbed.event_time
        )
        survivor.last_updated_at = timezone.now()
        survivor.revision += 1
        survivor.save()
        index.move_keys(absorbed_id, survivor_id)
        _retire(absorbed, survivor_id)
        change = termstats.story_change(before, _terms(survivor))
        for term in gone:
            change[term] = change.get(term, 0) - 1
        change[termstats.TOTAL] = -1
        termstats.record(survivor.language, stories=change)
    return survivor_id


def move_report(report_id: int, target_id: int) -> None:
    """Move one report (and its wire copies) to the story it fits better."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        source_id = report.story_id
        if source_id is None or source_id == target_id:
            return
        locked = _lock(source_id, target_id)
        source, target = locked[source_id], locked[target_id]
        if target.merged_into_id is not None:
            return
        vector = ReportVector.from_json(report.vector)
        copies = Report.objects.filter(duplicate_of_id=report_id, story_id=source_id)
        moved = 1 + copies.update(story_id=target_id)
        Report.objects.filter(pk=report_id).update(story_id=target_id)
        when = report.when
        source_before, target_before = _terms(source), _terms(target)
        source.words = add(source.words, vector.words, -1.0)
        source.entities = add(source.entities, vector.entities, -1.0)
        source.dense = add_dense(source.dense, vector.dense or [], -1.0)
        source.vector_count = max(0, source.vector_count - 1)
        source.short_count = max(0, source.short_count - (1 if vector.short else 0))
        source.report_count = max(0, source.report_count - moved)
        target.words = add(target.words, vector.words)
        target.entities = add(target.entities, vector.entities)
        target.dense = add_dense(target.dense, vector.dense or [])
        target.vector_count += 1
        target.short_count += 1 if vector.short else 0
        target.report_count += moved
        target.event_time = min(target.event_time, when)
        target.latest_time = max(target.latest_time or target.event_time, when)
        target.last_updated_at = timezone.now()
        target.revision += 1
        target.save()
        index.add_keys(target_id, target.language, index.report_keys(vector), when)
        change = termstats.story_change(target_before, _terms(target))
        if source.report_count == 0:
            _retire(source, target_id)
            change[termstats.TOTAL] = -1
        else:
            source.revision += 1
            source.save()
        for term, delta in termstats.story_change(source_before, _terms(source)).items():
            change[term] = change.get(term, 0) + delta
        termstats.record(target.language, stories=change)


def split_off(report_id: int, *others: int) -> int | None:
    """Move a report into a story of its own (it fits no story it was compared with), with
    ``others`` from the same story (another event told in it). Returns the new story's id,
    None when the report is in no story (nothing to split). One transaction: all or none."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.story_id is None:
            return None
        source_id = report.story_id
        now = timezone.now()
        when = report.when
        story = Story.objects.create(
            first_seen_at=now,
            last_updated_at=now,
            event_time=when,
            latest_time=when,
            language=report.language or "en",
        )
        termstats.record(story.language, stories={termstats.TOTAL: 1})
        move_report(report_id, story.pk)
        # A member moved since the caller looked stays where it is now.
        for other in Report.objects.filter(pk__in=others, story_id=source_id).order_by("id"):
            move_report(other.pk, story.pk)
    return story.pk
