"""The queries behind the public pages.

Every function here costs a fixed number of SQL queries, however many articles, sentences,
refs or images there are: related rows come through select_related or prefetch_related.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.text import slugify

from newsdesk.publishing.models import (
    Article,
    ArticleImage,
    ArticlePlace,
    ArticleRef,
    ArticleSection,
    ArticleSentence,
    SentenceSource,
)
from newsdesk.tagging.sections import SECTIONS

# The lead is chosen among the articles of the last day of publishing.
LEAD_WINDOW = timedelta(days=1)

# Reports carry their full text and clustering terms: the site needs none of that.
_REF_FIELDS = (
    "article_id",
    "position",
    "report__url",
    "report__title",
    "report__language",
    "report__source__name",
    "report__source__homepage",
)
_IMAGE_FIELDS = (
    "article_id",
    "position",
    "image__file",
    "image__caption",
    "image__credit",
    "image__width",
    "image__height",
    "image__report__url",
    "image__report__title",
    "image__report__source__name",
)


def section_names() -> list[str]:
    return list(SECTIONS)


def section_slug(name: str) -> str:
    return slugify(name)


def section_named(slug: str) -> str | None:
    """The section whose URL slug this is, or None."""
    return next((name for name in section_names() if section_slug(name) == slug), None)


def articles() -> QuerySet[Article]:
    """Every article, newest first."""
    return Article.objects.order_by("-published_at", "-id")


def latest(limit: int, exclude: int | None = None) -> list[Article]:
    query = articles()
    if exclude is not None:
        query = query.exclude(pk=exclude)
    return list(query[:limit])


def in_section(name: str) -> QuerySet[Article]:
    return articles().filter(section=name)


def at_place(slug: str) -> QuerySet[Article]:
    # One ArticlePlace per article and slug (a unique constraint): the join adds no duplicates.
    return articles().filter(places__slug=slug)


def place_name(slug: str) -> str | None:
    """The place's name as most recently tagged, or None when no article has the place."""
    places = ArticlePlace.objects.filter(slug=slug).order_by("-id")
    return places.values_list("name", flat=True).first()


def images_prefetch() -> Prefetch:
    images = (
        ArticleImage.objects.select_related("image__report__source")
        .only(*_IMAGE_FIELDS)
        .order_by("position")
    )
    return Prefetch("images", queryset=images)


def lead_story() -> Article | None:
    """The newest of the articles with most refs among the last day's, with its images."""
    newest = articles().values_list("published_at", flat=True).first()
    if newest is None:
        return None
    return (
        articles()
        .filter(published_at__gte=newest - LEAD_WINDOW)
        .annotate(ref_count=Count("refs"))
        .order_by("-ref_count", "-published_at", "-id")
        .prefetch_related(images_prefetch())
        .first()
    )


def section_heads(per_section: int) -> list[tuple[str, list[Article]]]:
    """The newest few articles of each section that has any, in the sections' order (1 query)."""
    rank = Window(
        RowNumber(),
        partition_by=F("section"),
        order_by=[F("published_at").desc(), F("id").desc()],
    )
    rows = articles().annotate(rank=rank).filter(rank__lte=per_section)
    by_section: dict[str, list[Article]] = {}
    for article in rows:
        by_section.setdefault(article.section, []).append(article)
    return [(name, by_section[name]) for name in section_names() if name in by_section]


def full_article(slug: str) -> Article | None:
    """The article with everything its page shows: places, body with sources, refs, images."""
    sources = SentenceSource.objects.only("sentence_id", "report_id", "rank").order_by("rank")
    sentences = ArticleSentence.objects.order_by("paragraph", "position").prefetch_related(
        Prefetch("sources", queryset=sources)
    )
    sections = ArticleSection.objects.order_by("position").prefetch_related(
        Prefetch("sentences", queryset=sentences)
    )
    refs = ArticleRef.objects.select_related("report__source").only(*_REF_FIELDS)
    return (
        Article.objects.filter(slug=slug)
        .select_related("live_revision")
        .prefetch_related(
            Prefetch("places", queryset=ArticlePlace.objects.order_by("position")),
            Prefetch("sections", queryset=sections),
            Prefetch("refs", queryset=refs.order_by("position")),
            images_prefetch(),
        )
        .first()
    )
