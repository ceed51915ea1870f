"""How well a report fits a story, and two stories each other: average similarity.

A story holds the sums of its members' unit vectors, so a report's dot product with those
sums divided by the member count is its mean cosine to the members (average link): one
dissimilar member cannot pull a story off course as it would a single best match.

A report with too few words for that (a headline without a body) is compared with the
story's centroid instead, whose mean is not dragged down by the variety of short texts.
"""

from __future__ import annotations

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
    """What scoring needs of a story: its vector sums, member count and time span."""

    story_id: int
    words: Vector
    entities: Vector
    count: int
    first: datetime
    last: datetime
    dense: list[float] | None = None

    @property
    def word_norm(self) -> float:
        return norm(self.words)


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


def time_factor(when: datetime | None, first: datetime, last: datetime) -> float:
    """1 inside the story's span, falling with the hours outside it."""
    if when is None:
        return 1.0
    if first <= when <= last:
        return 1.0
    gap = (first - when) if when < first else (when - last)
    hours = gap.total_seconds() / 3600
    return 1.0 / (1.0 + hours / settings.NEWSDESK_CLUSTER_TIME_SCALE_HOURS)


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
    weight = _entity_weight(bool(report.entities))
    if report.short:
        length = story.word_norm if not member else _norm_without(story.words, report.words)
        words = word_dot / length if length else 0.0
        score = words
    else:
        score = ((1 - weight) * word_dot + weight * entity_dot) / count
    if report.dense and story.dense:
        score = _with_dense(score, report, story, count, member)
    return max(0.0, score) * time_factor(when, story.first, story.last)


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


def _norm_without(total: Vector, vector: Vector) -> float:
    return norm({term: value - vector.get(term, 0.0) for term, value in total.items()})


def centroid_link(a: Profile, b: Profile) -> float:
    """Cosine between two stories' word centroids: how stories of headlines compare."""
    lengths = a.word_norm * b.word_norm
    if not lengths:
        return 0.0
    nearest = a.first if a.first > b.last else a.last
    return dot(a.words, b.words) / lengths * time_factor(nearest, b.first, b.last)


def link(a: Profile, b: Profile) -> float:
    """Mean similarity between the members of two stories (average link)."""
    if not a.count or not b.count:
        return 0.0
    weight = settings.NEWSDESK_CLUSTER_ENTITY_WEIGHT
    words = dot(a.words, b.words)
    entities = dot(a.entities, b.entities)
    # Spans apart in time lower the link as a report outside a span would be.
    nearest = a.first if a.first > b.last else a.last
    factor = time_factor(nearest, b.first, b.last)
    score = ((1 - weight) * words + weight * entities) / (a.count * b.count)
    if a.dense and b.dense:
        dense = DENSE_SCALE * dot_dense(a.dense, b.dense) / (a.count * b.count)
        dense_weight = settings.NEWSDESK_CLUSTER_DENSE_WEIGHT
        score = (1 - dense_weight) * score + dense_weight * dense
    return score * factor


def threshold(report: ReportVector) -> float:
    if report.short:
        return settings.NEWSDESK_CLUSTER_SHORT_THRESHOLD
    return settings.NEWSDESK_CLUSTER_THRESHOLD
