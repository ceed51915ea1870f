"""Which of a large story's reports the writer reads.

Choosing sentences compares every sentence with every other (centrality, corroboration,
redundancy), so the cost grows with the square of the story's size: in the scale benchmark,
a 71-report story took 2.0 s to write and a 316-report one 12 s, and a big story is rewritten
each time it grows. Past a few dozen reports, more of them add repetition rather than facts,
so the writer reads a bounded, deterministic selection. The article still lists every report
of the story (its refs come from the story, not from what the writer read).

What the selection keeps: the first report (the break), the newest ones (the latest figures;
``superseded`` needs them to retire overtaken tallies), and as many independent outlets as
fit, taken round-robin from the newest report of each, so that corroboration stays a count
of different voices. Reports in the article's language come first, originals before copies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import zip_longest

from newsdesk.writing.draft import SourceReport
from newsdesk.writing.writer import language_code

_UNDATED = datetime.min.replace(tzinfo=UTC)


def _age(report: SourceReport) -> tuple[datetime, int]:
    return (report.published_at or _UNDATED, report.id)


def working_set(reports: Sequence[SourceReport], language: str, limit: int) -> list[SourceReport]:
    """At most ``limit`` of ``reports`` (all of them when they fit), in their given order."""
    if limit <= 0 or len(reports) <= limit:
        return list(reports)
    ranked = [r for tier in _tiers(reports, language_code(language)) for r in _round_robin(tier)]
    chosen = {report.id for report in ranked[:limit]}
    return [report for report in reports if report.id in chosen]


def _tiers(reports: Sequence[SourceReport], code: str) -> list[list[SourceReport]]:
    """Reports by how much the writer needs them: the break, then the article's language."""
    texts = [r for r in reports if r.text.strip()]
    first = min(texts or reports, key=_age)
    own = [r for r in texts if language_code(r.language) == code and r.id != first.id]
    placed = {first.id, *(r.id for r in own)}
    originals = [r for r in own if r.duplicate_of is None]
    copies = [r for r in own if r.duplicate_of is not None]
    rest = [r for r in reports if r.id not in placed]
    return [[first], originals, copies, rest]


def _round_robin(reports: list[SourceReport]) -> list[SourceReport]:
    """Newest first, one report per outlet per round, outlets by their newest report."""
    by_outlet: defaultdict[str, list[SourceReport]] = defaultdict(list)
    for report in sorted(reports, key=_age, reverse=True):
        by_outlet[report.outlet].append(report)
    # Insertion order: the outlet with the newest report leads each round.
    rounds = zip_longest(*by_outlet.values())
    return [report for round_ in rounds for report in round_ if report is not None]
