"""The model writer: numbered passages in, a gated article out, or the reason it was refused.

1. The reports are read in the site's language (others translated by the same backend).
2. The most central sentences become numbered passages; the model gets those only.
3. Its JSON article goes through the faithfulness gate sentence by sentence; a sentence whose
   names, numbers, dates or quotations are not in the passages it cites is dropped.
4. Too much dropped, or any failure of the backend, refuses the article: the caller then
   publishes the extractive one, with the reason.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from newsdesk.writing.attribution import mentions_outlet, single_outlet
from newsdesk.writing.draft import Draft, DraftSection, DraftSentence, SourceReport, Support
from newsdesk.writing.gate import Verdict, check, decision
from newsdesk.writing.headline import HEADLINE_MAX_CHARS, is_neutral
from newsdesk.writing.llm.client import Budget, ModelFailure, complete_json
from newsdesk.writing.llm.config import Backend
from newsdesk.writing.llm.prompt import (
    ARTICLE_SCHEMA,
    MalformedArticle,
    ModelArticle,
    PromptPassage,
    article_messages,
    parse_article,
)
from newsdesk.writing.llm.translate import (
    MemoryCache,
    ReadableReport,
    TranslationCache,
    readable,
    translate_report,
)
from newsdesk.writing.llm.units import NoUnitKept, write_by_units
from newsdesk.writing.passages import build_passages
from newsdesk.writing.select import score_passages
from newsdesk.writing.sentences import split_sentences
from newsdesk.writing.similarity import SimilarityIndex, content_tokens
from newsdesk.writing.writer import language_code, write_article
from newsdesk.writing.written import Written

log = logging.getLogger(__name__)

# After the endpoint is found down, the next stories skip it for this long.
DOWN_COOLDOWN_S = 60.0
_down_until: dict[str, tuple[float, str]] = {}


class ModelArticleRejected(Exception):
    def __init__(self, reason: str, gate: list[dict[str, Any]]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.gate = gate


def write_with_model(
    reports: Sequence[SourceReport],
    site_language: str,
    backend: Backend,
    cache: TranslationCache | None = None,
) -> Written:
    """The model's article after the gate; raises ModelArticleRejected with the reason."""
    down = _down_until.get(backend.base_url)
    if down is not None and down[0] > time.monotonic():
        raise ModelArticleRejected(f"down: {down[1]} (not retried for a minute)", [])
    site = language_code(site_language)
    budget = Budget.for_article(backend)
    gate: list[dict[str, Any]] = []
    try:
        books = _readable_reports(reports, site, backend, budget, cache or MemoryCache(), gate)
        if not books:
            raise ModelArticleRejected("no report can be read in the site's language", gate)
        if backend.mode == "units":
            return _written_by_units(books, reports, site, backend, budget, gate)
        passages = choose_passages(books, backend.max_passages)
        system, user = article_messages(passages, site)
        data = complete_json(backend, budget, system, user, ARTICLE_SCHEMA, "article")
        article = parse_article(data, len(passages))
    except ModelFailure as failure:
        if failure.kind == "down":
            _down_until[backend.base_url] = (time.monotonic() + DOWN_COOLDOWN_S, failure.detail)
        log.warning("model %s: %s", backend.model, failure)
        raise ModelArticleRejected(str(failure), gate) from None
    except MalformedArticle as exc:
        log.warning("model %s: malformed article: %s", backend.model, exc)
        raise ModelArticleRejected(f"malformed: {exc}", gate) from None
    _down_until.pop(backend.base_url, None)
    fallback = write_article([book.report for book in books], site)
    by_id = {report.id: report for report in reports}
    draft = gated_draft(article, passages, fallback, by_id, site, gate)
    sentences = [d for d in gate if d["part"] == "sentence"]
    dropped = sum(1 for d in sentences if not d["kept"])
    kept = len(sentences) - dropped
    share = dropped / len(sentences) if sentences else 1.0
    summary = f"the gate kept {kept} of {len(sentences)} sentences"
    if kept < backend.min_sentences or share > backend.max_dropped:
        reason = f"{summary} (dropped {share:.0%}): extractive article published instead"
        gate.append({"part": "article", "text": reason, "cites": [], "kept": False, "problems": []})
        log.warning("model %s article refused: %s", backend.model, reason)
        raise ModelArticleRejected(reason, gate)
    gate.append({"part": "article", "text": summary, "cites": [], "kept": True, "problems": []})
    languages = sorted({book.original_language for book in books if book.original_language})
    return Written(draft=draft, writer=backend.model, gate=gate, translated_from=languages)


def _written_by_units(
    books: Sequence[ReadableReport],
    reports: Sequence[SourceReport],
    site: str,
    backend: Backend,
    budget: Budget,
    gate: list[dict[str, Any]],
) -> Written:
    """The article by parts (``llm.units``); ModelFailure "down" is left to the caller."""
    by_id = {report.id: report for report in reports}
    try:
        draft = write_by_units(books, by_id, site, backend, budget, gate)
    except NoUnitKept as refused:
        reason = f"{refused.reason}: extractive article published instead"
        gate.append({"part": "article", "text": reason, "cites": [], "kept": False, "problems": []})
        log.warning("model %s article refused: %s", backend.model, reason)
        raise ModelArticleRejected(reason, gate) from None
    _down_until.pop(backend.base_url, None)
    parts = [d for d in gate if d["part"] in ("headline", "summary", "paragraph")]
    kept = sum(1 for d in parts if d["kept"])
    summary = f"the gate kept {kept} of the model's {len(parts)} parts; the rest is extractive"
    gate.append({"part": "article", "text": summary, "cites": [], "kept": True, "problems": []})
    languages = sorted({book.original_language for book in books if book.original_language})
    return Written(draft=draft, writer=backend.model, gate=gate, translated_from=languages)


def _readable_reports(
    reports: Sequence[SourceReport],
    site: str,
    backend: Backend,
    budget: Budget,
    cache: TranslationCache,
    gate: list[dict[str, Any]],
) -> list[ReadableReport]:
    books = []
    for report in sorted(reports, key=lambda r: r.id):
        if not report.text.strip():
            continue
        if language_code(report.language) == site:
            books.append(ReadableReport(report))
        elif backend.translate:
            translation = translate_report(report, site, backend, budget, cache)
            books.append(readable(report, translation, site))
            gate.append(
                {
                    "part": "translation",
                    "text": f"report {report.id} ({report.outlet}) translated from "
                    f"{report.language}: {len(translation.sentences)} sentences",
                    "cites": [],
                    "kept": True,
                    "problems": [
                        f"{translation.rejected} translated sentences changed a number "
                        "and were not used"
                    ]
                    if translation.rejected
                    else [],
                }
            )
    return books


def choose_passages(books: Sequence[ReadableReport], limit: int) -> list[PromptPassage]:
    """The most central usable sentences, numbered in reading order (report, then position)."""
    source_ids = frozenset(b.report.id for b in books if b.report.duplicate_of is None) or (
        frozenset(b.report.id for b in books)
    )
    passages, _ = build_passages([b.report for b in books], source_ids)
    index = SimilarityIndex([p.vector for p in passages])
    scores = score_passages(passages, index)
    best = sorted(scores, key=lambda p: (-scores[p], p.sort_key))[:limit]
    best.sort(key=lambda p: p.sort_key)
    by_id = {b.report.id: b for b in books}
    chosen = []
    for number, passage in enumerate(best, start=1):
        book = by_id[passage.report.id]
        start, end = book.original_span(passage.start, passage.end)
        chosen.append(
            PromptPassage(
                number=number,
                report_id=passage.report.id,
                outlet=passage.report.outlet,
                start=start,
                end=end,
                text=passage.text,
                language=book.original_language or passage.report.language,
            )
        )
    return chosen


def gated_draft(
    article: ModelArticle,
    passages: Sequence[PromptPassage],
    fallback: Draft,
    reports: dict[int, SourceReport],
    language: str,
    gate: list[dict[str, Any]],
) -> Draft:
    """The model's article with every unsupported part dropped or replaced."""
    every = [p.text for p in passages]
    headline = article.headline
    verdict = check(headline, every)
    if len(headline) > HEADLINE_MAX_CHARS or not is_neutral(headline):
        verdict = Verdict((*verdict.problems, "not a neutral headline of at most 110 characters"))
    gate.append(
        decision("headline", headline, verdict, replaced_by=_unless(verdict, fallback.headline))
    )
    if not verdict.supported:
        headline = fallback.headline
    summary = article.summary
    verdict = check(summary, every)
    if len(split_sentences(summary)) != 1:
        verdict = Verdict((*verdict.problems, "not one sentence"))
    gate.append(
        decision("summary", summary, verdict, replaced_by=_unless(verdict, fallback.summary))
    )
    if not verdict.supported:
        summary = fallback.summary
    several_outlets = len({r.outlet for r in reports.values()}) > 1
    sections: list[DraftSection] = []
    for index, section in enumerate(article.sections):
        paragraphs = []
        cited_in_section: list[PromptPassage] = []
        for paragraph in section.paragraphs:
            cited = [passages[n - 1] for n in paragraph.cites]
            cited_in_section.extend(cited)
            kept = []
            for span in split_sentences(paragraph.text):
                sentence = paragraph.text[span.start : span.end]
                verdict = check(sentence, [p.text for p in cited])
                gate.append(decision("sentence", sentence, verdict, paragraph.cites, section=index))
                if verdict.supported:
                    kept.append(_sentence(sentence, cited, reports, several_outlets))
            if kept:
                paragraphs.append(tuple(kept))
        if not paragraphs:
            continue
        heading = section.heading
        verdict = check(heading, [p.text for p in cited_in_section]) if heading else Verdict()
        names_only = Verdict(tuple(p for p in verdict.problems if not p.startswith("only ")))
        gate.append(decision("heading", heading, names_only, section=index))
        if names_only.supported and heading:
            sections.append(DraftSection(heading[:200], tuple(paragraphs)))
        elif sections:  # an unsupported heading: its paragraphs join the previous section
            previous = sections[-1]
            sections[-1] = DraftSection(previous.heading, previous.paragraphs + tuple(paragraphs))
        else:
            sections.append(DraftSection("", tuple(paragraphs)))
    return Draft(headline=headline, summary=summary, sections=tuple(sections), language=language)


def _unless(verdict: Verdict, replacement: str) -> str:
    return "" if verdict.supported else replacement


def _sentence(
    text: str,
    cited: Sequence[PromptPassage],
    reports: dict[int, SourceReport],
    several_outlets: bool,
) -> DraftSentence:
    """A kept sentence, its cited passages ordered by how much of its wording they hold."""
    words = set(content_tokens(text))
    ordered = sorted(
        dict.fromkeys(cited),
        key=lambda p: (-len(words & set(content_tokens(p.text))), p.number),
    )
    support = tuple(Support(p.report_id, p.start, p.end) for p in ordered)
    outlet = single_outlet((s.report_id for s in support), reports) if several_outlets else None
    if outlet is not None and mentions_outlet(text, outlet):
        outlet = None
    return DraftSentence(text=text, support=support, attribution=outlet, verbatim=False)
