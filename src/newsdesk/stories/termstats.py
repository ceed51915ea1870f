"""Term statistics per language, kept as counters so no step rescans the archive.

Per term, the number of live stories whose vectors hold it (story frequency), and on the
total row the numbers of reports and of live stories. Term weights come from the story
frequency, not from the number of reports: a word that a hundred reports repeat about one
event ("Titanfall" the week the game came out) is as telling as a word one report used,
while a word spread over many stories ("stocks") tells them apart poorly, however few
reports each has. (It is also cheaper: a report joining a story counts only the terms new
to that story.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import connection

from newsdesk.stories.models import TermFrequency

# The row with the empty term counts the reports and the live stories of the language.
TOTAL = ""
_BATCH = 400


@dataclass(frozen=True)
class Counts:
    """Reports and live stories seen, and per term the live stories that hold it."""

    reports: int
    stories: int
    terms: Mapping[str, int]

    def weight(self, term: str) -> float:
        """Smoothed inverse story frequency, for a report not yet in any story."""
        stories = max(self.terms.get(term, 0), 0)
        return math.log((self.stories + 2) / (stories + 1)) + 1.0


def lookup(language: str, terms: Iterable[str]) -> Counts:
    wanted = sorted({TOTAL, *terms})
    found: dict[str, int] = {}
    totals = (0, 0)
    table = connection.ops.quote_name(TermFrequency._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter: no statement of hundreds of placeholders to parse per report.
            cursor.execute(
                f"SELECT term, count, stories FROM {table} WHERE language = %s AND term = ANY(%s)",
                [language, wanted],
            )
            rows = cursor.fetchall()
        else:
            rows = []
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start : start + _BATCH]
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    f"SELECT term, count, stories FROM {table} "
                    f"WHERE language = %s AND term IN ({marks})",
                    [language, *batch],
                )
                rows.extend(cursor.fetchall())
    for term, count, stories in rows:
        if term == TOTAL:
            totals = (count, stories)
        else:
            found[term] = stories
    return Counts(reports=totals[0], stories=totals[1], terms=found)


def record(
    language: str,
    reports: Mapping[str, int] | None = None,
    stories: Mapping[str, int] | None = None,
) -> None:
    """Add to the counters: ``reports`` and ``stories`` map terms (TOTAL included) to deltas.

    Call inside the transaction that makes the change, so it is counted exactly once."""
    reports = reports or {}
    stories = stories or {}
    rows = [
        (language, term, reports.get(term, 0), stories.get(term, 0))
        # Sorted keys: concurrent workers lock rows in one order, so they never deadlock.
        for term in sorted({*reports, *stories})
        if reports.get(term, 0) or stories.get(term, 0)
    ]
    if not rows:
        return
    table = connection.ops.quote_name(TermFrequency._meta.db_table)
    upsert = (
        f"ON CONFLICT (language, term) DO UPDATE SET count = {table}.count + excluded.count, "
        f"stories = {table}.stories + excluded.stories"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement over arrays rather than a round trip per term: this runs inside
            # the serial clustering step, whose length bounds how far workers scale.
            _, terms, counts, story_counts = zip(*rows, strict=True)
            cursor.execute(
                f"INSERT INTO {table} (language, term, count, stories) "
                "SELECT %s, t.term, t.count, t.stories "
                "FROM unnest(%s::text[], %s::int[], %s::int[]) AS t(term, count, stories) "
                "ORDER BY t.term " + upsert,
                [language, list(terms), list(counts), list(story_counts)],
            )
            return
        sql = f"INSERT INTO {table} (language, term, count, stories) VALUES (%s, %s, %s, %s) "
        for start in range(0, len(rows), _BATCH):
            cursor.executemany(sql + upsert, rows[start : start + _BATCH])


def story_change(before: Iterable[str], after: Iterable[str]) -> dict[str, int]:
    """Story-frequency deltas when a story's terms go from ``before`` to ``after``."""
    old, new = set(before), set(after)
    change = dict.fromkeys(new - old, 1)
    change.update(dict.fromkeys(old - new, -1))
    return change
