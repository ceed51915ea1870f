"""Passages: the sentences of a story's reports, with their spans, verdicts and vectors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdesk.writing.draft import SourceReport
from newsdesk.writing.eligibility import judge
from newsdesk.writing.sentences import split_sentences
from newsdesk.writing.similarity import TfIdf, Vector, content_tokens, words


@dataclass(eq=False)  # identity semantics: passages are used as dict keys
class Passage:
    report: SourceReport
    start: int  # span in report.text, dateline already cut off
    end: int
    paragraph: int
    index: int  # sentence position in the report
    usable: bool  # may be published (see eligibility.judge)
    is_quote: bool
    is_source: bool  # from a report that may supply published sentences
    word_count: int
    tokens: list[str]
    vector: Vector = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.report.text[self.start : self.end]

    @property
    def sort_key(self) -> tuple[int, int]:
        """Deterministic tie-break: report id, then position."""
        return (self.report.id, self.index)


def build_passages(
    reports: Sequence[SourceReport], source_ids: frozenset[int]
) -> tuple[list[Passage], TfIdf]:
    """Split every report into passages and give each a tf-idf vector over the story."""
    passages: list[Passage] = []
    for report in reports:
        for span in split_sentences(report.text):
            sentence = report.text[span.start : span.end]
            verdict = judge(sentence)
            start = span.start + verdict.start_shift
            text = report.text[start : span.end]
            passages.append(
                Passage(
                    report=report,
                    start=start,
                    end=span.end,
                    paragraph=span.paragraph,
                    index=span.index,
                    usable=verdict.usable,
                    is_quote=verdict.is_quote,
                    is_source=report.id in source_ids,
                    word_count=len(words(text)),
                    tokens=content_tokens(text),
                )
            )
    model = TfIdf(passage.tokens for passage in passages)
    for passage in passages:
        passage.vector = model.vector(passage.tokens)
    return passages, model
