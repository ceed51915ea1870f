"""Two events told as one story: find them by what sets the members apart.

Two events of one kind glue when the first report of the second joins a small story of the
first (the same team, the same navy, the same country). Against the whole archive their words
and names are rare, so what they share outweighs what differs, and later reports of either
event fit the mixed story well. Inside the story, though, what every member says is the topic
and tells nothing. Weighing each term by the share of members that lack it leaves what sets
them apart: a story of one event then has no clean halves (its members each differ in their
own way), while two events fall into two groups alike inside and unlike each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.conf import settings

from newsdesk.stories.scoring import ReportVector
from newsdesk.stories.vectors import Vector, dot, unit

# Each half must have at least this many members: an outlier or two is not a second event.
MIN_HALF = 4
# The halves are two events when the mean similarity across them is under this share of the
# mean within them (with the story-relative weights above). Measured on ECB+, a story of one
# event rarely has a balanced split under 0.3; glued events often split under 0.2.
MAX_CROSS_RATIO = 0.25

Matrix = list[list[float]]


def second_event(members: Sequence[ReportVector]) -> list[int] | None:
    """Indices of the members that tell another event than the first one does, or None.

    ``members`` in the story's order: the first member's half stays where it is."""
    if len(members) < 2 * MIN_HALF:
        return None
    words = _relative([member.words for member in members])
    entities = _relative([member.entities for member in members])
    matrix = _similarities(words, entities)
    first, second = _average_link_halves(matrix)
    if min(len(first), len(second)) < MIN_HALF:
        return None
    within = (_mean_within(matrix, first) + _mean_within(matrix, second)) / 2
    if within <= 0 or _mean_across(matrix, first, second) >= MAX_CROSS_RATIO * within:
        return None
    # With every term at its own weight the halves must also be too far apart to merge
    # (scoring.link): else the next merge check would join them again, and halves that
    # share that much (near-copies within one event) are one event anyway.
    plain_words = [member.words for member in members]
    plain_entities = [member.entities for member in members]
    plain = [_score(plain_words, plain_entities, a, b) for a in first for b in second]
    if sum(plain) / len(plain) >= settings.NEWSDESK_CLUSTER_MERGE_THRESHOLD:
        return None
    return second


def _relative(vectors: Sequence[Vector]) -> list[Vector]:
    """Each term weighed by the share of members without it (0 for a term all of them use)."""
    present = Counter(term for vector in vectors for term in vector)
    size = len(vectors)
    return [
        unit({term: w * (1 - present[term] / size) for term, w in vector.items()}, floor=0.0)
        for vector in vectors
    ]


def _score(words: list[Vector], entities: list[Vector], a: int, b: int) -> float:
    """Two members' similarity, words and names weighed as in scoring."""
    weight = settings.NEWSDESK_CLUSTER_ENTITY_WEIGHT
    return (1 - weight) * dot(words[a], words[b]) + weight * dot(entities[a], entities[b])


def _similarities(words: list[Vector], entities: list[Vector]) -> Matrix:
    size = len(words)
    matrix = [[0.0] * size for _ in range(size)]
    for a in range(size):
        for b in range(a + 1, size):
            matrix[a][b] = matrix[b][a] = _score(words, entities, a, b)
    return matrix


def _average_link_halves(matrix: Matrix) -> tuple[list[int], list[int]]:
    """Join the two closest groups (by mean similarity) until two are left; the first
    returned holds member 0. Ties go to the lowest indices, so the result is deterministic."""
    groups: dict[int, list[int]] = {i: [i] for i in range(len(matrix))}
    # Sums of similarities between groups, keyed by their lowest member (a < b).
    sums = {(a, b): matrix[a][b] for a in groups for b in groups if a < b}

    def closeness(pair: tuple[int, int]) -> tuple[float, int, int]:
        a, b = pair
        return sums[pair] / (len(groups[a]) * len(groups[b])), -a, -b

    while len(groups) > 2:
        a, b = max(sums, key=closeness)
        groups[a] += groups.pop(b)
        del sums[(a, b)]
        for other in groups:
            if other != a:
                absorbed = sums.pop(_key(b, other))
                sums[_key(a, other)] += absorbed
    first, second = sorted(groups.values(), key=min)
    return sorted(first), sorted(second)


def _key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _mean_within(matrix: Matrix, group: list[int]) -> float:
    pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
    return sum(matrix[a][b] for a, b in pairs) / len(pairs) if pairs else 0.0


def _mean_across(matrix: Matrix, first: list[int], second: list[int]) -> float:
    return sum(matrix[a][b] for a in first for b in second) / (len(first) * len(second))
