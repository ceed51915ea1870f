"""/metrics after a real demo ingest: its numbers are the database's, and the stages' timings.

Once embedded (histograms in this process) and once with Redis (histograms in Redis, read
back by the web through a live server), as the desk runs on a laptop and in a deployment.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client, override_settings
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from newsdesk.demo.corpus import Corpus, load_corpus
from newsdesk.demo.register import register_demo_sources
from newsdesk.demo.server import DemoServer
from newsdesk.metrics.stage_metrics import RedisStageMetrics, stage_metrics
from newsdesk.pipeline.runner import run_pass
from newsdesk.publishing.models import Article
from newsdesk.reports.models import Link, Report
from newsdesk.sources.models import Feed
from newsdesk.stories.models import Story
from tests.metrics.conftest import REDIS_URL, ensure_redis
from tests.metrics.metrics_text import Scrape, parse

pytestmark = pytest.mark.django_db

STAGES = ("discover", "fetch", "extract", "cluster", "publish")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module", params=["embedded", "redis"])
def ingested(
    request: pytest.FixtureRequest,
    corpus: Corpus,
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[str]:
    """One demo ingest per mode, with the desk's settings for that mode held for its tests."""
    mode: str = request.param
    with ExitStack() as stack:
        redis_url = ""
        if mode == "redis":
            ensure_redis().flushdb()
            redis_url = REDIS_URL
        stack.enter_context(
            override_settings(
                REDIS_URL=redis_url,
                NEWSDESK_FETCH_ALLOWED_ADDRESSES=["127.0.0.1"],
                NEWSDESK_FETCH_HOST_DELAY=0.0,
            )
        )
        stage_metrics().clear()
        server = DemoServer(host="127.0.0.1", port=0)
        base_url = server.start()
        stack.callback(server.stop)
        with django_db_blocker.unblock():
            summary = run_pass(source_ids=register_demo_sources(corpus, base_url))
        assert summary.problems == []
        yield mode
        stage_metrics().clear()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


def scrape_client() -> Scrape:
    response = Client(HTTP_HOST="127.0.0.1").get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return parse(response.content.decode())


def test_counts_equal_the_database(corpus: Corpus, ingested: str) -> None:
    scrape = scrape_client()
    # The demo's own answer: every report in, one story per event, an article for each.
    assert scrape.value("newsdesk_reports_fetched") == Report.objects.count() == len(corpus.reports)
    live = Story.objects.filter(merged_into__isnull=True).count()
    assert scrape.value("newsdesk_stories", state="live") == live == len(corpus.events)
    merged = Story.objects.filter(merged_into__isnull=False).count()
    assert scrape.value("newsdesk_stories", state="merged") == merged
    assert scrape.value("newsdesk_articles") == Article.objects.count() == live
    by_state = dict(Link.objects.values_list("state").annotate(n=Count("id")))
    assert scrape.labelled("newsdesk_links", "state") == {
        state.value: float(by_state.get(state.value, 0)) for state in Link.State
    }
    assert scrape.value("newsdesk_links", state="done") == len(corpus.reports)
    assert scrape.labelled("newsdesk_link_failures", "reason") == {}


def test_stage_latency_counts_every_item(corpus: Corpus, ingested: str) -> None:
    scrape = scrape_client()
    assert scrape.types["newsdesk_stage_seconds"] == "histogram"
    items = {
        "discover": Feed.objects.count(),
        "fetch": Link.objects.count(),
        "extract": Link.objects.count(),
        "cluster": Report.objects.count(),
        "publish": Story.objects.filter(merged_into__isnull=True).count(),
    }
    for stage in STAGES:
        count = scrape.value("newsdesk_stage_seconds_count", stage=stage)
        assert count == items[stage], stage
        assert scrape.value("newsdesk_stage_seconds_bucket", stage=stage, le="+Inf") == count
        assert scrape.value("newsdesk_stage_seconds_sum", stage=stage) > 0
        cumulative = sorted(
            (float(dict(labels)["le"]), value)
            for (name, labels), value in scrape.samples.items()
            if name == "newsdesk_stage_seconds_bucket" and dict(labels)["stage"] == stage
        )
        values = [value for _, value in cumulative]
        assert values == sorted(values), f"{stage} buckets are not cumulative"
    # Where the histograms live: Redis when the desk has it, else this process.
    in_redis = RedisStageMetrics(REDIS_URL).latencies() if ingested == "redis" else {}
    with override_settings(REDIS_URL=""):
        in_memory = stage_metrics().latencies()
    held = in_redis if ingested == "redis" else in_memory
    assert held["cluster"].count == items["cluster"]
    assert (in_memory if ingested == "redis" else in_redis) == {}


def test_queue_depth_only_with_redis(ingested: str) -> None:
    scrape = scrape_client()
    if ingested == "embedded":
        assert "newsdesk_queue_depth" not in scrape.types
        assert "newsdesk_redis_up" not in scrape.types
    else:
        assert scrape.value("newsdesk_redis_up") == 1
        # The embedded runner enqueues nothing: every stage's queue is there, and empty.
        assert set(scrape.labelled("newsdesk_queue_depth", "queue").values()) == {0.0}
        assert len(scrape.labelled("newsdesk_queue_depth", "queue")) == 8


def test_live_server_serves_the_same_numbers(ingested: str, live_server: LiveServer) -> None:
    response = httpx.get(live_server.url + "/metrics", timeout=10)
    assert response.status_code == 200
    over_http = parse(response.text)
    in_process = scrape_client()
    assert over_http.value("newsdesk_reports_fetched") == Report.objects.count()
    for stage in STAGES:
        assert over_http.value("newsdesk_stage_seconds_count", stage=stage) == (
            in_process.value("newsdesk_stage_seconds_count", stage=stage)
        )
