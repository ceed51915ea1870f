"""Choosing the writer for a story: the model when one is configured and its article passes
the faithfulness gate, the extractive writer otherwise (and always as the fallback).

Every reason for not using the model's article is logged and returned, so that editors can
see it beside the article.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsdesk.writing.draft import Draft, SourceReport
from newsdesk.writing.writer import EXTRACTIVE, language_code, write_article

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Written:
    draft: Draft
    writer: str  # "extractive" or the model's name
    # Published in the reports' own language although the site has another.
    untranslated: bool = False
    gate: list[dict[str, Any]] = field(default_factory=list)
    fallback_reason: str = ""
    translated_from: list[str] = field(default_factory=list)


def extractive_language(reports: Sequence[SourceReport], site_language: str) -> str:
    """The site's language when any report has text in it; otherwise the story's own."""
    languages = Counter(language_code(r.language) for r in reports if r.text.strip())
    site = language_code(site_language)
    if site in languages or not languages:
        return site
    return sorted(languages.items(), key=lambda item: (-item[1], item[0]))[0][0]


def write_extractive(
    reports: Sequence[SourceReport],
    site_language: str,
    gate: list[dict[str, Any]] | None = None,
    fallback_reason: str = "",
) -> Written:
    language = extractive_language(reports, site_language)
    return Written(
        draft=write_article(reports, language),
        writer=EXTRACTIVE,
        untranslated=language != language_code(site_language),
        gate=gate or [],
        fallback_reason=fallback_reason,
    )


def compose_article(reports: Sequence[SourceReport], site_language: str) -> Written:
    """The story's article from the configured writer, or the extractive one.

    Raises ``ValueError`` when not even the extractive writer can write the story.
    """
    from newsdesk.writing.llm.config import configured_backend
    from newsdesk.writing.llm.writer import ModelArticleRejected, write_with_model

    backend = configured_backend()
    if backend is None:
        return write_extractive(reports, site_language)
    try:
        return write_with_model(reports, site_language, backend)
    except ModelArticleRejected as rejected:
        log.warning("model writer not used: %s", rejected.reason)
        return write_extractive(reports, site_language, rejected.gate, rejected.reason)
