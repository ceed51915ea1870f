"""Entry point: write one neutral, sourced article from the reports of a story.

The writer is extractive: every body sentence is a verbatim span of a report, with the
spans of other reports that carry the same claim as further support. Nothing is
paraphrased; attribution phrases are added only when a sentence is rendered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from newsdesk.writing.attribution import names_its_source, original_report_id, single_outlet
from newsdesk.writing.claims import names, numbers
from newsdesk.writing.draft import Draft, DraftSection, DraftSentence, SourceReport, Support
from newsdesk.writing.eligibility import refers_back
from newsdesk.writing.headline import choose_headline
from newsdesk.writing.mentions import acronyms, introduced_too_late, surnames
from newsdesk.writing.passages import Passage, build_passages
from newsdesk.writing.sections import group_sections, section_headings, split_paragraphs
from newsdesk.writing.select import (
    LEDE_MAX_WORDS,
    LEDE_MIN_WORDS,
    choose_lede,
    corroborating,
    score_passages,
    select_passages,
    sentence_budget,
)
from newsdesk.writing.similarity import SimilarityIndex, centroid, content_tokens, cosine
from newsdesk.writing.superseded import superseded, superseded_title

# The name the extractive writer goes by on the page and in the revisions.
EXTRACTIVE = "extractive"
# The lede is the summary unless it is longer than any lede may be (select.LEDE_MAX_WORDS).
SUMMARY_MAX_WORDS = LEDE_MAX_WORDS
# A shorter stand-in for a long lede must be nearly as central, or the lede is kept.
SUMMARY_MIN_RELATIVE_SCORE = 0.85
# Another outlet's sentence this close to the lede tells the same event.
RETELLING_MIN_SIMILARITY = 0.3


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
    # A figure or an announcement a later report has overtaken is not news any more.
    stale = superseded(passages)
    candidates = [p for p in passages if p.is_source and p.usable and p not in stale]
    if not candidates:
        raise ValueError(
            f"cannot write an article: the {code!r} reports have no sentence that can be "
            "published on its own"
        )
    index = SimilarityIndex([p.vector for p in passages])
    scores = score_passages(passages, index)
    texts = [p.text for p in passages if p.is_source]
    people, defined = surnames(texts), acronyms(texts)
    # The lede is read first: it may not call anyone by a short form it does not introduce.
    openers = [p for p in candidates if not introduced_too_late([p.text], people, defined)]
    topic = centroid(
        model.vector(content_tokens(r.title)) for r in usable if r.id in source_ids and r.title
    )
    lede = choose_lede(openers or candidates, scores, topic)
    selected = select_passages(
        candidates, scores, lede, sentence_budget(len(source_ids), len(candidates))
    )
    groups = _introduced_in_order(selected, lede, scores, passages)
    selected = [p for group in groups for p in group]
    summary = _summary_passage(lede, selected, candidates, scores, passages)
    if summary is lede and len(selected) > 3 and len(groups[0]) > 1:
        # The summary is shown above the body: the body need not open by repeating it.
        groups[0] = groups[0][1:]
    outlet_names = {by_id[original_report_id(r, by_id)].outlet for r in source_ids}
    shown = _shown_attributions(groups, passages, index, by_id, several=len(outlet_names) > 1)

    sources = [by_id[report_id] for report_id in sorted(source_ids)]
    body = centroid(p.vector for p in selected)
    current = [r for r in sources if not superseded_title(r.title, _report_when(r), passages)]
    headline = choose_headline(current or sources, model, body, lede.vector, fallback=lede.text)
    outlets = [r.outlet for r in usable]
    headings = section_headings(groups, scores, headline, outlets, language=code, model=model)
    sections = tuple(
        DraftSection(
            heading=heading,
            paragraphs=tuple(
                tuple(shown[p] for p in paragraph) for paragraph in split_paragraphs(group)
            ),
        )
        for heading, group in zip(headings, groups, strict=True)
    )
    summary_sentence = _draft_sentence(summary, passages, index, by_id)
    if summary is not lede or (len(outlet_names) > 1 and summary_sentence.attribution is None):
        # Another outlet's telling of the lede, or a claim several outlets carry: no credit.
        summary_sentence = DraftSentence(summary_sentence.text, summary_sentence.support, None)
    return Draft(
        headline=headline,
        summary=summary_sentence.render(code),
        sections=sections,
        language=code,
        summary_source=summary_sentence,
    )


def _introduced_in_order(
    selected: list[Passage],
    lede: Passage,
    scores: dict[Passage, float],
    passages: Sequence[Passage],
) -> list[list[Passage]]:
    """Sections of the selected sentences, without those naming someone before introducing them."""
    texts = [p.text for p in passages if p.is_source]
    people, defined = surnames(texts), acronyms(texts)
    groups = group_sections(selected, lede, scores)
    for _ in range(3):
        ordered = [p for group in groups for p in group]
        late = {ordered[i] for i in introduced_too_late([p.text for p in ordered], people, defined)}
        late.discard(lede)
        if not late:
            break
        selected = [p for p in selected if p not in late]
        groups = group_sections(selected, lede, scores)
    return groups


def _shown_attributions(
    groups: list[list[Passage]],
    passages: Sequence[Passage],
    index: SimilarityIndex,
    by_id: dict[int, SourceReport],
    several: bool,
) -> dict[Passage, DraftSentence]:
    """Each sentence with the attribution a reader needs, and no more.

    A claim carried by one outlet says so ("..., according to X") when the story has several
    outlets, unless the sentence names its own source ("..., the ministry said") or the
    sentence before it in the paragraph already credits the same outlet. A story told by one
    outlet credits it once, in its first sentence.
    """
    result: dict[Passage, DraftSentence] = {}
    first = True
    for group in groups:
        for paragraph in split_paragraphs(group):
            previous: str | None = None
            for passage in paragraph:
                sentence = _draft_sentence(passage, passages, index, by_id)
                outlet = sentence.attribution
                if not several:
                    show = outlet is not None and first
                else:
                    credited = names_its_source(passage.text) or outlet == previous
                    show = outlet is not None and not credited
                # The outlet credited so far in this paragraph, while its claims go on.
                previous = outlet if show else (previous if outlet == previous else None)
                if not show:
                    sentence = DraftSentence(sentence.text, sentence.support, None)
                result[passage] = sentence
                first = False
    return result


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
    lede: Passage,
    selected: Sequence[Passage],
    candidates: Sequence[Passage],
    scores: dict[Passage, float],
    passages: Sequence[Passage],
) -> Passage:
    """The one sentence shown above the body.

    The lede (then left out of the body); when it is too long or leans on context, another
    outlet's telling of it, short and not in the body, or else a central short sentence.
    """
    chosen = set(selected)
    floor = SUMMARY_MIN_RELATIVE_SCORE * scores[lede]
    # A retelling from an earlier stage of the story ("the toll rose to nine") must not
    # contradict the body: it may state no figure the body does not.
    told = frozenset().union(*(numbers(p.text) for p in selected))
    lede_figures = numbers(lede.text)
    texts = [p.text for p in passages if p.is_source]
    people, defined = surnames(texts), acronyms(texts)

    def fits(p: Passage) -> bool:
        figures = numbers(p.text)
        if not figures <= told or introduced_too_late([p.text], people, defined):
            return False
        # An earlier telling than the lede's (the story has moved on) must not state figures
        # the lede does not: "the toll rose to 14" under a lede of 23 dead.
        return _when(p) >= _when(lede) or figures <= lede_figures

    key_names = _title_names(passages)
    retellings = [
        p
        for p in candidates
        if p not in chosen
        # It names what the story is about ("Kalin", "Sudan"), not only a detail of it.
        and (not key_names or bool(key_names & names(p.text)))
        and p.report.id != lede.report.id
        and LEDE_MIN_WORDS <= p.word_count <= SUMMARY_MAX_WORDS
        and not p.is_quote
        and not refers_back(p.text)
        and p.paragraph == 0
        and cosine(p.vector, lede.vector) >= RETELLING_MIN_SIMILARITY
        and scores[p] >= 0.7 * floor
        # A telling of the lede's event states no figure the lede does not ("Canada will
        # commit $40 million after ..." tells another event).
        and numbers(p.text) <= lede_figures
        and fits(p)
    ]
    # The lede was chosen to tell the event; another outlet's telling (often a standfirst that
    # leans on its headline: "Controllers confirm the spacecraft touched the surface") only
    # stands in for a lede that cannot be the summary.
    if lede.word_count <= SUMMARY_MAX_WORDS and not refers_back(lede.text):
        return lede
    if retellings:
        return max(retellings, key=lambda p: (scores[p], -p.report.id, -p.index))
    short = [
        p
        for p in selected
        if p.word_count <= SUMMARY_MAX_WORDS
        and not p.is_quote
        and not refers_back(p.text)
        and scores[p] >= floor
        and not introduced_too_late([p.text], people, defined)
    ]
    if not short:
        return lede
    # Opening sentences of a report summarise by design; later ones add detail.
    return max(short, key=lambda p: (p.paragraph <= 1, scores[p], -p.report.id, -p.index))


def _title_names(passages: Sequence[Passage]) -> frozenset[str]:
    """The (at most two) names most of the source reports' titles give: what the story is about."""
    titles = {p.report.id: p.report.title for p in passages if p.is_source}
    counts: Counter[str] = Counter()
    for title in titles.values():
        counts.update(names(title))
    common = [
        name
        for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if count * 2 >= len(titles) and len(titles) > 1
    ]
    return frozenset(common[:2])


def _report_when(report: SourceReport) -> float | None:
    moment = report.published_at
    return moment.timestamp() if moment is not None else None


def _when(passage: Passage) -> float:
    moment = passage.report.published_at
    return moment.timestamp() if moment is not None else 0.0
