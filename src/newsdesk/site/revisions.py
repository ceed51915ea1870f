"""What the article page tells about how the article was made and rewritten."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsdesk.publishing.models import Article, ArticleRef, ArticleRevision

_LANGUAGE_NAMES = {"ar": "Arabic", "en": "English", "fr": "French", "de": "German", "es": "Spanish"}


def language_name(code: str) -> str:
    return _LANGUAGE_NAMES.get(code, code)


@dataclass(frozen=True)
class RevisionEntry:
    number: int
    news_time: datetime
    written_at: datetime
    writer: str
    reports: int
    outlets: int
    new_outlets: list[str]  # outlets that joined since the previous revision
    headline: str
    headline_changed: bool


@dataclass(frozen=True)
class GateSummary:
    """The faithfulness gate's decisions on the live revision, for editors."""

    kept: int
    dropped: list[dict[str, Any]]  # each: text, problems
    replaced: list[dict[str, Any]]  # headline or summary replaced: part, text, problems
    notes: list[str]  # translations and the decision on the whole article


def revision_entries(article: Article, refs: list[ArticleRef]) -> list[RevisionEntry]:
    """The article's published revisions, oldest first (1 query)."""
    revisions = ArticleRevision.objects.filter(
        story_id=article.story_id, published_at__isnull=False
    ).order_by("number", "id")
    outlet_of = {ref.report_id: ref.report.source.name for ref in refs}
    entries: list[RevisionEntry] = []
    seen: set[str] = set()
    previous_headline = ""
    for revision in revisions.only(
        "number", "news_time", "created_at", "writer", "report_ids", "outlet_count", "headline"
    ):
        names = [outlet_of[r] for r in revision.report_ids if r in outlet_of]
        outlets = list(dict.fromkeys(names))
        entries.append(
            RevisionEntry(
                number=revision.number or len(entries) + 1,
                news_time=revision.news_time,
                written_at=revision.created_at,
                writer=revision.writer,
                reports=len(revision.report_ids),
                outlets=revision.outlet_count,
                new_outlets=[name for name in outlets if name not in seen] if entries else [],
                headline=revision.headline,
                headline_changed=bool(entries) and revision.headline != previous_headline,
            )
        )
        seen.update(outlets)
        previous_headline = revision.headline
    return entries


def gate_summary(revision: ArticleRevision | None) -> GateSummary | None:
    if revision is None or not revision.gate:
        return None
    kept = 0
    dropped: list[dict[str, Any]] = []
    replaced: list[dict[str, Any]] = []
    notes: list[str] = []
    for decision in revision.gate:
        part = decision.get("part")
        if part == "sentence":
            if decision.get("kept"):
                kept += 1
            else:
                dropped.append(decision)
        elif part in ("headline", "summary", "heading") and not decision.get("kept"):
            replaced.append(decision)
        elif part in ("translation", "article"):
            problems = "; ".join(decision.get("problems") or [])
            notes.append(decision.get("text", "") + (f" ({problems})" if problems else ""))
    return GateSummary(kept=kept, dropped=dropped, replaced=replaced, notes=notes)
