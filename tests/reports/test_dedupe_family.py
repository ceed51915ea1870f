"""A publisher family: a wire story and its copies count as one outlet, yet all are in the refs."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from newsdesk.publishing.publish import independent_outlets, publish_story
from newsdesk.reports.extract import extract_link
from newsdesk.reports.fetch import fetch_link
from newsdesk.reports.models import Link, Report
from newsdesk.sources.models import Source
from newsdesk.stories.cluster import cluster_report
from newsdesk.stories.models import Story
from tests.httpfixture import FixtureServer, Route
from tests.reports.pages import OWN_WORDS, WIRE, article_page, wire_copy

pytestmark = pytest.mark.django_db


def ingest_and_cluster(web: FixtureServer, name: str, title: str, paragraphs: list[str]) -> Report:
    source = Source.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    path = f"/{source.slug}/crane.html"
    web.routes[path] = Route(article_page(title=title, paragraphs=paragraphs))
    link = Link.objects.create(url=web.url(path), source=source)
    fetch_link(link.pk)
    extract_link(link.pk)
    report = Report.objects.get(links=link)
    cluster_report(report.pk)
    report.refresh_from_db()
    return report


def test_copies_count_once_and_every_outlet_is_referenced(
    web: FixtureServer, settings: Settings
) -> None:
    settings.NEWSDESK_PUBLISH_MIN_OUTLETS = 2
    wire = ingest_and_cluster(web, "Coast Wire", "Crane collapses at Aldera port", WIRE)
    copy = ingest_and_cluster(
        web, "Harbour Daily", "Three hurt as Aldera crane falls", wire_copy(WIRE)
    )
    assert copy.duplicate_of == wire and copy.story_id == wire.story_id
    story_id = wire.story_id
    assert story_id is not None
    # Two outlets, one publisher family: not enough independent outlets to publish.
    assert independent_outlets(list(Report.objects.filter(story_id=story_id))) == 1
    assert publish_story(story_id) is None
    assert "threshold" in Story.objects.get(pk=story_id).held_reason

    own = ingest_and_cluster(web, "North Star", "Dockers hurt in Aldera crane fall", OWN_WORDS)
    assert own.duplicate_of is None and own.story_id == story_id
    reports = list(Report.objects.filter(story_id=story_id))
    assert independent_outlets(reports) == 2
    article = publish_story(story_id)
    assert article is not None
    referenced = {ref.report.source.name for ref in article.refs.select_related("report__source")}
    assert referenced == {"Coast Wire", "Harbour Daily", "North Star"}
