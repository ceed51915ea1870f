"""Stage 7, publish: write, tag and store a story's article; rewrite it when the story changes."""

from __future__ import annotations

import logging
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newsdesk.publishing.models import (
    Article,
    ArticleImage,
    ArticlePlace,
    ArticleRef,
    ArticleSection,
    ArticleSentence,
    SentenceSource,
)
from newsdesk.publishing.redirects import retire_article
from newsdesk.publishing.slugs import make_slug
from newsdesk.reports.models import Link, Report, ReportImage
from newsdesk.stories.models import Story
from newsdesk.tagging.places import find_places
from newsdesk.tagging.sections import classify_section
from newsdesk.writing.draft import Draft, SourceReport
from newsdesk.writing.writer import write_article

log = logging.getLogger(__name__)

MAX_IMAGES = 4


def independent_outlets(reports: list[Report]) -> int:
    """Outlets that reported on their own: a syndicated copy adds no outlet."""
    return len({report.source_id for report in reports if report.duplicate_of_id is None})


def is_publishable(reports: list[Report]) -> bool:
    return (
        len(reports) >= settings.NEWSDESK_PUBLISH_MIN_REPORTS
        and independent_outlets(reports) >= settings.NEWSDESK_PUBLISH_MIN_OUTLETS
    )


def choose_language(reports: list[Report]) -> str:
    """The site's language when any report has it; otherwise the story's own language."""
    languages = Counter(report.language or "en" for report in reports)
    site = settings.NEWSDESK_SITE_LANGUAGE
    return (
        site if site in languages else sorted(languages.items(), key=lambda i: (-i[1], i[0]))[0][0]
    )


def source_reports(reports: list[Report]) -> list[SourceReport]:
    return [
        SourceReport(
            id=report.pk,
            outlet=report.source.name,
            title=report.title,
            text=report.text,
            published_at=report.when,
            language=report.language or "en",
            duplicate_of=report.duplicate_of_id,
        )
        for report in reports
    ]


def _section_hints(reports: list[Report]) -> list[str]:
    hints: list[str] = []
    for categories in Link.objects.filter(report__in=reports).values_list(
        "feed_categories", flat=True
    ):
        hints.extend(categories)
    hints.extend(report.section_hint for report in reports if report.section_hint)
    hints.extend(report.source.default_section for report in reports)
    return hints


def publish_story(story_id: int) -> Article | None:
    """Publish or refresh the story's article. Idempotent: an unchanged story is left alone.

    A story merged into another is never written: its article, if any, is retired to a
    redirect to the surviving story's (publishing.redirects).
    """
    story = Story.objects.get(pk=story_id)
    if story.merged_into_id is not None:
        retire_article(story)
        return None
    reports = list(
        Report.objects.filter(story=story, kind=Report.Kind.NEWS)
        .select_related("source")
        .order_by("published_at", "id")
    )
    if not reports or not is_publishable(reports):
        _hold(story, "below the publishing threshold")
        return None
    current = Article.objects.filter(story=story).first()
    if current is not None and current.story_revision == story.revision:
        return current
    language = choose_language(reports)
    try:
        draft = write_article(source_reports(reports), language)
    except ValueError as exc:
        _hold(story, str(exc))
        log.warning("story %s not published: %s", story.pk, exc)
        return None
    body = " ".join(sentence.text for sentence in draft.sentences())
    section = classify_section(draft.headline, body, _section_hints(reports), language)
    titles = " ".join(report.title for report in reports if report.language == language)
    places = find_places(draft.headline, f"{titles}\n{body}", language)
    with transaction.atomic():
        locked = Story.objects.select_for_update().filter(pk=story.pk).first()
        if locked is None:
            return None
        if locked.merged_into_id is not None:
            # Merged while the article was being written.
            retire_article(locked)
            return None
        article = Article.objects.filter(story=story).first()
        now = timezone.now()
        news_time = min(now, max(report.when for report in reports))
        if article is None:
            article = Article(
                story=story,
                slug=make_slug(draft.headline, story.pk),
                published_at=news_time,
                revision_count=0,
            )
        elif article.story_revision >= story.revision:
            return article
        article.headline = draft.headline[:200]
        article.summary = draft.summary
        article.section = section
        article.language = language
        article.byline = settings.NEWSDESK_BYLINE
        article.writer = "extractive"
        article.updated_at = max(article.published_at, news_time)
        article.rewritten_at = now
        article.story_revision = story.revision
        article.revision_count += 1
        article.save()
        _store_body(article, draft)
        _store_places(article, [(p.code, p.name, p.slug) for p in places])
        _store_refs(article, story)
        _store_images(article, reports)
    log.info("published %s (story %s, revision %s)", article.slug, story.pk, story.revision)
    return article


def _hold(story: Story, reason: str) -> None:
    Story.objects.filter(pk=story.pk, revision=story.revision).update(
        held_revision=story.revision, held_reason=reason[:300]
    )


def _store_body(article: Article, draft: Draft) -> None:
    article.sections.all().delete()
    for position, section in enumerate(draft.sections):
        stored = ArticleSection.objects.create(
            article=article, position=position, heading=section.heading[:200]
        )
        for paragraph_index, paragraph in enumerate(section.paragraphs):
            for sentence_index, sentence in enumerate(paragraph):
                row = ArticleSentence.objects.create(
                    section=stored,
                    paragraph=paragraph_index,
                    position=sentence_index,
                    text=sentence.text,
                    rendered=sentence.render(draft.language),
                    attribution=(sentence.attribution or "")[:200],
                )
                SentenceSource.objects.bulk_create(
                    SentenceSource(
                        sentence=row, report_id=s.report_id, rank=rank, start=s.start, end=s.end
                    )
                    for rank, s in enumerate(sentence.support)
                )


def _store_places(article: Article, places: list[tuple[str, str, str]]) -> None:
    article.places.all().delete()
    ArticlePlace.objects.bulk_create(
        ArticlePlace(article=article, position=i, code=code, name=name, slug=slug)
        for i, (code, name, slug) in enumerate(places)
    )


def _store_refs(article: Article, story: Story) -> None:
    article.refs.all().delete()
    everything = Report.objects.filter(story=story).order_by("published_at", "id")
    ArticleRef.objects.bulk_create(
        ArticleRef(article=article, report=report, position=i)
        for i, report in enumerate(everything)
    )


def refresh_images(article_id: int) -> bool:
    """Give an article the images of its reports that were downloaded after it was written.

    Images are downloaded in a stage of their own, so one may arrive a pass after its article;
    the article shows it at once, without a rewrite. Returns whether the images changed.
    """
    with transaction.atomic():
        article = Article.objects.get(pk=article_id)
        # The same lock as publish_story: a rewrite under way finishes first.
        Story.objects.select_for_update().filter(pk=article.story_id).first()
        before = list(article.images.order_by("position").values_list("image_id", flat=True))
        reports = list(
            Report.objects.filter(story=article.story_id, kind=Report.Kind.NEWS).order_by(
                "published_at", "id"
            )
        )
        chosen = _choose_images(reports)
        if [image.pk for image in chosen] == before:
            return False
        _set_images(article, chosen)
    return True


def _store_images(article: Article, reports: list[Report]) -> None:
    _set_images(article, _choose_images(reports))


def _set_images(article: Article, chosen: list[ReportImage]) -> None:
    article.images.all().delete()
    ArticleImage.objects.bulk_create(
        ArticleImage(article=article, image=image, position=i) for i, image in enumerate(chosen)
    )


def _choose_images(reports: list[Report]) -> list[ReportImage]:
    """Downloaded images only (one not yet downloaded would show broken), one per report."""
    chosen: list[ReportImage] = []
    seen_files: set[str] = set()
    images = (
        ReportImage.objects.filter(report__in=reports, state=ReportImage.State.DONE)
        .exclude(file="")
        .order_by("report__published_at", "report_id", "position")
    )
    for image in images:
        if image.file in seen_files or any(c.report_id == image.report_id for c in chosen):
            continue
        seen_files.add(image.file)
        chosen.append(image)
        if len(chosen) >= MAX_IMAGES:
            break
    return chosen
