"""The scoring functions on hand-made vectors: average link, short reports, dense, time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytest_django.fixtures import Settings

from newsdesk.stories.scoring import Profile, ReportVector, fit, link, time_factor

T0 = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)


def story(*members: ReportVector, first: datetime = T0) -> Profile:
    words: dict[str, float] = {}
    entities: dict[str, float] = {}
    dense: list[float] = []
    for member in members:
        for term, value in member.words.items():
            words[term] = words.get(term, 0.0) + value
        for term, value in member.entities.items():
            entities[term] = entities.get(term, 0.0) + value
        if member.dense:
            dense = [
                a + b for a, b in zip(dense or [0.0] * len(member.dense), member.dense, strict=True)
            ]
    short = sum(member.short for member in members)
    return Profile(1, words, entities, len(members), first, first, dense or None, short)


LONG = 40
A = ReportVector({"quake": 0.8, "arequipa": 0.6}, {"@arequipa": 1.0}, LONG)
B = ReportVector({"quake": 0.8, "hokkaido": 0.6}, {"@hokkaido": 1.0}, LONG)


def test_average_link_is_the_mean_similarity_to_the_members(settings: Settings) -> None:
    settings.NEWSDESK_CLUSTER_ENTITY_WEIGHT = 0.5
    both = story(A, B)
    # Words: (1.0 + 0.64) / 2; names: (1 + 0) / 2.
    assert fit(A, both, None) == pytest.approx(0.5 * 0.82 + 0.5 * 0.5)
    # Left out of its own story, A is compared with B alone.
    assert fit(A, both, None, member=True) == pytest.approx(0.5 * 0.64 + 0.5 * 0.0)


def test_the_same_kind_of_event_elsewhere_scores_low(settings: Settings) -> None:
    settings.NEWSDESK_CLUSTER_ENTITY_WEIGHT = 0.85
    assert fit(B, story(A), None) < settings.NEWSDESK_CLUSTER_THRESHOLD
    assert fit(A, story(A), None) > settings.NEWSDESK_CLUSTER_THRESHOLD


def test_a_headline_is_compared_with_the_centroid() -> None:
    headline = ReportVector({"quake": 1.0}, {}, 3)
    assert headline.short
    many = story(A, A, A, A)
    # The centroid of identical members is that member: cosine 0.8, whatever their number.
    assert fit(headline, many, None) == pytest.approx(0.8)


def test_dense_vectors_join_what_the_words_miss(settings: Settings) -> None:
    settings.NEWSDESK_CLUSTER_DENSE_WEIGHT = 0.5
    english = ReportVector({"quake": 1.0}, {}, LONG, dense=[1.0, 0.0])
    arabic = ReportVector({"زلزال": 1.0}, {}, LONG, dense=[1.0, 0.0])
    unrelated = ReportVector({"زلزال": 1.0}, {}, LONG, dense=[0.0, 1.0])
    assert fit(arabic, story(english), None) > fit(unrelated, story(english), None) == 0.0
    assert link(story(english), story(arabic)) > 0.0


def test_time_apart_lowers_the_fit(settings: Settings) -> None:
    settings.NEWSDESK_CLUSTER_TIME_SCALE_HOURS = 48
    assert time_factor(T0, T0, T0 + timedelta(hours=5)) == 1.0
    assert time_factor(T0 + timedelta(hours=53), T0, T0 + timedelta(hours=5)) == 0.5
    assert fit(A, story(A), T0 + timedelta(days=10)) < fit(A, story(A), T0)


def test_headline_stories_need_more_to_merge_the_larger_they_are(settings: Settings) -> None:
    from newsdesk.stories.scoring import merge_score

    settings.NEWSDESK_CLUSTER_SHORT_THRESHOLD = 0.15
    settings.NEWSDESK_CLUSTER_SHORT_MERGE_THRESHOLD = 0.25
    headline = ReportVector({"quake": 0.8, "peru": 0.6}, {}, 3)
    other = ReportVector({"quake": 0.8, "japan": 0.6}, {}, 3)
    one, many = story(headline), story(*[headline] * 9)
    score, needed = merge_score(story(other), one)
    assert score == pytest.approx(0.64) and needed == pytest.approx(0.15)  # as a join would
    _, needed_many = merge_score(story(*[other] * 9), many)
    assert needed_many == pytest.approx(0.15 + 0.1 * (1 - 1 / 9))
    # Stories with bodies merge by average link, against their own threshold.
    assert merge_score(story(A), story(B))[1] == settings.NEWSDESK_CLUSTER_MERGE_THRESHOLD
