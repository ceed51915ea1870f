"""Document frequencies per language, kept as counters so no step rescans the archive."""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.db import connection

from newsdesk.stories.models import TermFrequency

# The row with the empty term counts the reports of the language.
TOTAL = ""
_BATCH = 400


def count(language: str, terms: Iterable[str]) -> None:
    """Add one report carrying ``terms``. Call once per report, in its vectorising transaction."""
    table = connection.ops.quote_name(TermFrequency._meta.db_table)
    rows = [(language, term) for term in sorted({TOTAL, *terms})]
    # Sorted keys: concurrent workers lock rows in one order, so they never deadlock.
    sql = (
        f"INSERT INTO {table} (language, term, count) VALUES (%s, %s, 1) "
        f"ON CONFLICT (language, term) DO UPDATE SET count = {table}.count + 1"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            cursor.executemany(sql, rows[start : start + _BATCH])


def idf(language: str, terms: Iterable[str]) -> dict[str, float]:
    """Smoothed inverse document frequency of each term (rare terms weigh more)."""
    wanted = sorted({TOTAL, *terms})
    counts: dict[str, int] = {}
    for start in range(0, len(wanted), _BATCH):
        counts.update(
            TermFrequency.objects.filter(
                language=language, term__in=wanted[start : start + _BATCH]
            ).values_list("term", "count")
        )
    total = counts.get(TOTAL, 0)
    return {
        term: math.log((total + 1) / (counts.get(term, 0) + 1)) + 1.0
        for term in wanted
        if term != TOTAL
    }
