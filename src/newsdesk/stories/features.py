"""What a report says, for clustering: its words, and the names and numbers that pin an event.

Two events of one kind (two earthquakes, two coach firings) share most of their words; what
tells them apart is who, where and how many. So names and numbers get a channel of their own
("@" for a name, "#" for a number), weighed more than plain words by the scoring.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.writing.similarity import STOPWORDS, normalise, stem

# Numbers stay whole ("5.6", "160,000"); words keep inner hyphens and apostrophes. A number
# run into letters is one token: "76ers" is a name, "15th" a number (its suffix dropped).
_NUMBER_PATTERN = r"\d+(?:[.,:]\d+)*"
_NUMBER = re.compile(_NUMBER_PATTERN)
_TOKEN = re.compile(rf"{_NUMBER_PATTERN}(?![^\W_])|[^\W_]+(?:[-'\u2019][^\W_]+)*")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = frozenset([*_MONTH_NAMES.split(), *(m[:3] for m in _MONTH_NAMES.split()), "sept"])
TITLE_BOOST = 2.0
# A year dates the event; another number (a toll, a score, a magnitude) pins it.
YEAR_BOOST = 3.0
NUMBER_BOOST = 2.0
MAX_KEY_LENGTH = 64


@lru_cache(maxsize=1 << 16)
def _term(raw: str) -> tuple[str, str]:
    """The normalised word and its stem (cut to a key's length); news vocabulary repeats."""
    word = normalise(raw)
    return word, stem(word)[:MAX_KEY_LENGTH]


@dataclass(frozen=True)
class Features:
    """Sublinear feature weights: ``words`` (stems) and ``entities`` (names, numbers)."""

    words: dict[str, float]
    entities: dict[str, float]

    @property
    def size(self) -> int:
        return len(self.words)


def _title_cased(text: str) -> bool:
    # "Fed's Plosser Sees High Bar For Change": capitals there say nothing about names.
    longer = [word for word in _TOKEN.findall(text) if len(word) > 3 and word[0].isalpha()]
    return len(longer) >= 3 and sum(word[0].isupper() for word in longer) / len(longer) > 0.6


def _count(
    text: str, boost: float, words: defaultdict[str, float], entities: defaultdict[str, float]
) -> None:
    names_by_case = not _title_cased(text)
    previous_end = 0
    for match in _TOKEN.finditer(text):
        raw = match.group()
        # A capital right after a sentence break is grammar, not evidence of a name.
        sentence_start = previous_end == 0 or bool(
            _SENTENCE_BREAK.search(text, previous_end, match.start())
        )
        previous_end = match.end()
        ordinal = _ORDINAL.fullmatch(raw)
        if ordinal:
            raw = ordinal.group(1)
        word, stemmed = _term(raw)
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        words[stemmed] += boost
        if _NUMBER.fullmatch(raw):
            weight = YEAR_BOOST if _YEAR.fullmatch(word) else NUMBER_BOOST
            entities["#" + word[: MAX_KEY_LENGTH - 1]] += boost * weight
        elif raw[0].isdigit() or (
            names_by_case and raw[0].isupper() and not sentence_start and word not in _MONTHS
        ):
            # A token led by digits ("76ers", "3M") names something, whatever the case.
            entities["@" + stemmed[: MAX_KEY_LENGTH - 1]] += boost


def _sublinear(counts: dict[str, float]) -> dict[str, float]:
    return {term: 1.0 + math.log(count) for term, count in counts.items() if count >= 1.0}


def report_features(title: str, text: str) -> Features:
    words: defaultdict[str, float] = defaultdict(float)
    entities: defaultdict[str, float] = defaultdict(float)
    _count(title, TITLE_BOOST, words, entities)
    _count(text, 1.0, words, entities)
    return Features(words=_sublinear(words), entities=_sublinear(entities))
