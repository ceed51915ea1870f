"""Stage 4, dedupe: one report per canonical URL, and syndicated copies tied to their original."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from newsdesk.reports.models import Report

WORD = re.compile(r"\w+")
SHINGLE = 5
# Two texts sharing this share of their 5-word shingles are the same copy with edits.
NEAR_DUPLICATE = 0.8
WINDOW = timedelta(days=3)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def content_hash(text: str) -> str:
    """Hash of the words alone, so whitespace and punctuation changes do not hide a copy."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def shingles(text: str) -> set[int]:
    tokens = words(text)
    return {hash(tuple(tokens[i : i + SHINGLE])) for i in range(max(1, len(tokens) - SHINGLE + 1))}


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_original(
    text: str, digest: str, when: datetime, exclude_id: int | None = None
) -> Report | None:
    """The earliest report this text copies, by exact hash or near-duplicate shingles."""
    originals = Report.objects.filter(duplicate_of__isnull=True)
    if exclude_id is not None:
        originals = originals.exclude(pk=exclude_id)
    exact = originals.filter(content_hash=digest).order_by("id").first()
    if exact is not None:
        return exact
    mine = shingles(text)
    nearby = originals.filter(published_at__range=(when - WINDOW, when + WINDOW)).order_by("id")
    for candidate in nearby.only("id", "text"):
        if jaccard(mine, shingles(candidate.text)) >= NEAR_DUPLICATE:
            return candidate
    return None
