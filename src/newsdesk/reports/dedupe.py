"""Stage 4, dedupe: one report per canonical URL, and syndicated copies tied to their original.

A copy is found by its exact word hash, or through the LSH band keys of its MinHash
signature (``NearDuplicateKey`` rows, an indexed lookup: never a scan of the reports), then
confirmed on the exact shingle sets of the few candidates. Only originals carry keys. Reports
stored before the keys existed are only found by their exact hash: their keys are not computed
after the fact (``store_keys(report.pk, fingerprint(report.text).keys)`` would add them).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from newsdesk.reports.minhash import (
    band_keys,
    containment,
    jaccard,
    shingle_hashes,
    signature,
    tokens,
)
from newsdesk.reports.models import NearDuplicateKey, Report

# A copy with light edits (another first line, a dateline, a trimmed last paragraph) keeps
# well over half of its 4-word shingles; two outlets telling the same facts in their own words
# share a few percent (at most 0.04 on the demo corpus, shared quotes included).
NEAR_DUPLICATE = 0.5
# A shortened copy is contained in its original even when their Jaccard is lower.
CONTAINED = 0.8
MIN_CONTAINED_SHINGLES = 30
WINDOW = timedelta(days=3)
# Candidates confirmed on their text, most shared bands first; more would only cost time.
MAX_CANDIDATES = 8
# A bound on the key rows read for one text, whatever template text many pages share.
MAX_KEY_ROWS = 2000


@dataclass(frozen=True)
class Fingerprint:
    """What dedupe needs of a text, computed once: its word hash, shingles and band keys."""

    digest: str
    shingles: frozenset[int]
    keys: tuple[int, ...]


def content_hash(text: str) -> str:
    """Hash of the words alone, so whitespace and punctuation changes do not hide a copy."""
    return _digest(tokens(text))


def _digest(text_words: list[str]) -> str:
    return hashlib.sha256(" ".join(text_words).encode()).hexdigest()


def fingerprint(text: str) -> Fingerprint:
    text_words = tokens(text)
    shingles = shingle_hashes(text_words)
    return Fingerprint(
        _digest(text_words), frozenset(shingles), tuple(band_keys(signature(shingles)))
    )


def is_copy(a: AbstractSet[int], b: AbstractSet[int]) -> bool:
    if jaccard(a, b) >= NEAR_DUPLICATE:
        return True
    return min(len(a), len(b)) >= MIN_CONTAINED_SHINGLES and containment(a, b) >= CONTAINED


def find_original(
    text: str,
    digest: str,
    when: datetime,
    exclude_id: int | None = None,
    precomputed: Fingerprint | None = None,
) -> Report | None:
    """The earliest report this text copies, by exact hash or by near-duplicate band keys."""
    originals = Report.objects.filter(duplicate_of__isnull=True)
    if exclude_id is not None:
        originals = originals.exclude(pk=exclude_id)
    exact = originals.filter(content_hash=digest).order_by("id").first()
    if exact is not None:
        return exact
    mine = precomputed or fingerprint(text)
    if not mine.keys:
        return None
    # Two plain indexed lookups rather than one join: given the join, SQLite walks every
    # original report first. Keys are stored for originals only, so few rows share a key.
    rows = NearDuplicateKey.objects.filter(key__in=mine.keys).values_list("report_id", flat=True)
    shared = Counter(rows[:MAX_KEY_ROWS])
    if exclude_id is not None:
        del shared[exclude_id]
    if not shared:
        return None
    start, end = when - WINDOW, when + WINDOW
    best = sorted(shared, key=lambda i: (-shared[i], i))[:MAX_CANDIDATES]
    candidates = (
        originals.filter(pk__in=best)
        .filter(
            Q(published_at__range=(start, end))
            | Q(published_at__isnull=True, fetched_at__range=(start, end))
        )
        .order_by("id")
        .only("id", "text", "url", "published_at", "fetched_at")
    )
    for candidate in candidates:
        if is_copy(mine.shingles, shingle_hashes(tokens(candidate.text))):
            return candidate
    return None


def store_keys(report_id: int, keys: tuple[int, ...] | list[int]) -> None:
    """Store an original report's band keys; a second call (a re-run after a crash) adds nothing.

    A copy needs none: lookups only ever look for originals.
    """
    NearDuplicateKey.objects.bulk_create(
        [NearDuplicateKey(report_id=report_id, key=key) for key in keys], ignore_conflicts=True
    )


def published_first(when: datetime, url: str, original: Report) -> bool:
    """Whether a report published at `when` under `url` precedes `original`: the earlier
    publication, ties broken by the smaller URL, so the choice never depends on storage order."""
    return (when, url) < (original.when, original.url)


def adopt_copies(report: Report, replaced: Report) -> None:
    """`report` turned out to precede the original `replaced`: it becomes the family's original.

    ``replaced`` and its copies point at ``report`` now; its band keys go (only originals have
    them), ``report``'s having been stored by the caller.
    """
    Report.objects.filter(duplicate_of=replaced).update(duplicate_of=report)
    Report.objects.filter(pk=replaced.pk).update(duplicate_of=report)
    NearDuplicateKey.objects.filter(report=replaced).delete()
