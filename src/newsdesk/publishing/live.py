"""The publish step: make a written ArticleRevision the live Article (the cheap part).

The article's slug is chosen once, from the first published headline, and never changes; each
later revision replaces the body, refs, images and places and becomes the next entry in the
article's list of revisions. A revision older than the live one is ignored, so revisions
published out of order (several workers) end on the newest.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newsdesk.publishing.images import store_images
from newsdesk.publishing.models import (
    Article,
    ArticlePlace,
    ArticleRef,
    ArticleRevision,
    ArticleSection,
    ArticleSentence,
    SentenceSource,
)
from newsdesk.publishing.redirects import retire_article
from newsdesk.publishing.slugs import make_slug
from newsdesk.publishing.write import news_reports
from newsdesk.reports.models import Link, Report
from newsdesk.stories.models import Story
from newsdesk.tagging.places import find_places
from newsdesk.tagging.sections import classify_section
from newsdesk.writing.draft import Draft, draft_from_json

log = logging.getLogger(__name__)


def _section_hints(reports: list[Report]) -> list[str]:
    hints: list[str] = []
    for categories in Link.objects.filter(report__in=reports).values_list(
        "feed_categories", flat=True
    ):
        hints.extend(categories)
    hints.extend(report.section_hint for report in reports if report.section_hint)
    hints.extend(report.source.default_section for report in reports)
    return hints


def publish_revision(revision_id: int) -> int | None:
    """Make the revision the story's live article; return the article's id.

    None when the revision is older than the live one (ignored) or its story was merged away
    (the old article then becomes a redirect). Idempotent: publishing the live revision again
    changes nothing.
    """
    revision = ArticleRevision.objects.get(pk=revision_id)
    draft = draft_from_json(revision.body)
    reports = [r for r in news_reports(revision.story_id) if r.pk in set(revision.report_ids)]
    # The summary is part of what the article tells (it may be a sentence the body leaves out).
    body = " ".join([draft.summary, *(sentence.text for sentence in draft.sentences())])
    language = revision.language
    section = classify_section(draft.headline, body, _section_hints(reports), language)
    titles = " ".join(report.title for report in reports if report.language == language)
    places = find_places(draft.headline, f"{titles}\n{body}", language)
    with transaction.atomic():
        story = Story.objects.select_for_update().filter(pk=revision.story_id).first()
        if story is None:
            return None
        if story.merged_into_id is not None:
            retire_article(story)
            return None
        article = Article.objects.filter(story=story).first()
        if article is not None:
            if article.live_revision_id == revision.pk:
                return article.pk
            if article.story_revision >= revision.story_revision:
                log.info("revision %s is older than the live article: ignored", revision.pk)
                return None
        now = timezone.now()
        if article is None:
            article = Article(
                story=story,
                slug=make_slug(draft.headline, story.pk),
                published_at=revision.news_time,
                revision_count=0,
            )
        article.headline = draft.headline[:200]
        article.summary = draft.summary
        article.section = section
        article.language = language
        article.untranslated = revision.untranslated
        article.byline = settings.NEWSDESK_BYLINE
        article.writer = revision.writer
        article.updated_at = max(article.published_at, revision.news_time)
        article.rewritten_at = revision.created_at
        article.story_revision = revision.story_revision
        article.revision_count += 1
        article.live_revision = revision
        article.save()
        store_body(article, draft)
        store_places(article, [(p.code, p.name, p.slug) for p in places])
        store_refs(article, revision.report_ids)
        store_images(article, reports)
        ArticleRevision.objects.filter(pk=revision.pk).update(
            published_at=now, number=article.revision_count
        )
    log.info("published %s (story %s, revision %s)", article.slug, story.pk, revision.pk)
    return article.pk


def store_body(article: Article, draft: Draft) -> None:
    article.sections.all().delete()
    # A few statements per article, not one per sentence: publishing runs once per revision.
    stored = ArticleSection.objects.bulk_create(
        ArticleSection(article=article, position=position, heading=section.heading[:200])
        for position, section in enumerate(draft.sections)
    )
    sentences = [
        (
            ArticleSentence(
                section=row,
                paragraph=paragraph_index,
                position=sentence_index,
                text=sentence.text,
                rendered=sentence.render(draft.language),
                attribution=(sentence.attribution or "")[:200],
                verbatim=sentence.verbatim,
            ),
            sentence.support,
        )
        for row, section in zip(stored, draft.sections, strict=True)
        for paragraph_index, paragraph in enumerate(section.paragraphs)
        for sentence_index, sentence in enumerate(paragraph)
    ]
    rows = ArticleSentence.objects.bulk_create(row for row, _ in sentences)
    SentenceSource.objects.bulk_create(
        SentenceSource(sentence=row, report_id=s.report_id, rank=rank, start=s.start, end=s.end)
        for row, (_, support) in zip(rows, sentences, strict=True)
        for rank, s in enumerate(support)
    )


def store_places(article: Article, places: list[tuple[str, str, str]]) -> None:
    article.places.all().delete()
    ArticlePlace.objects.bulk_create(
        ArticlePlace(article=article, position=i, code=code, name=name, slug=slug)
        for i, (code, name, slug) in enumerate(places)
    )


def store_refs(article: Article, report_ids: list[int]) -> None:
    """Every report the revision was written from, copies and foreign-language ones included."""
    article.refs.all().delete()
    present = set(Report.objects.filter(pk__in=report_ids).values_list("id", flat=True))
    ArticleRef.objects.bulk_create(
        ArticleRef(article=article, report_id=report_id, position=i)
        for i, report_id in enumerate(r for r in report_ids if r in present)
    )
