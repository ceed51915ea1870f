"""/metrics on its own: failures by reason, the optional token, and Redis going away."""

from __future__ import annotations

import pytest
import redis
from django.test import Client
from pytest_django.fixtures import Settings

from newsdesk.metrics.reasons import failure_reason
from newsdesk.metrics.stage_metrics import (
    RedisStageMetrics,
    bucket_index,
    observe_stage,
    stage_metrics,
)
from newsdesk.reports.models import Link
from newsdesk.sources.models import Source
from tests.metrics.metrics_text import Scrape, parse
from tests.processes import free_port

pytestmark = pytest.mark.django_db


def scrape(**headers: str) -> Scrape:
    response = Client(HTTP_HOST="127.0.0.1", headers=headers).get("/metrics")
    assert response.status_code == 200, response.content
    return parse(response.content.decode())


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("HTTP 404", "HTTP 404"),
        ("HTTP 503 (retry after 30 s)", "HTTP 503"),
        ("cannot extract: no article body found", "cannot extract"),
        ("refused address: 10.0.0.1 is private; list it in NEWSDESK_FETCH_...", "refused address"),
        ("too large: 9000000 bytes (limit 5242880)", "too large"),
        ("not an HTML page (image/png)", "not an HTML page"),
        ("timed out reading", "timed out reading"),
        ("unexpected error: KeyError: 'x'", "unexpected error"),
        ("", "unknown"),
    ],
)
def test_failure_reasons_are_classes_not_messages(error: str, reason: str) -> None:
    assert failure_reason(error) == reason


def test_failed_links_by_reason(memory_latency: None) -> None:
    source = Source.objects.create(name="Outlet", slug="outlet")
    errors = ["HTTP 404", "HTTP 404", "HTTP 410", "cannot extract: empty", "cannot extract: x"]
    for i, error in enumerate(errors):
        Link.objects.create(url=f"https://o.test/{i}", source=source, state="failed", error=error)
    Link.objects.create(url="https://o.test/p", source=source, error="HTTP 500")  # retried later
    result = scrape()
    assert result.labelled("newsdesk_link_failures", "reason") == {
        "HTTP 404": 2,
        "HTTP 410": 1,
        "cannot extract": 2,
    }
    assert result.value("newsdesk_links", state="failed") == 5
    assert result.value("newsdesk_links", state="pending") == 1


def test_the_token_guards_the_endpoint(settings: Settings, memory_latency: None) -> None:
    settings.NEWSDESK_METRICS_TOKEN = "s3cret-token"
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert scrape(Authorization="Bearer s3cret-token").value("newsdesk_articles") == 0
    assert (
        client.post("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 405
    )


def test_redis_away_is_reported_not_fatal(settings: Settings) -> None:
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    observe_stage("fetch", 0.2)  # a stage carries on without its metrics
    result = scrape()
    assert result.value("newsdesk_redis_up") == 0
    assert result.value("newsdesk_reports_fetched") == 0
    assert "newsdesk_queue_depth" not in result.types


def test_histogram_buckets_in_redis(redis_db: redis.Redis) -> None:
    for seconds in (0.001, 0.005, 0.3, 0.3, 7.0, 1000.0):
        observe_stage("write", seconds)
    store = stage_metrics()
    assert isinstance(store, RedisStageMetrics)
    (write,) = store.latencies().values()
    assert write.count == 6
    assert write.total == pytest.approx(1007.606)
    # Upper bounds are inclusive: 0.005 s falls in the le="0.005" bucket.
    assert bucket_index(0.005) == 0
    result = scrape()
    le = {
        dict(labels)["le"]: value
        for (name, labels), value in result.samples.items()
        if name == "newsdesk_stage_seconds_bucket"
    }
    assert (le["0.005"], le["0.25"], le["0.5"], le["5.0"], le["10.0"], le["300.0"]) == (
        2, 2, 4, 4, 5, 5,
    )  # fmt: skip
    assert le["+Inf"] == result.value("newsdesk_stage_seconds_count", stage="write") == 6
    assert redis_db.hget("newsdesk:metrics:latency:write", "+Inf") == b"1"
