"""Claims that a later report has overtaken: they are not published beside the new ones.

A story told over days changes its figures: the toll "rose to nine", then to 14, then to 23.
An article written from all its reports must not state "nine dead" and "23 dead" side by side,
each as current. Two kinds of claim age:

- running tallies (the dead, the missing, the injured, the evacuated, homes without power):
  a figure for a tally is superseded when a later report gives that tally figures and this
  one is not among them;
- announcements of what is to come ("the truce is set to begin at midnight", "forecasters
  expect Kalin to cross Luzon overnight"): superseded when a report written well after it
  tells of the same thing as done.

Reports without a publication time never supersede anything: their order is unknown.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from newsdesk.writing.claims import numbers
from newsdesk.writing.passages import Passage
from newsdesk.writing.similarity import cosine

# The tallies a running story updates, by the words that name them.
TALLIES: dict[str, re.Pattern[str]] = {
    "dead": re.compile(
        r"\b(?:dead|deaths?|died|killed|killing|toll|lives|bodies|fatalities|perished)\b", re.I
    ),
    "missing": re.compile(r"\bmissing\b|\bunaccounted\b", re.I),
    "injured": re.compile(r"\b(?:injured|injuries|wounded|hurt)\b", re.I),
    "sheltered": re.compile(
        r"\b(?:evacuat\w*|fled|displaced|sheltering|homeless)\b"
        r"|\bin (?:evacuation )?(?:centres|centers|shelters)\b",
        re.I,
    ),
    "without power": re.compile(r"\b(?:power|electricity|blackouts?)\b", re.I),
}
# A figure belongs to a tally when it stands this close (in words) to the tally's word.
TALLY_WINDOW = 8
_WORD = re.compile(r"\S+")
_YEAR = re.compile(r"^(?:19|20)\d\d$")

# Ages ("Editha Bautista, 52,", "a 67-year-old man") are no tally.
_AGE = re.compile(r",\s*\d{1,3}\s*,|\b\d{1,3}-year-old\b|\baged \d{1,3}\b", re.I)

# What is announced, not yet done ...
_ANNOUNCED = re.compile(
    r"\b(?:is|are|was|were) (?:set|due|scheduled|expected|poised|preparing) to\b"
    r"|\bexpects?\b[^.]{0,40}\bto\b|\bready to\b|\bas soon as\b|\bwaiting (?:at|in|for)\b"
    r"|\b(?:due|set|scheduled) to (?:take effect|begin|start|open|resume|reopen|arrive)\b"
    r"|\bprepar\w* to\b|\bonce\b[^.]{0,60}\b(?:takes? effect|begins?|starts?|opens?)\b",
    re.I,
)
# ... and "will", which announces only where it says when.
_WILL = re.compile(r"\bwill\b", re.I)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
_WHEN = re.compile(
    r"\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.? (?P<day>\d{1,2})\b"
    r"|\b(?P<day2>\d{1,2}) (?P<month2>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\b"
    r"|\b(?P<soon>tonight|overnight|tomorrow|midnight)\b",
    re.I,
)
# A report this much later may have seen an announcement that says when come true; one that
# does not say when, a day later.
PROSPECTIVE_LAG_S = 6 * 3600
UNDATED_PROSPECTIVE_LAG_S = 24 * 3600
# ... when one of its sentences is this close to the announcement.
PROSPECTIVE_SIMILARITY = 0.2


def _timestamp(passage: Passage) -> float | None:
    moment = passage.report.published_at
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def tally_figures(text: str) -> dict[str, frozenset[float]]:
    """For each tally the sentence mentions, the figures near that mention (no years)."""
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    result: dict[str, set[float]] = defaultdict(set)
    for kind, pattern in TALLIES.items():
        for match in pattern.finditer(text):
            position = next(
                (i for i, (start, end, _) in enumerate(tokens) if start <= match.start() < end), 0
            )
            low = max(0, position - TALLY_WINDOW)
            high = min(len(tokens), position + TALLY_WINDOW + 1)
            window = _AGE.sub(" , ", " ".join(token for _, _, token in tokens[low:high]))
            for value in numbers(window):
                if not _YEAR.match(f"{value:g}"):
                    result[kind].add(value)
    return {kind: frozenset(values) for kind, values in result.items() if values}


def is_prospective(text: str) -> bool:
    """Whether the sentence announces what is to come (not a quotation's promise)."""
    return bool(_ANNOUNCED.search(text) or (_WILL.search(text) and _WHEN.search(text)))


def _due(text: str, written: datetime) -> datetime | None:
    """The latest moment the sentence's own time words point to, read from ``written``."""
    moments = []
    for match in _WHEN.finditer(text):
        if match.group("weekday"):
            ahead = (_WEEKDAYS.index(match.group("weekday").lower()) - written.weekday()) % 7
            day = written.date() + timedelta(days=ahead)
        elif match.group("soon"):
            day = written.date() + timedelta(days=1)
        else:
            month = (match.group("month") or match.group("month2")).lower()[:3]
            number = int(match.group("day") or match.group("day2"))
            try:
                day = date(written.year, _MONTHS.index(month) + 1, number)
            except ValueError:
                continue
        moments.append(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))
    return max(moments) if moments else None


def superseded(passages: Sequence[Passage]) -> set[Passage]:
    """The passages whose tally figures or announcements a later report has overtaken."""
    dated = [(p, t) for p in passages if (t := _timestamp(p)) is not None]
    # For each tally, the latest report that gives figures for it, and those figures.
    latest: dict[str, tuple[float, int, set[float]]] = {}
    figures_of: dict[Passage, dict[str, frozenset[float]]] = {}
    for passage, when in dated:
        figures = tally_figures(passage.text)
        figures_of[passage] = figures
        for kind, values in figures.items():
            current = latest.get(kind)
            key = (when, passage.report.id)
            if current is None or key > current[:2]:
                latest[kind] = (when, passage.report.id, set(values))
            elif key == current[:2]:
                current[2].update(values)
    result: set[Passage] = set()
    newest = max((when for _, when in dated), default=0.0)
    for passage, when in dated:
        for kind, values in figures_of[passage].items():
            newest_when, newest_report, newest_values = latest[kind]
            if (when, passage.report.id) < (newest_when, newest_report) and not (
                values <= newest_values
            ):
                result.add(passage)
    for passage, when in dated:
        if passage in result or passage.is_quote or not is_prospective(passage.text):
            continue
        written = datetime.fromtimestamp(when, UTC)
        due = _due(passage.text, written)
        if due is not None and newest - when >= PROSPECTIVE_LAG_S and newest >= due.timestamp():
            # The day it announced has come by the newest report: it is no longer to come.
            result.add(passage)
            continue
        for other, other_when in dated:
            if due is not None:
                break
            else:
                late_enough = other_when - when >= UNDATED_PROSPECTIVE_LAG_S
            if (
                late_enough
                and not other.is_quote
                and not is_prospective(other.text)
                and cosine(passage.vector, other.vector) >= PROSPECTIVE_SIMILARITY
            ):
                result.add(passage)
                break
    return result


def superseded_title(title: str, when: float | None, passages: Sequence[Passage]) -> bool:
    """Whether a report's title states a tally figure that a later report has overtaken."""
    if when is None:
        return False
    figures = tally_figures(title)
    for kind, values in figures.items():
        later = [
            p
            for p in passages
            if (t := _timestamp(p)) is not None and t > when and kind in tally_figures(p.text)
        ]
        if not later:
            continue
        newest = max(later, key=lambda p: (_timestamp(p) or 0.0, p.report.id))
        newest_values = frozenset().union(
            *(
                tally_figures(p.text).get(kind, frozenset())
                for p in later
                if p.report.id == newest.report.id
            )
        )
        if not values <= newest_values:
            return True
    return False
