"""Choosing the writer for a story: the model when one is configured and its article passes
the faithfulness gate, the extractive writer otherwise (and always as the fallback).

Every reason for not using the model's article is logged and returned, so that editors can
see it beside the article.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from newsdesk.writing.draft import SourceReport
from newsdesk.writing.llm.config import configured_backend
from newsdesk.writing.llm.store import DatabaseCache
from newsdesk.writing.llm.writer import ModelArticleRejected, write_with_model
from newsdesk.writing.working_set import working_set
from newsdesk.writing.writer import EXTRACTIVE, language_code, write_article
from newsdesk.writing.written import Written

log = logging.getLogger(__name__)


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
    language = extractive_language(reports, site_language)
    reports = working_set(reports, language, settings.NEWSDESK_WRITE_MAX_REPORTS)
    backend = configured_backend()
    if backend is None:
        return write_extractive(reports, site_language)
    try:
        return write_with_model(reports, site_language, backend, DatabaseCache())
    except ModelArticleRejected as rejected:
        log.warning("model writer not used: %s", rejected.reason)
        return write_extractive(reports, site_language, rejected.gate, rejected.reason)
