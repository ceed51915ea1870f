"""Entry point: write one neutral, sourced article from the reports of a story.

The writer is extractive: every body sentence is a verbatim span of a report, with the
spans of other reports that carry the same claim as further support. Nothing is
paraphrased; attribution phrases are added only when a sentence is rendered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from newsdesk.writing.attribution import single_outlet
from newsdesk.writing.draft import Draft, DraftSection, DraftSentence, SourceReport, Support
from newsdesk.writing.eligibility import refers_back
from newsdesk.writing.headline import choose_headline
from newsdesk.writing.passages import Passage, build_passages
from newsdesk.writing.sections import group_sections, section_headings, split_paragraphs
from newsdesk.writing.select import (
    LEDE_MAX_WORDS,
    choose_lede,
    corroborating,
    score_passages,
    select_passages,
    sentence_budget,
)
from newsdesk.writing.similarity import SimilarityIndex, centroid

# The name the extractive writer goes by on the page and in the revisions.
EXTRACTIVE = "extractive"
# The lede is the summary unless it is longer than any lede may be (select.LEDE_MAX_WORDS).
SUMMARY_MAX_WORDS = LEDE_MAX_WORDS
# A shorter stand-in for a long lede must be nearly as central, or the lede is kept.
SUMMARY_MIN_RELATIVE_SCORE = 0.85


def language_code(language: str) -> str:
    """Normalise a language tag: "en-GB" -> "en"."""
    return language.strip().lower().replace("_", "-").split("-")[0]


def _majority_language(reports: Sequence[SourceReport]) -> str:
    counts = Counter(language_code(r.language) for r in reports if r.text.strip())
    if not counts:
        raise ValueError("cannot write an article: no report has any text")
    # Ties go to the language of the lowest report id, for determinism.
    first_seen: dict[str, int] = {}
    for report in sorted(reports, key=lambda r: r.id):
        first_seen.setdefault(language_code(report.language), report.id)
    return min(counts, key=lambda code: (-counts[code], first_seen[code]))


def write_article(reports: Sequence[SourceReport], language: str | None = None) -> Draft:
    """Write a draft article from ``reports`` in ``language`` (default: the majority one).

    Raises ``ValueError`` when no report in that language has text that yields a
    publishable sentence.
    """
    if not reports:
        raise ValueError("cannot write an article from no reports")
    ids = [report.id for report in reports]
    if len(set(ids)) != len(ids):
        raise ValueError("report ids must be unique")
    code = language_code(language) if language else _majority_language(reports)
    usable = sorted(
        (r for r in reports if language_code(r.language) == code and r.text.strip()),
        key=lambda r: r.id,
    )
    if not usable:
        raise ValueError(f"cannot write an article: no report in language {code!r} has text")
    by_id = {report.id: report for report in usable}
    # A copy whose original is missing is the best text we have of that claim.
    source_ids = frozenset(
        r.id for r in usable if r.duplicate_of is None or r.duplicate_of not in by_id
    )

    passages, model = build_passages(usable, source_ids)
    candidates = [p for p in passages if p.is_source and p.usable]
    if not candidates:
        raise ValueError(
            f"cannot write an article: the {code!r} reports have no sentence that can be "
            "published on its own"
        )
    index = SimilarityIndex([p.vector for p in passages])
    scores = score_passages(passages, index)
    lede = choose_lede(candidates, scores)
    selected = select_passages(
        candidates, scores, lede, sentence_budget(len(source_ids), len(candidates))
    )
    sentences = {p: _draft_sentence(p, passages, index, by_id) for p in selected}

    sources = [by_id[report_id] for report_id in sorted(source_ids)]
    body = centroid(p.vector for p in selected)
    headline = choose_headline(sources, model, body, lede.vector, fallback=lede.text)
    groups = group_sections(selected, lede, scores)
    outlets = [r.outlet for r in usable]
    headings = section_headings(groups, scores, headline, outlets, language=code, model=model)
    sections = tuple(
        DraftSection(
            heading=heading,
            paragraphs=tuple(
                tuple(sentences[p] for p in paragraph) for paragraph in split_paragraphs(group)
            ),
        )
        for heading, group in zip(headings, groups, strict=True)
    )
    summary = _summary_passage(lede, selected, scores)
    return Draft(
        headline=headline,
        summary=sentences[summary].render(code),
        sections=sections,
        language=code,
    )


def _draft_sentence(
    passage: Passage,
    passages: Sequence[Passage],
    index: SimilarityIndex,
    by_id: dict[int, SourceReport],
) -> DraftSentence:
    others = corroborating(passage, passages, index)
    support = tuple(Support(p.report.id, p.start, p.end) for p in [passage, *others])
    return DraftSentence(
        text=passage.text,
        support=support,
        attribution=single_outlet((s.report_id for s in support), by_id),
    )


def _summary_passage(
    lede: Passage, selected: Sequence[Passage], scores: dict[Passage, float]
) -> Passage:
    """The lede, or the most central selected sentence short enough to summarise."""
    if lede.word_count <= SUMMARY_MAX_WORDS and not refers_back(lede.text):
        return lede
    floor = SUMMARY_MIN_RELATIVE_SCORE * scores[lede]
    short = [
        p
        for p in selected
        if p.word_count <= SUMMARY_MAX_WORDS
        and not p.is_quote
        and not refers_back(p.text)
        and scores[p] >= floor
    ]
    if not short:
        return lede
    # Opening sentences of a report summarise by design; later ones add detail.
    return max(short, key=lambda p: (p.paragraph <= 1, scores[p], -p.report.id, -p.index))
