"""The demo through 3 real Celery worker processes (PostgreSQL, Redis) equals the embedded run."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from newsdesk.demo.corpus import Corpus
from newsdesk.tasks.drive import run_through_queue, start_workers, stop_workers
from tests.tasks.conftest import worker_env
from tests.tasks.demo_runs import Outcome, assert_no_duplicates, ingest_demo

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_three_workers_give_the_embedded_stories_and_articles(
    corpus: Corpus, embedded_outcome: Outcome, broker: str, tmp_path: Path
) -> None:
    workers = start_workers(3, worker_env(tmp_path / "home", broker), log_dir=tmp_path)
    try:
        through_workers = ingest_demo(
            corpus,
            lambda _, feed_ids: run_through_queue(feed_ids, timezone.now(), timeout=240),
        )
    finally:
        stop_workers(workers)
    assert_no_duplicates()
    assert through_workers.reports == len(corpus.reports) == embedded_outcome.reports
    assert through_workers.stories == embedded_outcome.stories
    assert through_workers.copies == embedded_outcome.copies
    assert through_workers.articles == embedded_outcome.articles
    assert through_workers.updated == embedded_outcome.updated
    assert all(worker.returncode == 0 for worker in workers)
