"""The checkable claims of a sentence: names, numbers, dates and quotations.

The faithfulness gate asks whether each of them is found in the passages a sentence cites.
Without a tagger, a name is a capitalised word (or an acronym) that is not an ordinary word
starting the sentence; numbers are read with their scale ("12 million", "2.4bn", "610,000")
and number words ("three"); quotations are the text between quotation marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.writing.similarity import STOPWORDS, normalise, word_set

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_QUOTE_PAIRS = (('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ("‘", "’"))
_QUOTE_SPAN = re.compile(r'"([^"]+)"|“([^”]+)”|«([^»]+)»|‘([^’]+)’')
# Minimum words for a quotation to count as one (not a quoted title or term).
QUOTE_MIN_WORDS = 3

SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "ألف": 1e3,
    "آلاف": 1e3,
    "مليون": 1e6,
    "ملايين": 1e6,
    "مليار": 1e9,
    "مليارات": 1e9,
}
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
MONTHS = word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
WEEKDAYS = word_set("monday tuesday wednesday thursday friday saturday sunday")
# Capitalised words that open sentences without naming anything.
_ORDINARY_OPENERS = STOPWORDS | word_set(
    """
    officials police authorities residents people rescuers experts analysts critics
    observers voters workers doctors scientists researchers investors traders
    earlier later last first after before during despite following under while
    meanwhile speaking asked writing according around about nearly some more most many
    several hundreds thousands dozens millions
    """
)


@dataclass(frozen=True)
class Claims:
    names: frozenset[str]  # normalised name words
    numbers: frozenset[float]  # values, scale applied
    dates: frozenset[str]  # month and weekday names
    quotes: tuple[str, ...]  # quotation texts as written


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.translate(_EASTERN_DIGITS))


def fold(word: str) -> str:
    """A name word as compared: lower case, script variants folded, possessive cut."""
    word = normalise(word)
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word.replace("\u2019", "'")


def _number(token: str) -> float | None:
    if token[:1].isdigit():
        # "1,146" and "1.146" (thousands) vs "2.4" (decimal): a group of three after a
        # separator is read as thousands when there are several or the separator is a comma.
        parts = re.split(r"[.,]", token)
        separators = re.findall(r"[.,]", token)
        if (
            len(parts) > 1
            and all(len(p) == 3 for p in parts[1:])
            and (len(parts) > 2 or separators[0] == ",")
        ):
            return float("".join(parts))
        try:
            return float(token.replace(",", "."))
        except ValueError:
            return None
    return NUMBER_WORDS.get(token.lower())


def numbers(text: str) -> frozenset[float]:
    """Every number of the text, with its scale word applied: "12 million" -> 12e6."""
    found: set[float] = set()
    words = tokens(text)
    for position, token in enumerate(words):
        value = _number(token)
        if value is None:
            # "2.4bn", "$3m": a scale glued to the digits.
            glued = re.fullmatch(r"(\d+(?:[.,]\d+)?)(bn|mn|m|b|tn)", token.lower())
            if glued is None:
                continue
            base = _number(glued.group(1))
            if base is not None:
                found.add(round(base * SCALES[glued.group(2)], 6))
            continue
        following = words[position + 1].lower() if position + 1 < len(words) else ""
        if following in SCALES and len(following) > 1:
            value *= SCALES[following]
        found.add(round(value, 6))
    return frozenset(found)


def quotes(text: str) -> tuple[str, ...]:
    spans = []
    for match in _QUOTE_SPAN.finditer(text):
        inner = next(group for group in match.groups() if group is not None)
        if len(tokens(inner)) >= QUOTE_MIN_WORDS:
            spans.append(inner)
    return tuple(spans)


def outside_quotes(text: str) -> str:
    return _QUOTE_SPAN.sub(" ", text)


def names(text: str) -> frozenset[str]:
    """Capitalised words and acronyms that name someone or something (quotes included)."""
    found: set[str] = set()
    for sentence_start, token in _tokens_with_starts(text):
        if not token[:1].isupper():
            continue
        folded = fold(token)
        if sentence_start and folded in _ORDINARY_OPENERS:
            continue
        if folded in STOPWORDS and not token.isupper():
            continue
        found.add(folded)
    return frozenset(found)


def _tokens_with_starts(text: str) -> list[tuple[bool, str]]:
    """Each token, and whether it opens a sentence or a quotation (its capital proves nothing)."""
    result = []
    previous_end = 0
    for position, match in enumerate(_TOKEN.finditer(text)):
        between = text[previous_end : match.start()]
        starts = position == 0 or bool(_OPENS.search(between))
        result.append((starts, match.group()))
        previous_end = match.end()
    return result


_OPENS = re.compile(r"[.!?؟:;]|[\"“«(‘]\s*$|\n")


def dates(text: str) -> frozenset[str]:
    calendar = MONTHS | WEEKDAYS
    return frozenset(
        fold(token) for token in tokens(text) if token[:1].isupper() and fold(token) in calendar
    )


def claims(text: str) -> Claims:
    return Claims(names=names(text), numbers=numbers(text), dates=dates(text), quotes=quotes(text))


def squeeze(text: str) -> str:
    """Text as quotations are compared: one kind of quote mark, spacing as typeset.

    Tokenised corpora write 'Pie " star' and ' , "'; typeset text writes 'Pie" star' and ',"'.
    """
    for opening, closing in _QUOTE_PAIRS:
        text = text.replace(opening, '"').replace(closing, '"')
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    text = re.sub(r'\s*"\s*', '"', text)
    return text.strip()


def name_words(text: str) -> frozenset[str]:
    """Every word of a passage, folded, against which a sentence's names are looked up."""
    return frozenset(fold(token) for token in tokens(text))
