"""Embedded mode: without REDIS_URL the stage tasks run inline, through the same wiring."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from newsdesk.demo.corpus import Corpus
from newsdesk.demo.register import score_demo
from newsdesk.reports.models import Report
from newsdesk.tasks.dispatch import embedded, enqueue
from newsdesk.tasks.reconcile import pending_work
from newsdesk.tasks.wiring import Work
from tests.tasks.demo_runs import assert_no_duplicates, ingest_demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_through_the_tasks_inline(corpus: Corpus, settings: Settings) -> None:
    settings.REDIS_URL = ""
    assert embedded()
    sources: list[int] = []

    def one_pass(source_ids: list[int], feed_ids: list[int]) -> None:
        sources[:] = source_ids
        enqueue(Work("discover", feed_id) for feed_id in feed_ids)

    outcome = ingest_demo(corpus, one_pass)
    assert_no_duplicates()
    assert pending_work() == []
    score, events, stories = score_demo(corpus, sources)
    assert outcome.reports == Report.objects.count() == len(corpus.reports)
    assert (score.f1, stories) == (1.0, events)
    assert len(outcome.articles) == stories
    assert outcome.updated >= 1  # the update wave rewrote published articles
