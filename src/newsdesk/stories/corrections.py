"""Corrections after a placement: merge stories that tell one event, move misplaced reports.

An online clusterer decides with what it has seen so far; as a story grows, two stories can
turn out to be one event, or an early member can fit a neighbour better. Both are checked
against the neighbours the index already found for the report, whose profiles are already
loaded, so a correction costs no extra lookup unless it changes something.
"""

from __future__ import annotations

from itertools import accumulate

from newsdesk.reports.models import Report
from newsdesk.stories import index, two_events
from newsdesk.stories.membership import live_story_id, merge_stories, move_report, split_off
from newsdesk.stories.scoring import Profile, ReportVector, fit, merge_score, threshold

__all__ = ["correct", "live_story_id", "merge_stories", "move_report"]

# Members re-examined after each placement, newest first: enough to undo early mistakes.
MEMBERS_CHECKED = 40
NEIGHBOURS_CHECKED = 1
# A member leaves for a story of its own when its fit falls under this share of the threshold
# (well under it, so members do not flap in and out).
SPLIT_BELOW = 0.5
# Stories this close (see _closeness) are checked for members that fit the other better.
MOVE_NEAR = 0.5
# A story is checked for a second event told in it when it reaches one of these sizes: from
# the smallest that two events could fill, each a quarter bigger than the last, so the check
# costs a few per story whatever its size.
SPLIT_CHECKS = frozenset(
    accumulate(
        range(60),
        lambda size, _: max(size + 1, round(size * 1.25)),
        initial=2 * two_events.MIN_HALF,
    )
)


class _Profiles(dict[int, Profile]):
    """The stories a correction looks at, reloaded only when a change touched them."""

    def reload(self, story_ids: list[int]) -> None:
        for story_id in story_ids:
            self.pop(story_id, None)
        self.update({p.story_id: p for p in index.profiles(story_ids)})


def correct(report_id: int, placed: Profile, neighbours: list[Profile]) -> int:
    """Merge, move and split around the story just placed into; returns the live id of the
    report's story."""
    loaded = _Profiles({p.story_id: p for p in [placed, *neighbours]})
    story_id = _merge_if_same_event(placed.story_id, loaded)
    # Members only move between stories that are close: a story far from this one attracts
    # none of its members, so loading them to check would be wasted.
    near = [
        n for n in sorted(loaded) if n != story_id and _closeness(loaded, story_id, n) >= MOVE_NEAR
    ]
    _move_misfits(story_id, near, loaded)
    # The new placement may also be the better home for a neighbour's early members.
    nearest = sorted(near, key=lambda n: -_closeness(loaded, story_id, n))
    for neighbour_id in nearest[:NEIGHBOURS_CHECKED]:
        _move_misfits(neighbour_id, [story_id], loaded)
    if story_id in loaded and loaded[story_id].count in SPLIT_CHECKS:
        moved = _split_second_event(story_id)
        if report_id in moved:
            return moved[report_id]
    # A move that emptied the story retired it into another.
    return story_id if story_id in loaded else live_story_id(story_id)


def _closeness(loaded: _Profiles, a: int, b: int) -> float:
    """How close two stories are, as a share of what a merge needs (1: they merge)."""
    if a not in loaded or b not in loaded:
        return 0.0
    score, needed = merge_score(loaded[a], loaded[b])
    return score / needed if needed > 0 else 1.0


def _merge_margin(loaded: _Profiles, a: int, b: int) -> float:
    if a not in loaded or b not in loaded:
        return -1.0
    score, needed = merge_score(loaded[a], loaded[b])
    return score - needed


def _merge_if_same_event(story_id: int, loaded: _Profiles) -> int:
    own = loaded.get(story_id)
    if own is None:
        return story_id
    margins = [(_merge_margin(loaded, story_id, n), -n) for n in loaded if n != story_id]
    if not margins or max(margins)[0] < 0:
        return story_id
    other = loaded[-max(margins)[1]]
    # The bigger story survives (the older on a tie): fewer links change.
    pair = sorted([own, other], key=lambda p: (-p.count, p.story_id))
    survivor = merge_stories(pair[0].story_id, pair[1].story_id)
    loaded.reload([own.story_id, other.story_id])
    return survivor


def _move_misfits(story_id: int, neighbour_ids: list[int], loaded: _Profiles) -> None:
    own = loaded.get(story_id)
    if own is None or own.count <= 1:
        return
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
            split_off(report_id)
            loaded.reload([story_id])


def _split_second_event(story_id: int) -> dict[int, int]:
    """Move the members that tell another event into a story of their own; returns where
    each moved report went."""
    members = sorted(
        Report.objects.filter(story_id=story_id, duplicate_of__isnull=True)
        .exclude(vector={})
        .order_by("-id")
        .values_list("id", "vector")[:MEMBERS_CHECKED]
    )
    vectors = [ReportVector.from_json(data) for _, data in members]
    if sum(vector.short for vector in vectors) * 2 > len(vectors):
        return {}  # headlines say too little to tell two events apart
    second = two_events.second_event(vectors)
    if not second:
        return {}
    ids = [members[i][0] for i in second]
    new_story = split_off(*ids)
    return dict.fromkeys(ids, new_story) if new_story is not None else {}
