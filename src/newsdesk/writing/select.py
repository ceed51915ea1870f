"""Choosing the sentences of the article: centrality, a lede, and MMR redundancy removal.

A sentence is central when it is close to the story as a whole (the centroid of the
reports, each report weighted equally so a long report does not drown the others) and
when other reports corroborate it. Maximal marginal relevance then picks central
sentences that add something new; near-duplicates of a chosen sentence are never
published, they become extra support for it instead (see ``corroborating``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from newsdesk.writing.claims import MONTHS
from newsdesk.writing.eligibility import refers_back
from newsdesk.writing.passages import Passage
from newsdesk.writing.similarity import SimilarityIndex, Vector, centroid, cosine

# Near-duplicates (cosine over content words >= ~0.6) are never both published. Outlets
# paraphrase each other, and paraphrases score lower than copies: from this cosine on, a
# candidate mostly restates a chosen sentence and is left out.
RESTATEMENT_THRESHOLD = 0.4
# Paraphrases that repeat the same figures ("12 million", "2023") restate the claim even
# at a lower cosine.
SAME_FIGURES_THRESHOLD = 0.15
# "percent" is left out: "84.6 percent" and "84.6%" are the same figure.
_SCALES = frozenset({"million", "billion", "trillion", "thousand"})
# Every report opens by telling the event in its own words; another report's opening
# sentence this close to the chosen lede is one more telling of it, not a new fact.
OTHER_LEDE_THRESHOLD = 0.2
# A sentence of another report at least this close carries the claim too (support).
SUPPORT_THRESHOLD = 0.5
# Trade-off between centrality and novelty in MMR.
MMR_LAMBDA = 0.7
# Small pull towards outlets not yet quoted, for coverage across outlets.
COVERAGE_BONUS = 0.05
# After the minimum length, stop at sentences much less central than the best one.
RELEVANCE_FLOOR = 0.25

# Weight of the closeness to the reports' titles in choosing the lede.
TOPIC_WEIGHT = 0.2
LEDE_MIN_WORDS = 8
LEDE_MAX_WORDS = 45
LEDE_SHORT_WORDS = 40

_CAPITALISED_INSIDE = re.compile(r"\s[A-Z][a-z]")


def sentence_budget(source_count: int, candidate_count: int) -> tuple[int, int]:
    """(minimum, maximum) number of body sentences for the material available."""
    if source_count <= 1:
        maximum = min(8, max(4, round(candidate_count * 0.75)))
        minimum = 4
    else:
        maximum = min(16, max(8, 4 + 2 * source_count))
        minimum = 6
    return min(minimum, candidate_count), min(maximum, candidate_count)


def score_passages(passages: Sequence[Passage], index: SimilarityIndex) -> dict[Passage, float]:
    """Centrality of every usable source sentence, roughly in [0, 1].

    ``index`` holds the vectors of ``passages``, in the same order.
    """
    by_report: dict[int, list[Passage]] = defaultdict(list)
    for passage in passages:
        if passage.is_source:
            by_report[passage.report.id].append(passage)
    report_centroids = [centroid(p.vector for p in group) for group in by_report.values()]
    story = centroid(report_centroids)
    multi = len(by_report) > 1

    scores: dict[Passage, float] = {}
    for passage in passages:
        if not (passage.is_source and passage.usable):
            continue
        centrality = cosine(passage.vector, story)
        # Early paragraphs carry the news in inverted-pyramid reporting.
        position = 1.0 / (1.0 + 0.25 * passage.paragraph)
        if multi:
            corroboration = _corroboration(passage, passages, index, len(by_report) - 1)
            score = 0.45 * centrality + 0.35 * corroboration + 0.2 * position
        else:
            score = 0.65 * centrality + 0.35 * position
        scores[passage] = score
    return scores


def _corroboration(
    passage: Passage, passages: Sequence[Passage], index: SimilarityIndex, other_reports: int
) -> float:
    """Mean over the other source reports of their closest sentence to ``passage``."""
    closest: dict[int, float] = {}
    for position, similarity in index.similarities(passage.vector).items():
        other = passages[position]
        report_id = other.report.id
        if other.is_source and report_id != passage.report.id:
            closest[report_id] = max(closest.get(report_id, 0.0), similarity)
    return sum(closest.values()) / other_reports


def choose_lede(
    candidates: Sequence[Passage], scores: dict[Passage, float], topic: Vector | None = None
) -> Passage:
    """The most central factual sentence that can open the article, preferably early.

    ``topic`` (the reports' titles together) says what the story is about: a lede close to
    it tells the main event, not one side of it ("Canada will commit $40 million after ...").
    """

    def lede_score(passage: Passage) -> tuple[float, int, int]:
        value = scores[passage]
        if topic:
            value += TOPIC_WEIGHT * cosine(passage.vector, topic)
        if passage.paragraph == 0:
            value += 0.15
        elif passage.paragraph == 1:
            value += 0.08
        if _CAPITALISED_INSIDE.search(passage.text):
            value += 0.03  # names a who or a where
        if passage.word_count > LEDE_SHORT_WORDS:
            # A long lede makes a poor one-sentence summary; a word or two over is no matter.
            value -= min(0.1, 0.015 * (passage.word_count - LEDE_SHORT_WORDS))
        return (value, -passage.report.id, -passage.index)

    fitting = [
        p for p in candidates if not p.is_quote and LEDE_MIN_WORDS <= p.word_count <= LEDE_MAX_WORDS
    ]
    standalone = [p for p in fitting if not refers_back(p.text)]
    return max(standalone or fitting or candidates, key=lede_score)


def select_passages(
    candidates: Sequence[Passage],
    scores: dict[Passage, float],
    lede: Passage,
    budget: tuple[int, int],
) -> list[Passage]:
    """The lede, then MMR picks until the budget (or the material) runs out."""
    minimum, maximum = budget
    top = max(scores[p] for p in candidates) or 1.0
    remaining = sorted(
        (p for p in candidates if p is not lede), key=lambda p: (-scores[p], p.sort_key)
    )
    openers = _report_openers(candidates)
    remaining = [
        p
        for p in remaining
        if not (p in openers and cosine(p.vector, lede.vector) >= OTHER_LEDE_THRESHOLD)
    ]
    selected = [lede]
    redundancy = {p: _redundancy(p, lede) for p in remaining}
    outlets = {lede.report.outlet}
    quote_cap = max(2, maximum // 3)  # an article, not a collection of quotes
    quotes = int(lede.is_quote)
    while len(selected) < maximum:
        best: Passage | None = None
        best_value = float("-inf")
        for passage in remaining:
            if redundancy[passage] >= RESTATEMENT_THRESHOLD:
                continue
            if passage.is_quote and quotes >= quote_cap:
                continue
            value = MMR_LAMBDA * scores[passage] / top - (1 - MMR_LAMBDA) * redundancy[passage]
            if passage.report.outlet not in outlets:
                value += COVERAGE_BONUS
            if value > best_value:  # strict: ties keep the earlier (higher-scored) one
                best, best_value = passage, value
        if best is None:
            break
        if len(selected) >= minimum and scores[best] < RELEVANCE_FLOOR * top:
            break
        selected.append(best)
        remaining.remove(best)
        outlets.add(best.report.outlet)
        quotes += int(best.is_quote)
        for passage in remaining:
            redundancy[passage] = max(redundancy[passage], _redundancy(passage, best))
    return selected


def _redundancy(candidate: Passage, chosen: Passage) -> float:
    """How much ``candidate`` repeats ``chosen``: their cosine, raised for same figures."""
    similarity = cosine(candidate.vector, chosen.vector)
    if similarity >= SAME_FIGURES_THRESHOLD:
        shared = _figures(candidate) & _figures(chosen)
        if len(shared) >= 2 or any(_is_telling_figure(figure) for figure in shared):
            return max(similarity, RESTATEMENT_THRESHOLD)
    return similarity


def _figures(passage: Passage) -> set[str]:
    """Numbers in the sentence, with their scale word: "12 million", "2.4", "2023"."""
    tokens = passage.tokens
    figures = set()
    for position, token in enumerate(tokens):
        if token[:1].isdigit():
            following = tokens[position + 1] if position + 1 < len(tokens) else ""
            before = tokens[position - 1] if position else ""
            if before in MONTHS:
                figures.add(f"{before} {token}")  # "April 2023", "Nov. 20": a date is specific
            elif following == "percent":
                figures.add(f"{token}%")  # a share is specific: "44 per cent" = "44%"
            else:
                figures.add(f"{token} {following}" if following in _SCALES else token)
    return figures


def _is_telling_figure(figure: str) -> bool:
    """A figure specific enough to identify a claim: not a small count or a year."""
    number = figure.split(" ")[0]
    if " " in figure or "." in number or "," in number or figure.endswith("%"):
        return True
    return number.isdigit() and int(number) >= 100 and not 1900 <= int(number) <= 2100


def _report_openers(candidates: Sequence[Passage]) -> set[Passage]:
    """The first usable sentence of each report."""
    first: dict[int, Passage] = {}
    for passage in candidates:
        current = first.get(passage.report.id)
        if current is None or passage.index < current.index:
            first[passage.report.id] = passage
    return set(first.values())


def corroborating(
    passage: Passage, passages: Sequence[Passage], index: SimilarityIndex
) -> list[Passage]:
    """For each other report, its sentence carrying the same claim (if any), by report id."""
    best: dict[int, tuple[float, Passage]] = {}
    for position, similarity in index.similarities(passage.vector).items():
        other = passages[position]
        if other.report.id == passage.report.id or similarity < SUPPORT_THRESHOLD:
            continue
        current = best.get(other.report.id)
        # Ties go to the earlier sentence, so the result does not depend on visit order.
        if current is None or (similarity, -other.index) > (current[0], -current[1].index):
            best[other.report.id] = (similarity, other)
    return [best[report_id][1] for report_id in sorted(best)]
