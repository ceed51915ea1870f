"""Publishing: an article per story, rewritten when the story changes, its slug never."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from newsdesk.publishing.models import Article, ArticleSentence
from newsdesk.publishing.publish import publish_story
from newsdesk.reports.dedupe import content_hash
from newsdesk.reports.models import Report
from newsdesk.sources.models import Source
from newsdesk.stories.cluster import cluster_report
from newsdesk.stories.models import Story

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 17, 6, 0, tzinfo=UTC)

FIRST = (
    "Ferry service resumes between Split and Ancona after strike",
    "Ferry crossings between Split in Croatia and Ancona in Italy resumed on Tuesday after a "
    "three-day strike by port workers ended with a wage agreement.\n"
    "The operator said 14 sailings would run this week to clear a backlog of about 6,000 "
    "passengers and 900 vehicles.\n"
    "Union leader Ivana Marić said the deal raised pay by 7 percent over two years and added "
    "two rest days a month for crews on the Adriatic routes.\n"
    "Port authorities in Split said queues of lorries stretched for two kilometres on Monday "
    "night as drivers waited for the first departures.",
)
SECOND = (
    "Adriatic ferries sail again as Split port strike ends",
    "The first ferry from Split to Ancona left at dawn on Tuesday, ending a three-day strike "
    "that had stranded thousands of travellers on both sides of the Adriatic.\n"
    "Workers accepted a 7 percent pay rise over two years, Ivana Marić of the port workers' "
    "union told reporters in Split.\n"
    "Italian officials in Ancona said extra customs staff would work through the night to "
    "handle the backlog of freight and passengers.",
)


def add_report(source: Source, title: str, text: str, hours: float = 0) -> Report:
    report = Report.objects.create(
        source=source,
        url=f"http://{source.slug}.test/{content_hash(title)[:8]}",
        title=title,
        text=text,
        published_at=T0 + timedelta(hours=hours),
        fetched_at=timezone.now(),
        language="en",
        content_hash=content_hash(text),
    )
    cluster_report(report.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def outlets() -> list[Source]:
    return [
        Source.objects.create(name="Adriatic Daily", slug="adriatic-daily"),
        Source.objects.create(name="Coastal Wire", slug="coastal-wire"),
    ]


def test_first_publication(outlets: list[Source], settings: Settings) -> None:
    settings.NEWSDESK_BYLINE = "The Harbour Desk"
    report = add_report(outlets[0], *FIRST)
    article = publish_story(report.story_id)  # type: ignore[arg-type]
    assert article is not None
    assert article.headline == FIRST[0] and article.byline == "The Harbour Desk"
    assert article.summary and article.section in {"World", "Business"}
    assert [p.name for p in article.places.all()][:2] == ["Croatia", "Italy"]
    assert article.published_at == article.updated_at == report.published_at
    assert not article.was_updated
    assert list(article.refs.values_list("report_id", flat=True)) == [report.pk]
    for sentence in ArticleSentence.objects.filter(section__article=article):
        source = sentence.sources.get(rank=0)
        assert report.text[source.start : source.end] == sentence.text


def test_a_new_report_rewrites_the_article_and_keeps_its_slug(outlets: list[Source]) -> None:
    first = add_report(outlets[0], *FIRST)
    story_id = first.story_id
    assert story_id is not None
    article = publish_story(story_id)
    assert article is not None
    slug = article.slug
    assert publish_story(story_id) == article  # unchanged story: nothing rewritten
    second = add_report(outlets[1], *SECOND, hours=3)
    assert second.story_id == story_id
    rewritten = publish_story(story_id)
    assert rewritten is not None and rewritten.pk == article.pk
    assert rewritten.slug == slug
    assert rewritten.revision_count == 2 and rewritten.was_updated
    assert rewritten.updated_at == second.published_at > rewritten.published_at
    assert set(rewritten.refs.values_list("report_id", flat=True)) == {first.pk, second.pk}
    assert Article.objects.count() == 1


def test_publishing_threshold(outlets: list[Source], settings: Settings) -> None:
    settings.NEWSDESK_PUBLISH_MIN_OUTLETS = 2
    first = add_report(outlets[0], *FIRST)
    assert publish_story(first.story_id) is None  # type: ignore[arg-type]
    story = Story.objects.get()
    assert story.held_revision == story.revision and "threshold" in story.held_reason
    add_report(outlets[1], *SECOND, hours=1)
    assert publish_story(first.story_id) is not None  # type: ignore[arg-type]
