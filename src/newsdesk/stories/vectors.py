"""Sparse vectors as ``dict[str, float]``: unit vectors for reports, running sums for stories."""

from __future__ import annotations

import math
from collections.abc import Mapping

Vector = dict[str, float]

# A story keeps the heaviest terms of its sum only: the tail carries little and costs JSON.
STORY_TERMS = 200
# A report keeps its heaviest terms, none lighter than the floor.
REPORT_TERMS = 160
REPORT_FLOOR = 0.01


def norm(vector: Mapping[str, float]) -> float:
    return math.hypot(*vector.values())


def unit(
    weights: Mapping[str, float], floor: float = REPORT_FLOOR, limit: int = REPORT_TERMS
) -> Vector:
    length = norm(weights)
    if not length:
        return {}
    heaviest = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:limit]
    kept = {term: value / length for term, value in heaviest if value / length >= floor}
    # Renormalise after the cut so a report's self-similarity stays exactly 1.
    length = norm(kept)
    return {term: round(value / length, 5) for term, value in sorted(kept.items())}


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    # The shared terms by set intersection (in C); fsum, exact, so the result does not
    # depend on the set's order, which string hashing varies from one process to the next.
    return math.fsum([a[term] * b[term] for term in a.keys() & b.keys()])


def add_dense(total: list[float], vector: list[float], sign: float = 1.0) -> list[float]:
    """The same for dense vectors; a story without any starts from the report's."""
    if not vector:
        return list(total)
    if not total:
        total = [0.0] * len(vector)
    return [round(a + sign * b, 5) for a, b in zip(total, vector, strict=True)]


def dot_dense(a: list[float], b: list[float]) -> float:
    if not a or len(a) != len(b):
        return 0.0
    return sum(x * y for x, y in zip(a, b, strict=True))


def add(total: Mapping[str, float], vector: Mapping[str, float], sign: float = 1.0) -> Vector:
    """``total + sign * vector``, dropping what cancels out and keeping the heaviest terms."""
    result = dict(total)
    for term, value in vector.items():
        result[term] = result.get(term, 0.0) + sign * value
    kept = [(term, value) for term, value in result.items() if value > 1e-4]
    if len(kept) > STORY_TERMS:
        kept = sorted(kept, key=lambda item: (-item[1], item[0]))[:STORY_TERMS]
    return {term: round(value, 5) for term, value in sorted(kept)}
