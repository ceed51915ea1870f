"""Articles built directly with the ORM, as the publishing stage would store them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count

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
from newsdesk.reports.models import Report, ReportImage
from newsdesk.sources.models import Source
from newsdesk.stories.models import Story

_serial = count(1)

# (code, name, slug), as the place tagger stores them.
SYRIA = ("SY", "Syria", "syria")
RUSSIA = ("RU", "Russia", "russia")
TURKEY = ("TR", "Turkey", "turkey")


def make_source(name: str | None = None) -> Source:
    number = next(_serial)
    name = name or f"Outlet {number}"
    return Source.objects.get_or_create(
        name=name,
        defaults={"slug": f"outlet-{number}", "homepage": f"https://outlet{number}.example/"},
    )[0]


def make_report(source: Source, story: Story | None = None, title: str = "") -> Report:
    number = next(_serial)
    return Report.objects.create(
        source=source,
        story=story,
        url=f"https://{source.slug}.example/news/{number}",
        title=title or f"Report number {number}",
        text="Text of the report.",
        published_at=timezone.now() - timedelta(hours=2),
        fetched_at=timezone.now(),
        language="en",
        content_hash=f"{number:064x}",
    )


def make_story(at: datetime | None = None) -> Story:
    at = at or timezone.now()
    return Story.objects.create(first_seen_at=at, last_updated_at=at, event_time=at)


def make_article(
    headline: str = "",
    section: str = "World",
    language: str = "en",
    published_at: datetime | None = None,
    summary: str = "",
) -> Article:
    """A bare article: headline and summary, no body, refs, places or images."""
    number = next(_serial)
    at = published_at or timezone.now()
    return Article.objects.create(
        story=make_story(at),
        slug=f"article-{number}",
        headline=headline or f"Headline number {number}",
        summary=summary or f"Summary of article number {number}.",
        section=section,
        language=language,
        byline="The Test Desk",
        published_at=at,
        updated_at=at,
        rewritten_at=at,
    )


@dataclass
class FullArticle:
    article: Article
    reports: list[Report]


def add_places(article: Article, places: list[tuple[str, str, str]]) -> None:
    ArticlePlace.objects.bulk_create(
        ArticlePlace(article=article, position=i, code=code, name=name, slug=slug)
        for i, (code, name, slug) in enumerate(places)
    )


def add_refs(article: Article, outlets: int) -> list[Report]:
    reports = [
        make_report(make_source(), article.story, title=f"Outlet report {i + 1}")
        for i in range(outlets)
    ]
    ArticleRef.objects.bulk_create(
        ArticleRef(article=article, report=report, position=i) for i, report in enumerate(reports)
    )
    return reports


def add_body(article: Article, reports: list[Report], sections: int, sentences: int) -> None:
    """Sections of two paragraphs; sentence k cites reports k and k+1 (of the refs)."""
    for s in range(sections):
        section = ArticleSection.objects.create(
            article=article, position=s, heading=f"Section heading {s + 1}"
        )
        for k in range(sentences):
            text = f"Sentence {k + 1} of section {s + 1}."
            sentence = ArticleSentence.objects.create(
                section=section, paragraph=k % 2, position=k, text=text, rendered=text
            )
            cited = {reports[k % len(reports)], reports[(k + 1) % len(reports)]}
            SentenceSource.objects.bulk_create(
                SentenceSource(sentence=sentence, report=report, rank=rank, start=0, end=10)
                for rank, report in enumerate(sorted(cited, key=lambda r: r.pk))
            )


def add_images(article: Article, reports: list[Report], images: int) -> None:
    for position, report in enumerate(reports[:images]):
        image = ReportImage.objects.create(
            report=report,
            position=0,
            url=f"{report.url}/photo.jpg",
            file=f"images/{report.pk}/photo.jpg",
            caption=f"Caption of image {position + 1}",
            credit=f"Photographer {position + 1}",
            width=800,
            height=600,
        )
        ArticleImage.objects.create(article=article, image=image, position=position)


def make_full_article(
    headline: str = "Talks on the border resume",
    places: list[tuple[str, str, str]] | None = None,
    outlets: int = 3,
    sections: int = 2,
    sentences: int = 4,
    images: int = 2,
    section: str = "World",
    language: str = "en",
    published_at: datetime | None = None,
) -> FullArticle:
    """An article as published: places, a body with sources, refs and images."""
    article = make_article(headline, section, language, published_at)
    add_places(article, [SYRIA, RUSSIA, TURKEY] if places is None else places)
    reports = add_refs(article, outlets)
    add_body(article, reports, sections, sentences)
    add_images(article, reports, images)
    return FullArticle(article, reports)
