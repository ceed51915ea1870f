"""Scores of a clustering against an answer key: B-cubed precision, recall and F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    f1: float


def b_cubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> BCubed:
    """B-cubed over the gold items; an item the system never placed counts as its own cluster."""
    items = list(gold)
    if not items:
        return BCubed(0.0, 0.0, 0.0)
    predicted_of = {item: predicted.get(item, ("unplaced", item)) for item in items}
    pairs = Counter((predicted_of[item], gold[item]) for item in items)
    cluster_sizes = Counter(predicted_of.values())
    class_sizes = Counter(gold.values())
    precision = sum(
        pairs[(predicted_of[i], gold[i])] / cluster_sizes[predicted_of[i]] for i in items
    )
    recall = sum(pairs[(predicted_of[i], gold[i])] / class_sizes[gold[i]] for i in items)
    p, r = precision / len(items), recall / len(items)
    return BCubed(p, r, 2 * p * r / (p + r) if p + r else 0.0)
