"""Place tags: which countries (and a few territories) an article is about.

Evidence comes from a gazetteer in ``data/places.json``: names and aliases, demonyms,
capitals and major cities, in English and Arabic. Matching is token based and
longest-first ("Papua New Guinea" before "Guinea", "Niger Delta" before "Niger"),
case-aware for Latin script ("US" but not "us") and clitic-aware for Arabic ("وبسوريا").

Some forms are *weak* (first names such as "Jordan" or "Chad", common Arabic words such as
"مالي" "financial") and only count with corroboration; a few are *ambiguous* ("Congo",
"Tripoli", "عمان") and go to whichever candidate has other evidence.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from newsdesk.tagging.text import PhraseTrie, Token, tokenize, word_count

_DATA_FILE = Path(__file__).parent / "data" / "places.json"

TITLE_WEIGHT = 3.0
LEAD_TOKENS = 60  # body mentions this early (dateline, first sentence) weigh a bit more
LEAD_BONUS = 0.5
SHORT_TEXT_WORDS = 120  # in a brief, one body mention is enough
LONG_TEXT_WORDS = 800  # in a long piece, two mentions can still be in passing
RELATIVE_FLOOR = 0.2  # a body-only place must reach this share of the top place's score

# Phrases that contain a place name but are not about that place; matched like places so
# that the longest-match rule swallows them.
_BLOCKERS: tuple[str, ...] = (
    "New Mexico", "New England", "New Guinea", "Latin America", "Latin American",
    "South America", "South American", "North America", "North American", "Central America",
    "Central American", "American Samoa", "Native American", "American Indian",
    "Indian Ocean", "Persian Gulf", "Gulf of Mexico", "Gulf of America", "South China Sea",
    "East China Sea", "Sea of Japan", "Irish Sea", "Korean Peninsula", "Congo River",
    "Congo Basin", "Georgia Tech", "University of Georgia", "Georgia State", "Athens, Georgia",
    "Athens, Ga", "French Guiana", "French Polynesia", "Chinese New Year", "French fries",
    "New York Times", "Washington Post", "Los Angeles Times", "Voice of America",
    "Bank of America", "Agence France-Presse", "France-Presse", "France 24",
    "South China Morning Post", "Jerusalem Post", "Times of Israel", "Moscow Times",
    "Kyiv Independent", "Kyiv Post", "Tehran Times", "Japan Times", "Bangkok Post",
    "Times of India", "Sydney Morning Herald",
    "المغرب العربي", "صلاة المغرب", "أمريكا اللاتينية", "أميركا اللاتينية",
    "أمريكا الجنوبية", "أميركا الجنوبية", "أمريكا الشمالية", "أميركا الشمالية",
    "أمريكا الوسطى", "أميركا الوسطى", "بحر الصين الجنوبي", "المحيط الهندي",
    "مسقط رأس", "مسقط رأسه", "مسقط رأسها", "البحرين الأحمر", "البحرين الأبيض", "مجمع البحرين",
    "الهند الصينية", "شياع السوداني",
    # Treaties and conventions named after where they were signed.
    "Paris Agreement", "Paris climate agreement", "Paris Accord", "Paris climate accord",
    "Geneva Convention", "Geneva Conventions", "Kyoto Protocol", "Oslo Accords", "Minsk agreements",
    "Vienna Convention", "Rome Statute", "Warsaw Pact", "Montreal Protocol", "Helsinki Accords",
    "Istanbul Convention", "اتفاق باريس", "اتفاقية باريس", "اتفاقيات جنيف", "اتفاقية جنيف",
    "اتفاق أوسلو", "اتفاقية أوسلو", "بروتوكول كيوتو",
    "Indian reservation", "Indian tribe", "Indian tribes",
)  # fmt: skip

# Ambiguous forms default to the first candidate in data order, except here.
_PREFERRED: dict[str, str] = {"tripoli": "LY", "طرابلس": "LY"}

# A diacritic can settle an Arabic ambiguity: "عمّان" is Amman, "عُمان" is Oman.
_DIACRITIC_HINTS: dict[str, tuple[tuple[str, str], ...]] = {
    "عمان": (("\u0651", "JO"), ("\u064f", "OM")),
}

# Token keys that, without corroboration, veto a weak form: "Georgia" next to "Atlanta" is
# the US state; "الصحراء الغربية" next to Egypt is Egypt's Western Desert.
_VETO_KEYS: dict[str, frozenset[str]] = {
    "GE": frozenset({
        "atlanta", "savannah", "augusta", "macon", "fulton", "gwinnett", "cobb", "kemp",
        "raffensperger", "warnock", "ossoff", "bulldogs", "gop", "republican", "republicans",
        "democrats", "alabama", "florida", "tennessee", "carolina", "texas", "arizona",
        "michigan", "pennsylvania", "nevada", "wisconsin", "ohio", "virginia",
    }),
    "EH": frozenset({"مصر", "مصري", "مصريه", "القاهره", "الواحات", "واحات", "سيوه", "الفرافره"}),
}  # fmt: skip

# Words before a weak English form that make it read as a place ("in Chad", "of Jordan").
_LOCATIVE_CUES = frozenset({
    "in", "to", "from", "into", "of", "across", "near", "via", "toward", "towards",
    "throughout", "inside", "outside", "neighbouring", "neighboring", "visit", "visits",
    "visited", "visiting", "with", "against", "between", "northern", "southern", "eastern",
    "western", "central",
})  # fmt: skip
# Capitalised words that may follow a place without making it a person's first name.
_PLACE_FOLLOWERS = frozenset({
    "king", "queen", "government", "president", "prime", "foreign", "army", "armed",
    "minister", "ministry", "authorities", "officials", "valley", "river", "border",
})  # fmt: skip
_LIST_JOINERS = frozenset({",", "and", "&", "or", "/"})
_AR_CUES = frozenset({
    "في", "الي", "من", "داخل", "دوله", "جمهوريه", "مملكه", "حكومه", "عاصمه", "مدينه", "ميناء",
    "محافظه", "ولايه", "منطقه", "شمال", "جنوب", "شرق", "غرب", "وسط", "بلد", "بلاد", "حدود",
    "نحو", "زار", "زياره", "شمالي", "جنوبي", "شرقي", "غربي",
})  # fmt: skip

_NO_PLURAL_ENDINGS = ("ese", "ss", "sh", "ch", "man", "men", "s", "x", "o", "a", "y")
_AR_DEMONYM_SUFFIXES = ("", "ه", "ون", "ين")


@dataclass(frozen=True)
class Place:
    code: str  # ISO 3166-1 alpha-2 (XK for Kosovo)
    name: str  # English short name
    slug: str


@dataclass(frozen=True, slots=True)
class _Form:
    codes: tuple[str, ...]  # empty for a blocker; several when ambiguous
    surface: tuple[str, ...]  # the form's own tokens, for case checks
    weak: bool
    key: str  # space-joined token keys


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    places: tuple[Place, ...]
    by_code: dict[str, Place]
    by_slug: dict[str, Place]
    trie: PhraseTrie[_Form]


@dataclass(slots=True)
class _Mention:
    form: _Form
    codes: tuple[str, ...]
    tokens: Sequence[Token]
    start: int
    end: int
    in_title: bool
    order: int


@dataclass(slots=True)
class _Evidence:
    title: int = 0
    body: int = 0
    score: float = 0.0
    first: int = sys.maxsize
    first_body_start: int = sys.maxsize


@dataclass(slots=True)
class _Text:
    """One article: its title and body tokens and the mentions found in them."""

    title: list[Token]
    body: list[Token]
    mentions: list[_Mention] = field(default_factory=list)


# --- public API ------------------------------------------------------------------------


def find_places(title: str, text: str, language: str = "en", limit: int = 3) -> list[Place]:
    """Countries the story is about, most salient first.

    ``language`` is accepted for symmetry with the other stages; both scripts are always
    scanned because Arabic articles quote Latin names and vice versa.
    """
    del language
    if limit <= 0:
        return []
    gazetteer = _gazetteer()
    article = _Text(tokenize(title), tokenize(text))
    article.mentions = list(_scan(article.title, True, 0, gazetteer.trie))
    article.mentions += _scan(article.body, False, len(article.title), gazetteer.trie)
    accepted = _resolve(article)
    evidence = _collect(accepted)
    codes = _select(evidence, word_count(article.body))
    return [gazetteer.by_code[code] for code in codes[:limit]]


def place_by_slug(slug: str) -> Place | None:
    return _gazetteer().by_slug.get(slug)


def all_places() -> list[Place]:
    return sorted(_gazetteer().places, key=lambda place: place.name)


# --- loading ---------------------------------------------------------------------------


@cache
def _gazetteer() -> _Gazetteer:
    records: list[dict[str, Any]] = json.loads(_DATA_FILE.read_text(encoding="utf-8"))
    places = tuple(Place(r["code"], r["name"], r["slug"]) for r in records)
    return _Gazetteer(
        places=places,
        by_code={place.code: place for place in places},
        by_slug={place.slug: place for place in places},
        trie=_build_trie(records),
    )


def _build_trie(records: list[dict[str, Any]]) -> PhraseTrie[_Form]:
    # (keys, surface) -> candidate codes in data order; the same surface under several
    # places ("Congo", "Tripoli", "القدس") makes an ambiguous form.
    codes: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    weak: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for record in records:
        weak_surfaces = set(record["weak"])
        for form_text in _surfaces(record):
            ident = _identity(form_text)
            if record["code"] not in codes.setdefault(ident, []):
                codes[ident].append(record["code"])
            if form_text in weak_surfaces:
                weak.add(ident)
    trie: PhraseTrie[_Form] = PhraseTrie()
    for (keys, surface), candidates in codes.items():
        key = " ".join(keys)
        trie.add(keys, _Form(_prefer(key, candidates), surface, (keys, surface) in weak, key))
    for blocker in _BLOCKERS:
        blocker_keys, blocker_surface = _identity(blocker)
        trie.add(blocker_keys, _Form((), blocker_surface, False, " ".join(blocker_keys)))
    return trie


def _identity(surface: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Token keys plus the surface used for case checks (Arabic has no case: its key)."""
    tokens = tokenize(surface)
    return tuple(t.key for t in tokens), tuple(t.key if t.arabic else t.raw for t in tokens)


def _prefer(key: str, candidates: list[str]) -> tuple[str, ...]:
    preferred = _PREFERRED.get(key)
    if preferred in candidates:
        return (preferred, *(code for code in candidates if code != preferred))
    return tuple(candidates)


def _surfaces(record: dict[str, Any]) -> Iterator[str]:
    yield record["name"]
    yield from record["aliases"]
    yield from record["cities"]
    for demonym in record["demonyms"]:
        yield demonym
        if not demonym.endswith(_NO_PLURAL_ENDINGS):
            yield demonym + "s"
    ar = record["ar"]
    yield from ar["names"]
    yield from ar["cities"]
    for demonym in ar["demonyms"]:
        yield from _arabic_demonym_forms(demonym)


def _arabic_demonym_forms(base: str) -> Iterator[str]:
    """Inflections of a demonym: سوري -> سورية، سوريون، سوريين; كوري شمالي -> الكورية الشمالية."""
    words = base.split()
    for suffix in _AR_DEMONYM_SUFFIXES:
        inflected = [w + suffix if w.endswith("ي") else w for w in words]
        yield " ".join(inflected)
        if len(inflected) > 1:
            # Later words of an adjective phrase take the article with the first one.
            yield " ".join([inflected[0], *("ال" + w for w in inflected[1:])])
    if not base.endswith("ي"):
        yield base


# --- matching --------------------------------------------------------------------------


def _scan(
    tokens: Sequence[Token], in_title: bool, offset: int, trie: PhraseTrie[_Form]
) -> Iterator[_Mention]:
    next_free = 0
    for i in trie.starts(tokens):
        if i < next_free:
            continue  # inside a longer match already taken
        match = _longest_match(tokens, i, trie)
        if match is None:
            continue
        end, form = match
        if form.codes:
            codes = _diacritic_override(form, tokens[i]) or form.codes
            yield _Mention(form, codes, tokens, i, end, in_title, offset + i)
        next_free = end


def _longest_match(
    tokens: Sequence[Token], start: int, trie: PhraseTrie[_Form]
) -> tuple[int, _Form] | None:
    for end, form in trie.candidates(tokens, start):
        if _case_fits(form.surface, tokens[start:end]):
            return end, form
    return None


def _case_fits(surface: Sequence[str], tokens: Sequence[Token]) -> bool:
    pairs = zip(surface, tokens, strict=True)
    return all(token.arabic or _case_matches(expected, token.raw) for expected, token in pairs)


def _case_matches(expected: str, actual: str) -> bool:
    if sum(c.isupper() for c in expected) >= 2:
        return actual == expected  # acronyms: "US" and "DRC" exactly, never "us"
    if expected[:1].isupper():
        return actual[:1].isupper()  # "Turkey"/"TURKEY", not "turkey"
    return True


def _diacritic_override(form: _Form, token: Token) -> tuple[str, ...] | None:
    for mark, code in _DIACRITIC_HINTS.get(form.key, ()):
        if mark in token.raw and code in form.codes:
            return (code,)
    return None


# --- resolving ambiguous and weak mentions ----------------------------------------------


def _resolve(article: _Text) -> list[_Mention]:
    mentions = article.mentions
    strong = [m for m in mentions if not m.form.weak]
    unambiguous = Counter(m.codes[0] for m in strong if len(m.codes) == 1)
    for mention in mentions:
        if len(mention.codes) > 1:
            # Other evidence decides ("Congo" + "Kinshasa"); data order breaks ties.
            best = max(mention.codes, key=lambda code: unambiguous[code])
            mention.codes = (best,)
    corroborated = {m.codes[0] for m in strong}
    all_keys = {stem for t in (*article.title, *article.body) for stem in t.stems}
    strong_ends = {(m.in_title, m.end) for m in strong}
    strong_starts = {(m.in_title, m.start) for m in strong}
    accepted = []
    for mention in mentions:
        if not mention.form.weak or _weak_ok(
            mention, corroborated, all_keys, strong_ends, strong_starts
        ):
            accepted.append(mention)
    return accepted


def _weak_ok(
    mention: _Mention,
    corroborated: set[str],
    all_keys: set[str],
    strong_ends: set[tuple[bool, int]],
    strong_starts: set[tuple[bool, int]],
) -> bool:
    code = mention.codes[0]
    if code in corroborated:
        return True
    if not all_keys.isdisjoint(_VETO_KEYS.get(code, ())):
        return False
    if mention.tokens[mention.start].arabic:
        return _arabic_cue_before(mention)
    if _looks_like_person(mention):
        return False  # "Michael Jordan", "Chad Smith"
    return (
        mention.in_title
        or _previous_key(mention) in _LOCATIVE_CUES
        or _listed_with_place(mention, strong_ends, strong_starts)
    )


def _looks_like_person(mention: _Mention) -> bool:
    tokens, start, end = mention.tokens, mention.start, mention.end
    before = tokens[start - 1] if start > 0 else None
    after = tokens[end] if end < len(tokens) else None
    if before is not None and _capitalised(before) and before.key not in _LOCATIVE_CUES:
        return True
    return after is not None and _capitalised(after) and after.key not in _PLACE_FOLLOWERS


def _capitalised(token: Token) -> bool:
    return not token.arabic and token.raw[:1].isupper() and token.raw.isalpha()


def _previous_key(mention: _Mention) -> str:
    return mention.tokens[mention.start - 1].key if mention.start > 0 else ""


def _listed_with_place(
    mention: _Mention, strong_ends: set[tuple[bool, int]], strong_starts: set[tuple[bool, int]]
) -> bool:
    """True for "Syria, Iraq and Jordan": a neighbour in the list is a place."""
    tokens, start, end, title = mention.tokens, mention.start, mention.end, mention.in_title
    joined_before = start > 0 and tokens[start - 1].key in _LIST_JOINERS
    joined_after = end < len(tokens) and tokens[end].key in _LIST_JOINERS
    return (joined_before and (title, start - 1) in strong_ends) or (
        joined_after and (title, end + 1) in strong_starts
    )


def _arabic_cue_before(mention: _Mention) -> bool:
    if mention.start == 0:
        return False
    return any(stem in _AR_CUES for stem in mention.tokens[mention.start - 1].stems)


# --- scoring ---------------------------------------------------------------------------


def _collect(mentions: Iterable[_Mention]) -> dict[str, _Evidence]:
    evidence: dict[str, _Evidence] = {}
    for mention in mentions:
        item = evidence.setdefault(mention.codes[0], _Evidence())
        item.first = min(item.first, mention.order)
        if mention.in_title:
            item.title += 1
            item.score += TITLE_WEIGHT
            continue
        item.body += 1
        item.score += 1.0 + (LEAD_BONUS if mention.start < LEAD_TOKENS else 0.0)
        item.first_body_start = min(item.first_body_start, mention.start)
    return evidence


def _select(evidence: dict[str, _Evidence], body_words: int) -> list[str]:
    ranked = sorted(evidence, key=lambda code: (-evidence[code].score, evidence[code].first))
    if not ranked:
        return []
    top_score = evidence[ranked[0]].score
    min_body = 2 if body_words <= LONG_TEXT_WORDS else 3
    chosen = [
        code
        for code in ranked
        if _has_evidence(evidence[code], body_words, min_body, top_score * RELATIVE_FLOOR)
    ]
    if not chosen and evidence[ranked[0]].first_body_start < LEAD_TOKENS:
        chosen = ranked[:1]  # a lone dateline or first-sentence mention is still the story
    return chosen


def _has_evidence(item: _Evidence, body_words: int, min_body: int, floor: float) -> bool:
    if item.title:
        return True
    if item.score < floor:
        return False
    return item.body >= min_body or (body_words <= SHORT_TEXT_WORDS and item.body >= 1)
