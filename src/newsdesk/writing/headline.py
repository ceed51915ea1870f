"""Headlines from the reports' titles: cleaned, neutral and central to the story."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsdesk.writing.draft import SourceReport
from newsdesk.writing.similarity import (
    ENGLISH_STOPWORDS,
    TfIdf,
    Vector,
    content_tokens,
    cosine,
    is_stopword,
    normalise,
    normalise_arabic,
    word_set,
    words,
)

HEADLINE_MAX_CHARS = 110

_SUFFIX_SEPARATORS = (" | ", " - ", " \u2013 ", " — ", " :: ", " ~ ")
_SITE_SEPARATORS = (" | ", " :: ", " ~ ")  # after these a short tail is a site name
_LABEL_PREFIX = re.compile(
    r"^\s*(?:breaking(?: news)?|live(?: updates)?|update[d]?|watch|video|exclusive|"
    r"just in|developing|analysis|explainer|shocking|wow|omg|must[- ]see|"
    r"عاجل|فيديو|بالفيديو|شاهد|حصري)\s*[:|\-\u2013—]\s*",
    re.IGNORECASE,
)
_CLICKBAIT = re.compile(
    r"\b(?:shocking|shocked|you won'?t believe|you will not believe|jaw[- ]dropping|"
    r"mind[- ]blowing|unbelievable|what happened next|must[- ]see|here'?s why|here is why|"
    r"this is why|insane|epic|stunning|incredible|amazing|outrageous|horrifying|omg|"
    r"slams|destroys|goes viral)\b|لن تصدق|صادم",
    re.IGNORECASE,
)
# Short words kept lower-case inside a title-cased headline.
MINOR_WORDS = word_set(
    "a an and as at but by for from in into of on or over per the to up via vs with"
)
# Words that start a new phrase: cutting just before one leaves a complete phrase.
_PHRASE_BOUNDARIES = frozenset(
    normalise(word)
    for word in word_set(
        """
    in into of on at for with after before by from to and but or while as that which who
    whose amid over under during since until than because near across against
    في من على الى عن مع بعد قبل خلال منذ حتى ان الذي التي الذين بينما حيث وسط
    """
    )
)
_DANGLING_PUNCTUATION = " ,;:-\u2013—/(\"'“\u2018«"


def strip_outlet_suffix(title: str, outlets: Iterable[str]) -> str:
    """Remove " - Outlet" / " | Outlet" tails and labels such as "BREAKING:"."""
    title = " ".join(title.split())
    names = {normalise_arabic(name.casefold().strip()) for name in outlets if name.strip()}
    names |= {name[4:] for name in names if name.startswith("the ")}
    changed = True
    while changed:
        changed = False
        for separator in _SUFFIX_SEPARATORS:
            if separator not in title:
                continue
            head, tail = title.rsplit(separator, 1)
            tail_key = normalise_arabic(tail.casefold().strip())
            # "Meridian Post" matches "The Meridian Post"; very short tails never match.
            is_outlet = tail_key in names or (
                len(tail_key) >= 4
                and any(name and (name in tail_key or tail_key in name) for name in names)
            )
            is_site = separator in _SITE_SEPARATORS and len(words(tail)) <= 5
            if head.strip() and (is_outlet or is_site):
                title = head.strip()
                changed = True
    return _LABEL_PREFIX.sub("", title).strip()


def is_shouting(text: str) -> bool:
    cased = [c for c in text if c.isupper() or c.islower()]
    return len(cased) >= 6 and sum(c.isupper() for c in cased) > 0.7 * len(cased)


def title_case(text: str) -> str:
    """Title Case for an all-caps title; short non-words (US, UN, EU) stay acronyms."""
    result = []
    for position, word in enumerate(text.split()):
        letters = "".join(c for c in word if c.isalpha())
        lowered = word.lower()
        key = letters.lower()
        if (
            not letters
            or letters in _WORD_LIKE_ACRONYMS
            or (
                len(letters) <= 3
                and letters.isupper()
                and key not in ENGLISH_STOPWORDS
                and key not in _COMMON_SHORT
            )
        ):
            result.append(word)  # punctuation, or an acronym such as US, UN, EU
        elif position > 0 and key in MINOR_WORDS:
            result.append(lowered)
        else:
            result.append(_capitalise(lowered))
    return " ".join(result)


# Acronyms that are also English words, which the rule above would lower-case.
_WORD_LIKE_ACRONYMS = frozenset({"US", "UK"})
_COMMON_SHORT = word_set(
    """
    war new two six ten day end set key aid oil win won cut hit top big bid law fed gas
    man men job run age art car tax pay ban act fly fix far low raw due sea sky
    """
)


def _capitalise(word: str) -> str:
    for index, char in enumerate(word):
        if char.isalpha():
            return word[:index] + char.upper() + word[index + 1 :]
    return word


def is_neutral(title: str) -> bool:
    """Not a question, no exclamation, no clickbait wording, a few words at least."""
    if "?" in title or "؟" in title or title.rstrip().endswith("!"):
        return False
    return not _CLICKBAIT.search(title) and len(words(title)) >= 3


def trim_at_word(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters at a word boundary, without dangling words.

    The cut goes before a function word when one is near the limit ("... Independent
    Inquiry | into the ..."), which ends on a complete phrase more often than a plain cut.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    tokens = text.split(" ")
    fitting = 0  # how many whole tokens fit in the limit
    length = -1
    while fitting < len(tokens) and length + 1 + len(tokens[fitting]) <= limit:
        length += 1 + len(tokens[fitting])
        fitting += 1
    cut_at = fitting
    for index in range(fitting, max(2, fitting * 2 // 3) - 1, -1):
        if index < len(tokens) and (
            normalise(tokens[index]) in _PHRASE_BOUNDARIES or tokens[index - 1][-1] in ",;:"
        ):
            cut_at = index
            break
    cut = " ".join(tokens[: max(1, cut_at)]) if fitting else text[:limit]
    while True:
        cut = cut.rstrip(_DANGLING_PUNCTUATION)
        head, _, last = cut.rpartition(" ")
        if head and (is_stopword(last) or normalise(last) in MINOR_WORDS):
            cut = head
            continue
        break
    if cut.count('"') % 2:  # the closing quote was cut off: drop the opening one
        cut = "".join(cut.rsplit('"', 1))
    return cut


def clean_title(title: str, outlets: Iterable[str], limit: int) -> str:
    """A title ready for display: no outlet suffix, not shouting, within ``limit``."""
    cleaned = strip_outlet_suffix(title, outlets)
    if is_shouting(cleaned):
        cleaned = title_case(cleaned)
    return trim_at_word(cleaned, limit)


# Bonus for the newest report's title over the oldest one's (dated reports only).
RECENCY_WEIGHT = 0.08


def _time_order(reports: Sequence[SourceReport]) -> dict[int, float]:
    """Each report's place in time, 0 (oldest) to 1 (newest); 0 for all when undated."""
    dated = sorted((r for r in reports if r.published_at is not None), key=lambda r: r.published_at)  # type: ignore[arg-type, return-value]
    order = {r.id: 0.0 for r in reports}
    if len(dated) > 1:
        for position, report in enumerate(dated):
            order[report.id] = position / (len(dated) - 1)
    return order


def choose_headline(
    reports: Sequence[SourceReport], model: TfIdf, body: Vector, lede: Vector, fallback: str
) -> str:
    """The neutral title closest to the other titles, the article body and its lede.

    ``fallback`` (the lede's text) is used when no title is neutral.
    """
    outlets = [report.outlet for report in reports]
    titles = []
    recency = []
    order = _time_order(reports)
    for report in sorted(reports, key=lambda r: r.id):
        cleaned = clean_title(report.title, outlets, HEADLINE_MAX_CHARS)
        if cleaned:
            titles.append(cleaned)
            recency.append(order[report.id])
    vectors = [model.vector(content_tokens(title)) for title in titles]

    best: tuple[float, int] | None = None
    for index, title in enumerate(titles):
        if not is_neutral(title):
            continue
        others = [cosine(vectors[index], v) for j, v in enumerate(vectors) if j != index]
        # A title close to the lede names the main event, not one side of the story.
        to_article = 0.5 * cosine(vectors[index], body) + 0.5 * cosine(vectors[index], lede)
        value = 0.6 * to_article + 0.4 * (sum(others) / len(others)) if others else to_article
        # A story that has moved on is headlined with its latest development.
        value += RECENCY_WEIGHT * recency[index]
        if best is None or value > best[0]:
            best = (value, index)
    if best is not None:
        return titles[best[1]]
    return trim_at_word(fallback.rstrip(". "), HEADLINE_MAX_CHARS)
