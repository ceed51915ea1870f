"""Corrections after a placement: merge stories that tell one event, move misplaced reports.

An online clusterer decides with what it has seen so far; as a story grows, two stories can
turn out to be one event, or an early member can fit a neighbour better. Both are checked
against the neighbours the index already found, so a correction costs no extra lookup. A
story left without reports becomes a tombstone pointing at where they went (its article
URL then redirects there).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsdesk.reports.models import Report
from newsdesk.stories import index
from newsdesk.stories.models import Story
from newsdesk.stories.scoring import (
    Profile,
    ReportVector,
    centroid_link,
    fit,
    link,
    threshold,
)
from newsdesk.stories.vectors import add, add_dense

# Members re-examined after each placement, newest first: enough to undo early mistakes.
MEMBERS_CHECKED = 40
NEIGHBOURS_CHECKED = 1
# A member leaves for a story of its own when its fit falls under this share of the threshold
# (well under it, so members do not flap in and out).
SPLIT_BELOW = 0.5
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


class _Profiles(dict[int, Profile]):
    """The stories a correction looks at, loaded once and reloaded only when changed."""

    def reload(self, story_ids: list[int]) -> None:
        for story_id in story_ids:
            self.pop(story_id, None)
        self.update({p.story_id: p for p in index.profiles(story_ids)})


def correct(story_id: int, neighbour_ids: list[int], headline: bool = False) -> int:
    """Merge and move around ``story_id``; returns the live id of that story.

    ``headline``: the report just placed has no body, so stories are compared the way
    headlines are, by their centroids."""
    loaded = _Profiles()
    loaded.reload([story_id, *neighbour_ids])
    story_id = _merge_if_same_event(story_id, loaded, headline)
    others = [n for n in neighbour_ids if n in loaded and n != story_id]
    _move_misfits(story_id, others, loaded)
    # The new placement may also be the better home for a neighbour's early members.
    nearest = sorted(others, key=lambda n: -_link_or_zero(loaded, story_id, n))
    for neighbour_id in nearest[:NEIGHBOURS_CHECKED]:
        _move_misfits(neighbour_id, [story_id], loaded)
    return live_story_id(story_id)


def _link_or_zero(loaded: _Profiles, a: int, b: int) -> float:
    return link(loaded[a], loaded[b]) if a in loaded and b in loaded else 0.0


def _headlines_only(story_ids: list[int]) -> set[int]:
    """Those of ``story_ids`` whose reports are all headlines without a body."""
    with_body = set(
        Report.objects.filter(story_id__in=story_ids)
        .exclude(text="")
        .values_list("story_id", flat=True)
        .distinct()
    )
    return set(story_ids) - with_body


def _merge_if_same_event(story_id: int, loaded: _Profiles, headline: bool) -> int:
    own = loaded.get(story_id)
    if own is None:
        return story_id
    others = [n for n in sorted(loaded) if n != story_id]
    # Stories of headlines alone are compared by centroid, as a headline is with a story.
    by_centroid = _headlines_only([story_id, *others]) if headline else set()
    best: tuple[Profile | None, float, float] = (None, 0.0, 0.0)
    for neighbour_id in others:
        if story_id in by_centroid and neighbour_id in by_centroid:
            score = centroid_link(own, loaded[neighbour_id])
            needed = settings.NEWSDESK_CLUSTER_SHORT_MERGE_THRESHOLD
        else:
            score = link(own, loaded[neighbour_id])
            needed = settings.NEWSDESK_CLUSTER_MERGE_THRESHOLD
        if score - needed > best[1] - best[2] or best[0] is None:
            best = (loaded[neighbour_id], score, needed)
    other, score, needed = best
    if other is None or score < needed:
        return story_id
    # The bigger story survives (the older on a tie): fewer links change.
    pair = sorted([own, other], key=lambda p: (-p.count, p.story_id))
    survivor = merge_stories(pair[0].story_id, pair[1].story_id)
    loaded.reload([own.story_id, other.story_id])
    return survivor


def _move_misfits(story_id: int, neighbour_ids: list[int], loaded: _Profiles) -> None:
    members = (
        Report.objects.filter(story_id=story_id, duplicate_of__isnull=True)
        .exclude(vector={})
        .order_by("-id")
        .values_list("id", "vector", "published_at", "fetched_at")[:MEMBERS_CHECKED]
    )
    for report_id, data, published_at, fetched_at in sorted(members):
        own = loaded.get(story_id)
        if own is None or own.count <= 1:
            return
        when = published_at or fetched_at
        vector = ReportVector.from_json(data)
        stay = fit(vector, own, when, member=True)
        best: tuple[Profile | None, float] = (None, 0.0)
        for neighbour_id in neighbour_ids:
            neighbour = loaded.get(neighbour_id)
            score = fit(vector, neighbour, when) if neighbour is not None else 0.0
            if score > best[1]:
                best = (neighbour, score)
        target, score = best
        if target is not None and score >= threshold(vector) and score > stay:
            move_report(report_id, target.story_id)
            loaded.reload([story_id, target.story_id])
        elif stay < threshold(vector) * SPLIT_BELOW:
            # It fits neither its story nor a neighbour: it is an event of its own.
            move_report(report_id, _new_story_like(story_id, when))
            loaded.reload([story_id])


def _new_story_like(story_id: int, when: datetime) -> int:
    language = Story.objects.filter(pk=story_id).values_list("language", flat=True).get()
    return new_story(language, when)


def new_story(language: str, when: datetime) -> int:
    """An empty story starting at ``when``; its first report is added by the caller."""
    now = timezone.now()
    return Story.objects.create(
        first_seen_at=now,
        last_updated_at=now,
        event_time=when,
        latest_time=when,
        language=language,
    ).pk


def _retire(story: Story, into: int) -> None:
    story.merged_into_id = into
    story.words = {}
    story.entities = {}
    story.dense = []
    story.vector_count = 0
    story.report_count = 0
    story.revision = F("revision") + 1
    story.save(
        update_fields=[
            "merged_into",
            "words",
            "entities",
            "dense",
            "vector_count",
            "report_count",
            "revision",
        ]
    )


def merge_stories(survivor_id: int, absorbed_id: int) -> int:
    """Move every report of ``absorbed_id`` into ``survivor_id``; returns the survivor."""
    with transaction.atomic():
        locked = {
            s.pk: s
            for s in Story.objects.select_for_update()
            .filter(pk__in=[survivor_id, absorbed_id])
            .order_by("id")
        }
        survivor, absorbed = locked.get(survivor_id), locked.get(absorbed_id)
        if survivor is None or absorbed is None or absorbed.merged_into_id is not None:
            return survivor_id  # already merged by an earlier run
        moved = Report.objects.filter(story_id=absorbed_id).update(story_id=survivor_id)
        survivor.words = add(survivor.words, absorbed.words)
        survivor.entities = add(survivor.entities, absorbed.entities)
        survivor.dense = add_dense(survivor.dense, absorbed.dense)
        survivor.vector_count += absorbed.vector_count
        survivor.report_count = Report.objects.filter(story_id=survivor_id).count()
        survivor.event_time = min(survivor.event_time, absorbed.event_time)
        survivor.latest_time = max(
            survivor.latest_time or survivor.event_time, absorbed.latest_time or absorbed.event_time
        )
        survivor.revision = F("revision") + 1
        survivor.save()
        index.move_keys(absorbed_id, survivor_id)
        _retire(absorbed, survivor_id)
        del moved
    return survivor_id


def move_report(report_id: int, target_id: int) -> None:
    """Move one report (and its wire copies) to the story it fits better."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        source_id = report.story_id
        if source_id is None or source_id == target_id:
            return
        locked = {
            s.pk: s
            for s in Story.objects.select_for_update()
            .filter(pk__in=[source_id, target_id])
            .order_by("id")
        }
        source, target = locked[source_id], locked[target_id]
        if target.merged_into_id is not None:
            return
        vector = ReportVector.from_json(report.vector)
        Report.objects.filter(pk=report_id).update(story_id=target_id)
        Report.objects.filter(duplicate_of_id=report_id, story_id=source_id).update(
            story_id=target_id
        )
        when = report.when
        source.words = add(source.words, vector.words, -1.0)
        source.entities = add(source.entities, vector.entities, -1.0)
        source.dense = add_dense(source.dense, vector.dense or [], -1.0)
        source.vector_count = max(0, source.vector_count - 1)
        source.report_count = Report.objects.filter(story_id=source_id).count()
        target.words = add(target.words, vector.words)
        target.entities = add(target.entities, vector.entities)
        target.dense = add_dense(target.dense, vector.dense or [])
        target.vector_count += 1
        target.report_count = Report.objects.filter(story_id=target_id).count()
        target.event_time = min(target.event_time, when)
        target.latest_time = max(target.latest_time or target.event_time, when)
        target.revision = F("revision") + 1
        target.save()
        index.add_keys(target_id, target.language, index.report_keys(vector), when)
        if source.report_count == 0:
            _retire(source, target_id)
        else:
            source.revision = F("revision") + 1
            source.save()
