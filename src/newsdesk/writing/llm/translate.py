"""Reports in another language than the site's, translated sentence by sentence by the backend.

Each translated sentence keeps the span of its original, so what the model later writes from
it still points at the original words. A translation whose numbers differ from the original's
is thrown away: the model would otherwise be checked against its own mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from newsdesk.writing.claims import numbers
from newsdesk.writing.draft import SourceReport
from newsdesk.writing.llm.client import Budget, ModelFailure, complete_json
from newsdesk.writing.llm.config import Backend
from newsdesk.writing.llm.prompt import LANGUAGE_NAMES
from newsdesk.writing.sentences import split_sentences

# Sentences translated per report: the opening of a report carries its news.
MAX_SENTENCES = 24

TRANSLATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "translations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"n": {"type": "integer"}, "text": {"type": "string"}},
                "required": ["n", "text"],
            },
        },
    },
    "required": ["title", "translations"],
}


@dataclass(frozen=True)
class TranslatedSentence:
    start: int  # span in the original report's text
    end: int
    text: str  # the translation


@dataclass(frozen=True)
class Translation:
    title: str
    sentences: tuple[TranslatedSentence, ...]
    rejected: int  # sentences whose translation changed a number


class TranslationCache(Protocol):
    def get(self, report_id: int, language: str, model: str) -> Translation | None: ...

    def put(
        self, report: SourceReport, language: str, model: str, translation: Translation
    ) -> None: ...


class MemoryCache:
    def __init__(self) -> None:
        self._items: dict[tuple[int, str, str], Translation] = {}

    def get(self, report_id: int, language: str, model: str) -> Translation | None:
        return self._items.get((report_id, language, model))

    def put(
        self, report: SourceReport, language: str, model: str, translation: Translation
    ) -> None:
        self._items[(report.id, language, model)] = translation


def translate_report(
    report: SourceReport,
    language: str,
    backend: Backend,
    budget: Budget,
    cache: TranslationCache,
) -> Translation:
    """The report's title and opening sentences in ``language`` (cached per report and model)."""
    cached = cache.get(report.id, language, backend.model)
    if cached is not None:
        return cached
    spans = split_sentences(report.text)[:MAX_SENTENCES]
    source = LANGUAGE_NAMES.get(report.language, report.language)
    target = LANGUAGE_NAMES.get(language, language)
    system = (
        f"Translate a news report from {source} into {target}. Translate the title and each "
        "numbered sentence faithfully and completely; keep every name, number and date; "
        "translate quotations faithfully and keep them in quotation marks; add nothing. "
        'Answer with JSON only: {"title": "...", "translations": [{"n": 1, "text": "..."}]}'
    )
    lines = [f"[{i}] {report.text[s.start : s.end]}" for i, s in enumerate(spans, start=1)]
    user = f"Title: {report.title}\n" + "\n".join(lines)
    data = complete_json(backend, budget, system, user, TRANSLATION_SCHEMA, "translation")
    translation = _read(data, report, spans)
    cache.put(report, language, backend.model, translation)
    return translation


def _read(data: Any, report: SourceReport, spans: Sequence[Any]) -> Translation:
    if not isinstance(data, dict) or not isinstance(data.get("translations"), list):
        raise ModelFailure("malformed", "the translation has no 'translations' list")
    by_number: dict[int, str] = {}
    for item in data["translations"]:
        if isinstance(item, dict) and isinstance(item.get("n"), int):
            text = item.get("text")
            if isinstance(text, str) and text.strip():
                by_number.setdefault(item["n"], " ".join(text.split()))
    sentences = []
    rejected = 0
    for number, span in enumerate(spans, start=1):
        text = by_number.get(number)
        if text is None:
            continue
        if numbers(text) != numbers(report.text[span.start : span.end]):
            rejected += 1
            continue
        sentences.append(TranslatedSentence(span.start, span.end, text))
    if not sentences:
        raise ModelFailure("malformed", "the translation kept no sentence of the report")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        title = sentences[0].text
    return Translation(" ".join(title.split()), tuple(sentences), rejected)


@dataclass(frozen=True)
class ReadableReport:
    """A report as the writer reads it: its own text, or the translation's lines."""

    report: SourceReport  # text: the original, or one translated sentence per line
    # For a translation: each line's span in ``report.text`` and its original span.
    lines: tuple[tuple[int, int, int, int], ...] = ()
    original_language: str = ""

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original words behind ``report.text[start:end]``."""
        if not self.lines:
            return start, end
        for line_start, line_end, original_start, original_end in self.lines:
            if line_start <= start < line_end or start == line_end:
                return original_start, original_end
        return self.lines[0][2], self.lines[0][3]


def readable(report: SourceReport, translation: Translation, language: str) -> ReadableReport:
    text_lines = []
    lines = []
    offset = 0
    for sentence in translation.sentences:
        text_lines.append(sentence.text)
        lines.append((offset, offset + len(sentence.text), sentence.start, sentence.end))
        offset += len(sentence.text) + 1
    pseudo = SourceReport(
        id=report.id,
        outlet=report.outlet,
        title=translation.title,
        text="\n".join(text_lines),
        published_at=report.published_at,
        language=language,
        duplicate_of=report.duplicate_of,
    )
    return ReadableReport(pseudo, tuple(lines), report.language)
