"""Section tagging: one of nine site sections for an article.

The decision adds up weighted keyword evidence from a bilingual lexicon
(``data/sections.json``; title hits weigh more) and votes from the sources' hints (feed
categories, URL path words, section meta, the source's default section), earlier hints
weighing more. "World" is the catch-all: as a hint it counts half, and it is the answer
when there is no evidence at all.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from newsdesk.tagging.text import PhraseTrie, Token, phrase_keys, tokenize

SECTIONS: tuple[str, ...] = (
    "World",
    "Politics",
    "Business",
    "Technology",
    "Science",
    "Health",
    "Sports",
    "Entertainment",
    "Environment",
)

_DATA_FILE = Path(__file__).parent / "data" / "sections.json"
_FALLBACK = "World"
TITLE_WEIGHT = 3.0
MAX_REPEATS = 3  # a word repeated all through a long piece should not drown the rest
HINT_WEIGHTS = (4.0, 3.0, 2.5, 2.0, 1.5)  # by priority; later hints get the last weight
GENERIC_HINT_FACTOR = 0.5  # "World" is what sources say when they have nothing better
MIN_KEYWORD_SCORE = 2.0  # below this, with no hint, a lone keyword is not a topic
_MIN_PREFIX = 3

Weights = tuple[tuple[str, float], ...]  # (section, weight) pairs of one keyword


@dataclass(frozen=True, slots=True)
class _Lexicon:
    phrases: PhraseTrie[tuple[str, Weights]]  # payload: (keyword id, weights)
    prefixes: dict[str, Weights]  # "vaccin" for "vaccin*"
    prefix_lengths: tuple[int, ...]  # longest first
    hints: dict[str, str]  # normalised hint word or phrase -> section


def classify_section(title: str, text: str, hints: Sequence[str] = (), language: str = "en") -> str:
    """The section for an article; deterministic, "World" when nothing points elsewhere.

    ``language`` is accepted for symmetry with the other stages; English and Arabic
    keywords are both always looked for.
    """
    del language
    lexicon = _lexicon()
    keyword_scores = _keyword_scores(lexicon, title, text)
    votes = hint_votes(hints)
    if not votes and max(keyword_scores.values(), default=0.0) < MIN_KEYWORD_SCORE:
        return _FALLBACK
    totals = {s: keyword_scores.get(s, 0.0) + votes.get(s, 0.0) for s in SECTIONS}
    if max(totals.values()) <= 0:
        return _FALLBACK
    # Ties go to the stronger hint, then to the earlier section in SECTIONS.
    return max(SECTIONS, key=lambda s: (totals[s], votes.get(s, 0.0), -SECTIONS.index(s)))


def section_for_hint(hint: str) -> str | None:
    """Map one source hint ("Tech", "/sport/football/", "اقتصاد") to a section, if any."""
    lexicon = _lexicon()
    words = [token for token in tokenize(hint) if token.is_word]
    whole = " ".join(token.key for token in words)
    if whole in lexicon.hints:
        return lexicon.hints[whole]
    for token in words:
        for stem in token.stems:
            if stem in lexicon.hints:
                return lexicon.hints[stem]
    return None


def hint_votes(hints: Sequence[str]) -> dict[str, float]:
    votes: dict[str, float] = {}
    rank = 0
    for hint in hints:
        section = section_for_hint(hint)
        if section is None:
            continue
        weight = HINT_WEIGHTS[min(rank, len(HINT_WEIGHTS) - 1)]
        if section == _FALLBACK:
            weight *= GENERIC_HINT_FACTOR
        votes[section] = votes.get(section, 0.0) + weight
        rank += 1
    return votes


# --- keyword evidence -------------------------------------------------------------------


def _keyword_scores(lexicon: _Lexicon, title: str, text: str) -> dict[str, float]:
    hits: Counter[tuple[str, bool]] = Counter()
    weights: dict[str, Weights] = {}
    for in_title, part in ((True, title), (False, text)):
        for keyword, keyword_weights in _hits(lexicon, tokenize(part)):
            hits[keyword, in_title] += 1
            weights[keyword] = keyword_weights
    scores: dict[str, float] = {}
    for (keyword, in_title), count in hits.items():
        factor = min(count, MAX_REPEATS) * (TITLE_WEIGHT if in_title else 1.0)
        for section, weight in weights[keyword]:
            scores[section] = scores.get(section, 0.0) + weight * factor
    return scores


def _hits(lexicon: _Lexicon, tokens: Sequence[Token]) -> Iterator[tuple[str, Weights]]:
    i = 0
    while i < len(tokens):
        candidates = lexicon.phrases.candidates(tokens, i)
        if candidates:
            end, (keyword, weights) = candidates[0]
            yield keyword, weights
            i = end
            continue
        prefix_hit = _prefix_hit(lexicon, tokens[i])
        if prefix_hit is not None:
            yield prefix_hit
        i += 1


def _prefix_hit(lexicon: _Lexicon, token: Token) -> tuple[str, Weights] | None:
    if not token.is_word:
        return None
    return _prefix_lookup(token.stems)


@lru_cache(maxsize=1 << 16)
def _prefix_lookup(stems: tuple[str, ...]) -> tuple[str, Weights] | None:
    lexicon = _lexicon()
    for stem in stems:
        for length in lexicon.prefix_lengths:
            if length <= len(stem) and stem[:length] in lexicon.prefixes:
                prefix = stem[:length]
                return prefix + "*", lexicon.prefixes[prefix]
    return None


# --- loading ----------------------------------------------------------------------------


@cache
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = json.loads(_DATA_FILE.read_text(encoding="utf-8"))
    phrase_weights: dict[tuple[str, ...], dict[str, float]] = {}
    prefix_weights: dict[str, dict[str, float]] = {}
    for section, languages in data["keywords"].items():
        for keywords in languages.values():
            for keyword, weight in keywords.items():
                _add_keyword(keyword, section, float(weight), phrase_weights, prefix_weights)
    phrases: PhraseTrie[tuple[str, Weights]] = PhraseTrie()
    for keys, by_section in phrase_weights.items():
        phrases.add(keys, (" ".join(keys), tuple(by_section.items())))
    prefixes = {prefix: tuple(by_section.items()) for prefix, by_section in prefix_weights.items()}
    hints = {" ".join(phrase_keys(hint)): section for hint, section in data["hints"].items()}
    lengths = tuple(sorted({len(prefix) for prefix in prefixes}, reverse=True))
    return _Lexicon(phrases, prefixes, lengths, hints)


def _add_keyword(
    keyword: str,
    section: str,
    weight: float,
    phrase_weights: dict[tuple[str, ...], dict[str, float]],
    prefix_weights: dict[str, dict[str, float]],
) -> None:
    if keyword.endswith("*"):
        keys = phrase_keys(keyword[:-1])
        if len(keys) != 1 or len(keys[0]) < _MIN_PREFIX:
            raise ValueError(f"prefix keywords are single words of 3+ letters: {keyword!r}")
        prefix_weights.setdefault(keys[0], {})[section] = weight
        return
    phrase_weights.setdefault(phrase_keys(keyword), {})[section] = weight
