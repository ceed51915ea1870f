"""The whole pipeline on the demo corpus, through the real fetch path, to the rendered page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from lxml import html as lxml_html
from pytest_django import DjangoDbBlocker

from newsdesk.demo.corpus import Corpus, answer_key
from newsdesk.demo.register import register_demo_sources, score_demo
from newsdesk.demo.server import DemoServer
from newsdesk.pipeline.runner import run_pass
from newsdesk.publishing.models import Article, ArticleSentence
from newsdesk.reports.models import Link, Report
from newsdesk.stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ingested(
    corpus: Corpus, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[list[int]]:
    """One ingest of the whole demo for the module: it is what every test here inspects."""
    server = DemoServer(host="127.0.0.1", port=0)
    base_url = server.start()
    # Module-scoped, so before the per-test settings: allow the loopback outlets here too.
    loopback = override_settings(
        NEWSDESK_FETCH_ALLOWED_ADDRESSES=["127.0.0.1"], NEWSDESK_FETCH_HOST_DELAY=0.0
    )
    try:
        with django_db_blocker.unblock(), loopback:
            source_ids = register_demo_sources(corpus, base_url)
            summary = run_pass(source_ids=source_ids)
    finally:
        server.stop()
    assert summary.problems == []
    yield source_ids
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def story_of_path() -> dict[str, int | None]:
    return {urlsplit(r.url).path: r.story_id for r in Report.objects.all()}


def test_every_report_is_ingested(corpus: Corpus, ingested: list[int]) -> None:
    assert Report.objects.count() == len(corpus.reports)
    assert not Link.objects.exclude(state=Link.State.DONE).exists()


def test_one_story_per_event(corpus: Corpus, ingested: list[int]) -> None:
    gold = answer_key(corpus)
    placed = story_of_path()
    stories_of_event: dict[str, set[int | None]] = defaultdict(set)
    for path, event in gold.items():
        stories_of_event[event].add(placed[path])
    for event, stories in stories_of_event.items():
        assert len(stories) == 1 and None not in stories, f"{event} split into {stories}"
    all_stories = [next(iter(s)) for s in stories_of_event.values()]
    assert len(set(all_stories)) == len(all_stories), "two events merged into one story"
    assert Story.objects.count() == len(stories_of_event)
    score, events, stories = score_demo(corpus, ingested)
    assert (score.f1, events, stories) == (1.0, len(corpus.events), len(corpus.events))


def test_traps_hold(corpus: Corpus, ingested: list[int]) -> None:
    opinion = [r for r in corpus.reports if r.kind == "opinion"]
    wire = [r for r in corpus.reports if r.kind == "wire"]
    assert opinion and len(wire) == 2
    placed = story_of_path()
    assert all(placed[r.path] is None for r in opinion)
    assert placed[wire[0].path] == placed[wire[1].path]
    copies = Report.objects.filter(duplicate_of__isnull=False)
    assert copies.count() == 1 and copies.get().story == copies.get().duplicate_of.story  # type: ignore[union-attr]


def test_every_body_sentence_is_found_in_one_of_its_refs(ingested: list[int]) -> None:
    assert Article.objects.count() == Story.objects.count()
    for article in Article.objects.prefetch_related("refs__report"):
        refs = {ref.report_id: ref.report for ref in article.refs.all()}
        sentences = ArticleSentence.objects.filter(section__article=article).prefetch_related(
            "sources"
        )
        assert sentences.exists()
        for sentence in sentences:
            sources = list(sentence.sources.all())
            assert sources, sentence.text
            primary, *others = sources
            assert refs[primary.report_id].text[primary.start : primary.end] == sentence.text
            # Other reports carrying the same claim, each in its own words.
            for other in others:
                assert 0 <= other.start < other.end <= len(refs[other.report_id].text)


def test_multi_outlet_articles_are_complete(ingested: list[int]) -> None:
    for article in Article.objects.all():
        outlets = {ref.report.source_id for ref in article.refs.select_related("report")}
        assert article.refs.count() == Report.objects.filter(story=article.story).count()
        if len(outlets) < 2:
            continue
        assert article.headline and len(article.headline) <= 110 and "?" not in article.headline
        assert article.summary
        assert article.sections.count() >= 2
        assert article.places.exists(), article.headline
        assert article.images.exists()
        assert article.byline == "Newsdesk"


def test_the_article_page_shows_all_nine_elements(ingested: list[int], client: Client) -> None:
    article = max(Article.objects.all(), key=lambda a: (a.refs.count(), -a.pk))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = lxml_html.document_fromstring(response.content)
    text = " ".join(page.text_content().split())
    links = {a.get("href") for a in page.iter("a")}
    places = list(article.places.all())
    assert f"/section/{article.section.lower()}/" in links
    assert " / ".join(p.name for p in places) in text
    assert {f"/place/{p.slug}/" for p in places} <= links
    assert "Images from the reference sources" in text
    assert page.find(".//h1").text_content().strip() == article.headline
    assert " ".join(article.summary.split()) in text
    assert len(page.findall(".//h2")) >= 2
    assert "Newsdesk" in text and "Refs:" in text
    assert {ref.report.url for ref in article.refs.select_related("report")} <= links
    assert page.findall(".//time")
    assert "Trends" in text and "Latest" in text
    for sentence in ArticleSentence.objects.filter(section__article=article):
        assert " ".join(sentence.rendered.split()) in text


def test_a_second_pass_changes_nothing(ingested: list[int]) -> None:
    before = (
        Report.objects.count(),
        Story.objects.count(),
        Article.objects.count(),
        sorted(Article.objects.values_list("slug", "revision_count")),
    )
    summary = run_pass(source_ids=ingested)
    assert (summary.new_links, summary.reports, summary.published) == (0, 0, 0)
    after = (
        Report.objects.count(),
        Story.objects.count(),
        Article.objects.count(),
        sorted(Article.objects.values_list("slug", "revision_count")),
    )
    assert after == before
