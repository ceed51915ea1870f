"""How well a report fits a story, and two stories each other.

A story holds the sums of its members' unit vectors. For a report with a body, the dot
product with those sums divided by the member count is its mean cosine to the members
(average link): one dissimilar member cannot pull a story off course as it would a single
best match.

A report with too few words for that (a headline) is compared with the story's centroid
instead, whose mean is not dragged down by the variety of short texts; two stories made only
of headlines are compared centroid to centroid, the bar rising with the smaller story's size
(two small samples of one event agree less than two large ones).

Time: a body names who, where and when, so a follow-up a day later still matches its story;
a headline says much less, and a headline story a news day away from another with the same
words is usually another story (the next recall, the next episode). So the two decay at
their own scales.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from newsdesk.stories.vectors import Vector, dot, dot_dense, norm

# Below this many distinct words a report counts as short (see the module docstring).
SHORT_REPORT_WORDS = 25
# Dense cosines run higher than lexical ones: these put their usual same-event levels
# (about 0.55 on average between full reports, 0.2 from a headline to a centroid... see the
# README) on the lexical thresholds' scale, so one threshold serves both.
DENSE_SCALE = 0.36
DENSE_SHORT_SCALE = 0.5


@dataclass
class Profile:
    """What scoring needs of a story: its vector sums, member counts and time span."""

    story_id: int
    words: Vector
    entities: Vector
    count: int
    first: datetime
    last: datetime
    dense: list[float] | None = None
    short_count: int = 0

    @property
    def word_norm(self) -> float:
        return norm(self.words)

    @property
    def short(self) -> bool:
        """Made only of short reports: compared by its centroid."""
        return self.count > 0 and self.short_count >= self.count


@dataclass(frozen=True)
class ReportVector:
    words: Vector
    entities: Vector
    size: int  # distinct words before weighting; decides short or not
    dense: list[float] | None = None
    headline: bool = False  # a title without any body

    @property
    def short(self) -> bool:
        return self.size < SHORT_REPORT_WORDS

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"w": self.words, "e": self.entities, "n": self.size}
        if self.dense:
            data["d"] = self.dense
        if self.headline:
            data["h"] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ReportVector:
        words = data.get("w") or {}
        entities = data.get("e") or {}
        size = data.get("n") or 0
        dense = data.get("d") or None
        assert isinstance(words, dict) and isinstance(entities, dict) and isinstance(size, int)
        assert dense is None or isinstance(dense, list)
        headline = bool(data.get("h"))
        return cls(words=words, entities=entities, size=size, dense=dense, headline=headline)


def _entity_weight(has_entities: bool) -> float:
    return settings.NEWSDESK_CLUSTER_ENTITY_WEIGHT if has_entities else 0.0


def time_factor(
    when: datetime | None, first: datetime, last: datetime, short: bool = False
) -> float:
    """1 inside the story's span, falling with the hours outside it (faster for headlines)."""
    if when is None or first <= when <= last:
        return 1.0
    gap = (first - when) if when < first else (when - last)
    hours = gap.total_seconds() / 3600
    if short:
        return math.exp(-hours / settings.NEWSDESK_CLUSTER_SHORT_TIME_SCALE_HOURS)
    return 1.0 / (1.0 + hours / settings.NEWSDESK_CLUSTER_TIME_SCALE_HOURS)


def _apart(a: Profile, b: Profile, short: bool) -> float:
    """The time factor between two stories' spans."""
    nearest = a.first if a.first > b.last else a.last
    return time_factor(nearest, b.first, b.last, short)


def fit(
    report: ReportVector,
    story: Profile,
    when: datetime | None,
    member: bool = False,
) -> float:
    """The report's similarity to the story; ``member``: the report is in it, leave it out."""
    count = story.count - (1 if member else 0)
    if count <= 0:
        return 0.0
    word_dot = dot(report.words, story.words)
    entity_dot = dot(report.entities, story.entities)
    if member:
        # Its own contribution: a unit vector dotted with itself.
        word_dot -= 1.0 if report.words else 0.0
        entity_dot -= 1.0 if report.entities else 0.0
    if report.short:
        length = story.word_norm if not member else _norm_without(story, report, word_dot)
        score = word_dot / length if length > 1e-9 else 0.0
    else:
        weight = _entity_weight(bool(report.entities))
        score = ((1 - weight) * word_dot + weight * entity_dot) / count
    if report.dense and story.dense:
        score = _with_dense(score, report, story, count, member)
    return max(0.0, score) * time_factor(when, story.first, story.last, report.short)


def _norm_without(story: Profile, report: ReportVector, dot_without: float) -> float:
    # |S - r|^2 = |S|^2 - 2 r.S + |r|^2, with r.S = dot_without + 1 for a unit r.
    squared = story.word_norm**2 - 2 * (dot_without + 1.0) + 1.0
    return math.sqrt(squared) if squared > 0 else 0.0


def _with_dense(
    lexical: float, report: ReportVector, story: Profile, count: int, member: bool
) -> float:
    assert report.dense is not None and story.dense is not None
    total = story.dense
    if member:
        total = [a - b for a, b in zip(total, report.dense, strict=True)]
    if report.short:
        length = sum(x * x for x in total) ** 0.5
        dense = DENSE_SHORT_SCALE * dot_dense(report.dense, total) / length if length else 0.0
    else:
        dense = DENSE_SCALE * dot_dense(report.dense, total) / count
    weight = settings.NEWSDESK_CLUSTER_DENSE_WEIGHT
    return (1 - weight) * lexical + weight * dense


def centroid_link(a: Profile, b: Profile) -> float:
    """Cosine between two stories' word centroids: how stories of headlines compare."""
    lengths = a.word_norm * b.word_norm
    if not lengths:
        return 0.0
    score = dot(a.words, b.words) / lengths
    if a.dense and b.dense:
        dense_lengths = math.sqrt(dot_dense(a.dense, a.dense) * dot_dense(b.dense, b.dense))
        dense = dot_dense(a.dense, b.dense) / dense_lengths if dense_lengths else 0.0
        weight = settings.NEWSDESK_CLUSTER_DENSE_WEIGHT
        score = (1 - weight) * score + weight * DENSE_SHORT_SCALE * dense
    return score * _apart(a, b, short=True)


def link(a: Profile, b: Profile) -> float:
    """Mean similarity between the members of two stories (average link)."""
    if not a.count or not b.count:
        return 0.0
    weight = settings.NEWSDESK_CLUSTER_ENTITY_WEIGHT
    words = dot(a.words, b.words)
    entities = dot(a.entities, b.entities)
    score = ((1 - weight) * words + weight * entities) / (a.count * b.count)
    if a.dense and b.dense:
        dense = DENSE_SCALE * dot_dense(a.dense, b.dense) / (a.count * b.count)
        dense_weight = settings.NEWSDESK_CLUSTER_DENSE_WEIGHT
        score = (1 - dense_weight) * score + dense_weight * dense
    return score * _apart(a, b, short=False)


def merge_score(a: Profile, b: Profile) -> tuple[float, float]:
    """How alike two stories are, and how alike they must be to merge."""
    if a.short and b.short:
        # A one-report story merges as its report would join; larger ones need more.
        smaller = min(a.count, b.count)
        join = settings.NEWSDESK_CLUSTER_SHORT_THRESHOLD
        top = settings.NEWSDESK_CLUSTER_SHORT_MERGE_THRESHOLD
        return centroid_link(a, b), join + (top - join) * (1 - 1 / max(smaller, 1))
    return link(a, b), settings.NEWSDESK_CLUSTER_MERGE_THRESHOLD


def threshold(report: ReportVector) -> float:
    if report.short:
        return settings.NEWSDESK_CLUSTER_SHORT_THRESHOLD
    return settings.NEWSDESK_CLUSTER_THRESHOLD
