"""Grouping the chosen sentences into themed sections, ordering them, and naming them."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC

from newsdesk.writing.draft import SourceReport
from newsdesk.writing.eligibility import ARABIC_SPEECH_VERBS
from newsdesk.writing.headline import MINOR_WORDS, clean_title, is_neutral, trim_at_word
from newsdesk.writing.passages import Passage
from newsdesk.writing.similarity import (
    TfIdf,
    Vector,
    centroid,
    content_tokens,
    cosine,
    is_stopword,
    normalise,
    stem,
    word_set,
    words,
)
from newsdesk.writing.themes import assign_themes

HEADING_MAX_CHARS = 90
MIN_SENTENCES_FOR_SECTIONS = 6
MAX_SECTIONS = 4
# Headings that share this much of their content words (Jaccard, or share of the
# shorter one) with the headline or another heading count as the same heading.
HEADING_OVERLAP = 0.5
HEADING_CONTAINMENT = 0.8
# Headings cut from a sentence stay shorter than titles.
HEADING_CLAUSE_MAX_CHARS = 70

# Verbs of reaction: such sentences follow the facts they react to.
_REACTION = re.compile(
    r"\b(?:condemn|welcom|criticis|criticiz|prais|denounc|deplor|lament|applaud|"
    r"call(?:ed|s|ing)? (?:for|on))\w*",
    re.IGNORECASE,
)
_PHRASE_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_CLAUSE_SEPARATORS = (", ", "; ", ": ", " - ", " \u2014 ", "؛ ", "، ")
_CLOSING_PUNCTUATION = ".!…\"'”\u2019»)] "
# Quantity words break key phrases: "40 million crowns" should not yield "Million Crowns".
_QUANTITY_WORDS = word_set(
    """
    million millions billion billions thousand thousands hundred hundreds percent dozen
    dozens half third quarter first second last next least nearly
    """
)
# Words that open a subordinate or adverbial lead-in rather than a main clause.
_LEAD_INS = word_set(
    """
    with after before as when while since despite following speaking according although
    though if in on at by for under during once until amid without
    """
)
_TIME_LEAD_IN = re.compile(
    r"^(?:a|an|one|two|three|several|some|hours|days|weeks|months)\s+(?:\w+\s+)?"
    r"(?:day|days|hour|hours|week|weeks|month|months|year|years)\s+(?:after|before|since|later)\b",
    re.IGNORECASE,
)
_FALLBACK_HEADING = {"en": "Further Details", "ar": "تفاصيل أخرى"}


def section_count(sentence_count: int) -> int:
    if sentence_count < MIN_SENTENCES_FOR_SECTIONS:
        return 1
    return min(MAX_SECTIONS, max(2, sentence_count // 4))


def group_sections(
    selected: Sequence[Passage], lede: Passage, scores: dict[Passage, float]
) -> list[list[Passage]]:
    """Split the chosen sentences (in selection order) into sections.

    The first section tells the main event: the lede and the most central sentences.
    The rest are clustered by theme into the other sections, which follow in the order
    of their earliest-selected sentence.
    """
    count = len(selected)
    target = section_count(count)
    if target == 1:
        return [_order_within(list(selected), lede)]
    ranked = sorted((p for p in selected if p is not lede), key=lambda p: (-scores[p], p.sort_key))
    core = [lede, *ranked[: math.ceil(count / target) - 1]]
    rest = [p for p in selected if p not in core]
    rank = {passage: position for position, passage in enumerate(selected)}
    themes = sorted(_cluster(rest, target - 1), key=lambda theme: min(rank[p] for p in theme))
    return [_order_within(group, lede) for group in [core, *themes]]


def _cluster(passages: Sequence[Passage], target: int) -> list[list[Passage]]:
    """Average-linkage agglomerative clustering into ``target`` groups.

    Merges are capped in size so one broad theme cannot swallow the others and leave
    one-sentence sections; a leftover one-sentence group joins its nearest neighbour.
    """
    count = len(passages)
    cap = math.ceil(count / target) + 1
    similarity = [[cosine(a.vector, b.vector) for b in passages] for a in passages]
    clusters: list[list[int]] = [[i] for i in range(count)]
    while len(clusters) > target:
        pair = _closest_pair(clusters, similarity, cap) or _closest_pair(clusters, similarity, 0)
        assert pair is not None  # more than one cluster always has a pair
        first, second = pair
        clusters[first] = sorted(clusters[first] + clusters[second])
        del clusters[second]
    while len(clusters) > 1 and min(len(c) for c in clusters) == 1:
        lonely = next(i for i, c in enumerate(clusters) if len(c) == 1)
        nearest = max(
            (i for i in range(len(clusters)) if i != lonely),
            key=lambda i: (_linkage(clusters[lonely], clusters[i], similarity), -i),
        )
        clusters[nearest] = sorted(clusters[nearest] + clusters[lonely])
        del clusters[lonely]
    return [[passages[i] for i in cluster] for cluster in clusters]


def _linkage(a: list[int], b: list[int], similarity: list[list[float]]) -> float:
    return sum(similarity[i][j] for i in a for j in b) / (len(a) * len(b))


def _closest_pair(
    clusters: list[list[int]], similarity: list[list[float]], cap: int
) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    best_value = float("-inf")
    for i in range(len(clusters)):
        for j in range(i + 1, len(clusters)):
            if cap and len(clusters[i]) + len(clusters[j]) > cap:
                continue
            value = _linkage(clusters[i], clusters[j], similarity)
            if value > best_value:
                best, best_value = (i, j), value
    return best


def _timestamp(report: SourceReport) -> float:
    if report.published_at is None:
        return math.inf  # undated reports after dated ones
    moment = report.published_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def is_reaction(passage: Passage) -> bool:
    return passage.is_quote or bool(_REACTION.search(passage.text))


# Sentences of background (what happens every year, what led here): after the news.
_BACKGROUND = re.compile(
    r"\b(?:a year|each year|every year|since (?:\w+ )?\d{4}|began in|broke out in"
    r"|in (?:19|20)\d\d|previous|decades?|history)\b",
    re.IGNORECASE,
)


def is_background(passage: Passage) -> bool:
    return bool(_BACKGROUND.search(passage.text))


def _order_within(passages: list[Passage], lede: Passage) -> list[Passage]:
    """Lede first; then facts, reactions and background, each in the order reported."""

    def key(passage: Passage) -> tuple[bool, bool, bool, float, int, int]:
        return (
            passage is not lede,
            is_background(passage) and passage is not lede,
            is_reaction(passage),
            _timestamp(passage.report),
            passage.report.id,
            passage.index,
        )

    return sorted(passages, key=key)


def paragraph_sizes(count: int) -> list[int]:
    """Split ``count`` sentences into paragraphs of 2-3 (1 only when count is 1)."""
    if count <= 3:
        return [count] if count else []
    paragraphs = math.ceil(count / 3)
    base, extra = divmod(count, paragraphs)
    return [base + 1 if i < extra else base for i in range(paragraphs)]


def split_paragraphs(passages: Sequence[Passage]) -> list[list[Passage]]:
    result: list[list[Passage]] = []
    position = 0
    for size in paragraph_sizes(len(passages)):
        result.append(list(passages[position : position + size]))
        position += size
    return result


def _heading_key(text: str) -> frozenset[str]:
    tokens = content_tokens(text)
    return frozenset(tokens) if tokens else frozenset({normalise(text)})


def _too_close(candidate: str, taken: list[str]) -> bool:
    """Whether ``candidate`` repeats the headline or a heading in other words."""
    key = _heading_key(candidate)
    for other in taken:
        other_key = _heading_key(other)
        shared = len(key & other_key)
        if (
            shared / len(key | other_key) >= HEADING_OVERLAP
            or shared / min(len(key), len(other_key)) >= HEADING_CONTAINMENT
        ):
            return True
    return False


def section_headings(
    sections: Sequence[Sequence[Passage]],
    scores: dict[Passage, float],
    headline: str,
    outlets: Sequence[str],
    language: str,
    model: TfIdf,
) -> list[str]:
    """One heading per section, from the title of the report that contributes most to it.

    Falls back to the next contributing report's title, then to the main clause of the
    section's most central sentence, then to a key phrase, so that no heading repeats
    the headline or another heading.
    """
    taken = [headline]
    headings = []
    centroids = [centroid(p.vector for p in section) for section in sections]
    themes = (
        assign_themes([[p.text for p in section] for section in sections], taken)
        if language == "en"
        else [None] * len(sections)
    )
    for index, section in enumerate(sections):
        others = centroids[:index] + centroids[index + 1 :]
        themed = themes[index]
        if index == 0 and language == "en" and not themed:
            # The opening section tells the main event under the headline: a title or a
            # clause over it would read as a second headline. Papers leave it unheaded.
            headings.append("")
            continue
        heading = (
            themed
            or _title_heading(section, scores, outlets, taken, model, centroids[index], others)
            or _clause_heading(section, scores, language, taken)
            or _phrase_heading(section, language, taken)
        )
        taken.append(heading)
        headings.append(heading)
    return headings


def _title_heading(
    section: Sequence[Passage],
    scores: dict[Passage, float],
    outlets: Sequence[str],
    taken: list[str],
    model: TfIdf,
    own: Vector,
    others: Sequence[Vector],
) -> str | None:
    """The title of a contributing report, if it is about this section more than others."""
    count: Counter[int] = Counter()
    weight: defaultdict[int, float] = defaultdict(float)
    reports: dict[int, SourceReport] = {}
    for passage in section:
        report_id = passage.report.id
        count[report_id] += 1
        weight[report_id] += scores.get(passage, 0.0)
        reports[report_id] = passage.report
    for report_id in sorted(reports, key=lambda r: (-count[r], -weight[r], r)):
        title = clean_title(reports[report_id].title, outlets, HEADING_MAX_CHARS)
        if not title or not is_neutral(title) or _too_close(title, taken):
            continue
        if any(c.isdigit() for c in title):
            continue  # a title's figure may be one a later report overtook
        vector = model.vector(content_tokens(title))
        fit = cosine(vector, own)
        if fit > 0.0 and all(fit >= cosine(vector, other) for other in others):
            return title
    return None


def _clause_heading(
    section: Sequence[Passage], scores: dict[Passage, float], language: str, taken: list[str]
) -> str | None:
    """A headline-style heading cut from the first clause of a central sentence."""
    for passage in sorted(section, key=lambda p: (-scores.get(p, 0.0), p.sort_key)):
        if passage.is_quote:
            continue
        opening = words(passage.text)[:1]
        if language == "en" and opening and opening[0].lower() in _LEAD_INS:
            continue  # "With all polling stations counted" is no heading
        if language == "en" and _TIME_LEAD_IN.match(passage.text):
            continue  # "A day after Typhoon Kalin crashed into ..." neither
        if is_background(passage):
            continue  # "The Philippines is hit by about 20 typhoons a year" names no section
        clause = _first_clause(passage.text, language)
        if "," in clause or "\u060c" in clause or _was_cut(clause, passage.text):
            # A clause cut to length loses its verb ("The Armed Forces and the ..."); one with
            # a comma is an appositive or a list ("Ramon Esguerra, a spokesman for ...").
            continue
        if language == "en" and re.search(r",\s+(?:who|which|where|whose)\b", clause):
            continue
        if len(words(clause)) < 3:
            continue
        if language == "en":
            clause = _title_case_words(clause)
        if not _too_close(clause, taken):
            return clause
    return None


def _was_cut(clause: str, sentence: str) -> bool:
    """Whether the heading is a clause trimmed to length, not a whole clause of the sentence."""
    whole = " ".join(sentence.split()).rstrip(_CLOSING_PUNCTUATION)
    rest = whole[len(clause) :] if whole.startswith(clause) else ""
    return (
        bool(rest)
        and not rest.lstrip().startswith(tuple(s.strip() for s in _CLAUSE_SEPARATORS))
        and rest[:1] not in ",;:"
    )


def _first_clause(sentence: str, language: str) -> str:
    text = sentence.rstrip(_CLOSING_PUNCTUATION)
    # Cut at the first clause break that leaves at least four words.
    breaks = sorted(
        match.start()
        for separator in _CLAUSE_SEPARATORS
        for match in re.finditer(re.escape(separator), text)
    )
    for position in breaks:
        if len(words(text[:position])) >= 4:
            text = text[:position]
            break
    if language == "ar":
        first, _, rest = text.partition(" ")
        if rest and _starts_with_conjunction(first):
            text = f"{first[1:]} {rest}"  # "وقال الوزير" -> "قال الوزير": no leading "and"
    return trim_at_word(text, HEADING_CLAUSE_MAX_CHARS)


def _starts_with_conjunction(word: str) -> bool:
    """Whether an Arabic word is "and" + verb ("وقال", "وتسبب"), not a noun ("وزير")."""
    if not word.startswith("و") or len(word) < 4:
        return False
    # Imperfect and first-person prefixes after "و" mark a verb; speech verbs are listed.
    return normalise(word) in ARABIC_SPEECH_VERBS or word[1] in "تيأن"


def _title_case_words(text: str) -> str:
    result = []
    for position, word in enumerate(text.split()):
        if position > 0 and word.lower() in MINOR_WORDS:
            result.append(word.lower())
        else:
            result.append(word[:1].upper() + word[1:])
    return " ".join(result)


def _phrase_heading(section: Sequence[Passage], language: str, taken: list[str]) -> str:
    """The section's strongest run of 2-3 content words, with capitalised initials."""
    weights: defaultdict[str, float] = defaultdict(float)
    for passage in section:
        for term, value in passage.vector.items():
            weights[term] += value
    phrases: dict[str, float] = {}
    for passage in section:
        for run in _content_runs(passage.text):
            for size in (3, 2):
                for start in range(len(run) - size + 1):
                    window = run[start : start + size]
                    value = sum(weights.get(stem(normalise(word)), 0.0) for word in window)
                    value *= _phrase_shape(window, language) / math.sqrt(size)
                    phrase = " ".join(window)
                    phrases[phrase] = max(phrases.get(phrase, 0.0), value)
    for phrase, _ in sorted(phrases.items(), key=lambda item: (-item[1], item[0])):
        # Capitalise initials only: keeps acronyms ("NATO") and suits scripts without case.
        heading = " ".join(word[:1].upper() + word[1:] for word in phrase.split())
        if not _too_close(heading, taken):
            return heading
    fallback = _FALLBACK_HEADING.get(language, _FALLBACK_HEADING["en"])
    suffix = 2
    heading = fallback
    while heading in taken:
        heading = f"{fallback} {suffix}"
        suffix += 1
    return heading


def _phrase_shape(window: list[str], language: str) -> float:
    """Prefer noun-like phrases without a tagger: names yes, dangling verbs and adverbs no."""
    if language != "en":
        return 1.0
    factor = 1.0 + 0.15 * sum(word[:1].isupper() for word in window)
    last = window[-1].lower()
    if last.endswith(("ing", "ed", "ly")) or window[0].lower().endswith("ly"):
        factor *= 0.5
    return factor


def _content_runs(text: str) -> list[list[str]]:
    """Maximal runs of adjacent content words not broken by punctuation or stopwords."""
    runs: list[list[str]] = []
    current: list[str] = []
    previous_end = 0
    for match in _PHRASE_WORD.finditer(text):
        word = match.group()
        breaks = is_stopword(word) or word.isdigit() or word.lower() in _QUANTITY_WORDS
        if breaks or text[previous_end : match.start()].strip():
            if len(current) >= 2:
                runs.append(current)
            current = []
        if not breaks:
            current.append(word)
        previous_end = match.end()
    if len(current) >= 2:
        runs.append(current)
    return runs
