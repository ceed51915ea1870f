"""The pass itself: one failing item is reported and the others go on."""

from __future__ import annotations

import pytest

from newsdesk.demo.corpus import Corpus
from newsdesk.demo.register import register_demo_sources
from newsdesk.pipeline import runner
from newsdesk.publishing.models import Article
from newsdesk.reports.models import Report
from newsdesk.stories.models import Story

pytestmark = pytest.mark.django_db


def test_an_item_that_fails_unexpectedly_is_reported_and_the_rest_goes_on(
    corpus: Corpus, demo_outlets: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = runner.extract_link
    broken: list[int] = []

    def extract_or_fail(link_id: int) -> object:
        if not broken:
            broken.append(link_id)
            raise RuntimeError("parser exploded")
        return real(link_id)

    monkeypatch.setattr(runner, "extract_link", extract_or_fail)
    summary = runner.run_pass(source_ids=register_demo_sources(corpus, demo_outlets))
    assert [(p.source, p.reason) for p in summary.problems] == [
        ("extract", "unexpected RuntimeError('parser exploded')")
    ]
    assert Report.objects.count() == len(corpus.reports) - 1
    # The failed link is still waiting, so the next pass picks it up.
    monkeypatch.setattr(runner, "extract_link", real)
    assert runner.run_pass().problems == []
    assert Report.objects.count() == len(corpus.reports)


def test_a_story_that_cannot_be_written_is_held_until_it_changes(
    corpus: Corpus, demo_outlets: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.writing import compose

    def cannot_write(*args: object, **kwargs: object) -> object:
        raise ValueError("no sentence can be published on its own")

    monkeypatch.setattr(compose, "write_article", cannot_write)
    runner.run_pass(source_ids=register_demo_sources(corpus, demo_outlets))
    assert Article.objects.count() == 0
    story = Story.objects.first()
    assert story is not None and story.held_revision == story.revision
    assert "no sentence" in story.held_reason
    assert runner.stories_to_publish() == []
    Story.objects.filter(pk=story.pk).update(revision=story.revision + 1)
    assert runner.stories_to_publish() == [story.pk]


def test_the_demo_ingested_from_one_address_is_not_copied_from_another(
    corpus: Corpus, demo_outlets: str
) -> None:
    from urllib.parse import urlsplit

    from newsdesk.demo.register import DemoMoved

    runner.run_pass(source_ids=register_demo_sources(corpus, demo_outlets))
    assert register_demo_sources(corpus, demo_outlets)  # the same address again is fine
    with pytest.raises(DemoMoved, match=f"--source-port {urlsplit(demo_outlets).port}"):
        register_demo_sources(corpus, "http://127.0.0.1:1")
    assert Report.objects.count() == len(corpus.reports)
