"""The model writer by parts (NEWSDESK_LLM_MODE=units): small asks, each gated on its own.

A small model cannot write a whole sourced article in one JSON answer, but it can restate a
few given sentences. So the extractive article is written first, and the model is asked for
its parts one at a time: the headline and the summary from the lede's section, then one
paragraph at a time from that paragraph's own sentences. Each answer is plain text (no JSON
grammar, which costs a small model many times its plain generation), and goes through the
faithfulness gate against exactly the passages it was given. A part that fails the gate, or
that the backend does not deliver, keeps its extractive text; the decision is logged.

The article is the model's when at least one part is; when none is, it is refused and the
caller publishes the extractive article with the reason.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsdesk.writing.attribution import mentions_outlet, names_its_source, single_outlet
from newsdesk.writing.claims import claims
from newsdesk.writing.draft import Draft, DraftSection, DraftSentence, SourceReport, Support
from newsdesk.writing.eligibility import judge, refers_back
from newsdesk.writing.gate import Verdict, check, decision
from newsdesk.writing.headline import HEADLINE_MAX_CHARS, is_neutral, is_shouting
from newsdesk.writing.llm.client import Budget, ModelFailure, complete_text, continue_prompt
from newsdesk.writing.llm.config import Backend
from newsdesk.writing.llm.prompt import LANGUAGE_NAMES
from newsdesk.writing.llm.translate import ReadableReport
from newsdesk.writing.sentences import split_sentences
from newsdesk.writing.similarity import content_tokens
from newsdesk.writing.writer import write_article

log = logging.getLogger(__name__)

# A restatement may be shorter than its sources, not a different length class altogether.
MAX_LENGTH_RATIO = 1.5
# A sentence of the model is supported by the given passages it shares this many content
# words with (or any name or number); the gate then checks it against those alone.
MIN_SHARED_WORDS = 2
_LABEL = re.compile(r"^\s*(?:headline|title|summary|paragraph|answer|text)\s*:\s*", re.I)


# For base models (prompt_style "completion"): a worked example the model continues. The
# example's story is invented and shares no name or number with any report, so an answer
# that copies it fails the gate.
_EXAMPLE_NEWS = (
    "News: Floods hit the town of Tarvi in Norland on Monday after three days of rain. Two "
    "people died and 400 were moved to shelters, the mayor said."
)
EXAMPLES = {
    "headline": f"{_EXAMPLE_NEWS}\nHeadline: Floods in Norland town of Tarvi kill two",
    "summary": f"{_EXAMPLE_NEWS}\nIn one sentence: Floods in Tarvi killed two people on Monday "
    "and forced 400 from their homes, the mayor said.",
    "paragraph": f"{_EXAMPLE_NEWS}\nRewritten: After three days of rain, floods hit the Norland "
    "town of Tarvi on Monday. Two people died, the mayor said, and 400 were moved to shelters.",
}
CUES = {"headline": "Headline", "summary": "In one sentence", "paragraph": "Rewritten"}
_MARKUP = re.compile(r"^[#*\-\s]+|\*\*")


def _whole_sentences(answer: str, part: str) -> str:
    """The answer without markup, and without a last sentence cut off by the token limit."""
    answer = _MARKUP.sub("", answer).strip()
    if part == "headline":
        return answer
    spans = split_sentences(answer)
    while spans and not re.search(r"[.!?\"'”’)]$", answer[spans[-1].start : spans[-1].end]):
        spans.pop()
    return answer[: spans[-1].end] if spans else ""


class NoUnitKept(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Source:
    """One sentence the model is given: what it reads, and the original span behind it."""

    text: str
    report_id: int
    start: int
    end: int


def write_by_units(
    books: Sequence[ReadableReport],
    reports: dict[int, SourceReport],
    site: str,
    backend: Backend,
    budget: Budget,
    gate: list[dict[str, Any]],
) -> Draft:
    """The extractive article with each part the model restated faithfully in its place.

    Raises ``NoUnitKept`` when no part of the model's survives, and lets a ``ModelFailure``
    of kind "down" through (nothing more can be asked).
    """
    by_id = {book.report.id: book for book in books}
    extractive = write_article([book.report for book in books], site)
    several = len({r.outlet for r in reports.values()}) > 1
    language = LANGUAGE_NAMES.get(site, site)
    kept_units = 0
    asked = 0

    def ask(part: str, system: str, sources: Sequence[Source], limit: int) -> str | None:
        nonlocal asked
        if asked >= backend.max_units:
            return None
        asked += 1
        try:
            if backend.prompt_style == "completion":
                news = " ".join(source.text for source in sources)
                prompt = f"{EXAMPLES[part]}\n\nNews: {news}\n{CUES[part]}:"
                answer = continue_prompt(backend, budget, prompt, part, limit, ["\n"])
            else:
                lines = "\n".join(f"- {source.text}" for source in sources)
                user = f"Sentences:\n{lines}"
                answer = complete_text(backend, budget, system, user, part, limit)
        except ModelFailure as failure:
            if failure.kind == "down":
                raise
            gate.append(
                {"part": part, "text": "", "cites": [], "kept": False, "problems": [str(failure)]}
            )
            log.info("model %s, %s: %s", backend.model, part, failure)
            return None
        return _whole_sentences(_LABEL.sub("", " ".join(answer.split())).strip(), part)

    first = extractive.sections[0].paragraphs if extractive.sections else ()
    opening = [s for paragraph in first for s in paragraph]
    if extractive.summary_source is not None:
        opening.insert(0, extractive.summary_source)
    opening = opening[:3]
    opening_sources = [_source(s, by_id) for s in opening]
    headline = extractive.headline
    if opening_sources:
        answer = ask(
            "headline",
            f"Write a short, neutral news headline in {language} for the event these "
            "sentences report. Use only their facts, names and numbers. No question, no "
            "quotation. Answer with the headline only.",
            opening_sources[:2],
            40,
        )
        if answer is not None:
            answer = answer.strip("\"'“”").rstrip(".")
            verdict = check(answer, [s.text for s in opening_sources[:2]])
            problems = list(verdict.problems)
            if len(answer) > HEADLINE_MAX_CHARS or not is_neutral(answer) or is_shouting(answer):
                problems.append("not a neutral headline of at most 110 characters")
            verdict = Verdict(tuple(problems))
            gate.append(
                decision(
                    "headline",
                    answer,
                    verdict,
                    replaced_by="" if verdict.supported else extractive.headline,
                )
            )
            if verdict.supported:
                headline, kept_units = answer, kept_units + 1

    summary = extractive.summary
    if opening_sources:
        answer = ask(
            "summary",
            f"Write one sentence in {language} that tells the main event these sentences "
            "report: who did what, where and when. Use only their facts, names and numbers. "
            "Answer with the sentence only.",
            opening_sources,
            80,
        )
        if answer is not None:
            supporting = _supporting(answer, opening_sources)
            verdict = _whole_sentence_verdict(answer, [s.text for s in supporting])
            if any(source.text == answer for source in opening_sources):
                verdict = Verdict((*verdict.problems, "a source sentence unchanged"))
            gate.append(
                decision(
                    "summary",
                    answer,
                    verdict,
                    replaced_by="" if verdict.supported else extractive.summary,
                )
            )
            if verdict.supported:
                shown = _model_sentence(answer, supporting, reports, several)
                summary, kept_units = shown.render(site), kept_units + 1

    sections = []
    for section_index, section in enumerate(extractive.sections):
        paragraphs = []
        for paragraph in section.paragraphs:
            sources = [_source(s, by_id) for s in paragraph]
            rewritten: tuple[DraftSentence, ...] | None = None
            # One sentence cannot be restated in fewer words without losing some of it.
            if len(paragraph) > 1:
                original = " ".join(s.text for s in sources)
                answer = ask(
                    "paragraph",
                    f"Rewrite these sentences as one short news paragraph in {language}. "
                    "Use only their facts, names and numbers; add nothing. Keep every "
                    "quotation word for word with the name of who said it. Answer with the "
                    "paragraph only.",
                    sources,
                    min(backend.max_tokens, 40 + len(original) // 3),
                )
                if answer is not None:
                    rewritten = _gated_paragraph(
                        answer, sources, original, reports, several, gate, section_index
                    )
            if rewritten is None:
                paragraphs.append(paragraph)
            else:
                paragraphs.append(rewritten)
                kept_units += 1
        sections.append(DraftSection(section.heading, tuple(paragraphs)))
    if not kept_units:
        raise NoUnitKept(f"the gate kept none of the model's {asked} parts")
    return Draft(headline=headline, summary=summary, sections=tuple(sections), language=site)


def _source(sentence: DraftSentence, books: dict[int, ReadableReport]) -> Source:
    """The extractive sentence as the model reads it, with its span in the original report."""
    primary = sentence.support[0]
    book = books[primary.report_id]
    start, end = book.original_span(primary.start, primary.end)
    return Source(sentence.text, primary.report_id, start, end)


def _whole_sentence_verdict(text: str, passages: Sequence[str]) -> Verdict:
    problems = list(check(text, passages).problems)
    if len(split_sentences(text)) != 1:
        problems.append("not one sentence")
    problems.extend(_standalone_problems(text))
    return Verdict(tuple(problems))


def _standalone_problems(text: str, opens: bool = True) -> list[str]:
    """What makes a sentence unfit to publish (a fragment, a quote without its speaker, and
    when it ``opens`` a paragraph, a dangling "However" or "The move")."""
    verdict = judge(text)
    problems = []
    fine = {"too long"} if opens else {"too long", "depends on an earlier sentence"}
    if not verdict.usable and verdict.reason not in fine:
        problems.append(f"not publishable on its own: {verdict.reason}")
    if verdict.start_shift:
        problems.append("opens with a dateline")
    return problems


def _gated_paragraph(
    answer: str,
    sources: Sequence[Source],
    original: str,
    reports: dict[int, SourceReport],
    several: bool,
    gate: list[dict[str, Any]],
    section: int,
) -> tuple[DraftSentence, ...] | None:
    """The model's paragraph when every sentence of it passes the gate, else None."""
    spans = split_sentences(answer)
    texts = [answer[span.start : span.end] for span in spans]
    problems_by_sentence: list[list[str]] = []
    kept: list[DraftSentence] = []
    for position, text in enumerate(texts):
        supporting = _supporting(text, sources)
        problems = list(check(text, [s.text for s in supporting]).problems)
        problems.extend(_standalone_problems(text, opens=position == 0))
        if position == 0 and refers_back(text):
            problems.append("opens the paragraph by referring back")
        problems_by_sentence.append(problems)
        if not problems:
            kept.append(_model_sentence(text, supporting, reports, several))
    whole: list[str] = []
    if not texts:
        whole.append("empty answer")
    elif len(answer) > MAX_LENGTH_RATIO * len(original):
        whole.append("longer than the sentences it restates")
    elif answer.casefold() == original.casefold():
        whole.append("the sentences unchanged")
    accepted = not whole and all(not p for p in problems_by_sentence)
    for text, problems in zip(texts, problems_by_sentence, strict=True):
        gate.append(
            decision(
                "sentence",
                text,
                Verdict(tuple(problems or ([] if accepted else ["its paragraph was not used"]))),
                section=section,
            )
        )
    gate.append(
        decision(
            "paragraph",
            answer,
            Verdict(tuple(whole) if whole else (() if accepted else ("a sentence failed",))),
            section=section,
            replaced_by="" if accepted else original,
        )
    )
    return tuple(kept) if accepted else None


def _supporting(text: str, sources: Sequence[Source]) -> list[Source]:
    """The given sentences that a model sentence draws on, most wording first."""
    found = claims(text)
    words = set(content_tokens(text))
    scored: list[tuple[int, int, Source]] = []
    for source in sources:
        shared = len(words & set(content_tokens(source.text)))
        source_claims = claims(source.text)
        if (
            shared >= MIN_SHARED_WORDS
            or found.names & source_claims.names
            or found.numbers & source_claims.numbers
        ):
            scored.append((-shared, len(scored), source))
    return [source for _, _, source in sorted(scored, key=lambda item: item[:2])]


def _model_sentence(
    text: str, supporting: Sequence[Source], reports: dict[int, SourceReport], several: bool
) -> DraftSentence:
    copied = [s for s in supporting if s.text == text]
    if copied:
        # The model copied a source sentence: that is a verbatim span, and shown as one.
        supporting = [*copied, *(s for s in supporting if s not in copied)]
    support = tuple(Support(s.report_id, s.start, s.end) for s in supporting)
    outlet = single_outlet((s.report_id for s in support), reports) if several else None
    if outlet is not None and (mentions_outlet(text, outlet) or names_its_source(text)):
        outlet = None
    return DraftSentence(text=text, support=support, attribution=outlet, verbatim=bool(copied))
