"""What /metrics reports, gathered at scrape time.

Counts that live in the database are read from it on each scrape, so they are right however
many worker processes and machines do the work; queue depths are read from Redis; stage
latency comes from the shared latency store.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator

import redis
from django.conf import settings
from django.db.models import Count
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from newsdesk.metrics.reasons import failure_reason
from newsdesk.metrics.redis_connection import redis_for
from newsdesk.metrics.stage_metrics import StageMetricsStore, stage_metrics
from newsdesk.publishing.models import Article
from newsdesk.reports.models import Link, Report
from newsdesk.stories.models import Story

log = logging.getLogger(__name__)


def link_failures() -> Counter[str]:
    """Failed links by reason class (see reasons.failure_reason)."""
    failed = Link.objects.filter(state=Link.State.FAILED).values("error").annotate(n=Count("id"))
    reasons: Counter[str] = Counter()
    for row in failed:
        reasons[failure_reason(row["error"])] += row["n"]
    return reasons


def queue_depths(url: str) -> dict[str, int]:
    """Messages waiting in each stage's queue: the Redis list Celery keeps under its name."""
    pipe = redis_for(url).pipeline(transaction=False)
    for queue in settings.NEWSDESK_QUEUES:
        pipe.llen(queue)
    return dict(zip(settings.NEWSDESK_QUEUES, pipe.execute(), strict=True))


class DeskCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        yield from self._database()
        if settings.REDIS_URL:
            yield from self._redis(settings.REDIS_URL)
        else:
            yield from self._stages(stage_metrics())

    def _database(self) -> Iterator[Metric]:
        reports = GaugeMetricFamily(
            "newsdesk_reports_fetched", "Reports fetched and extracted (stored reports)."
        )
        reports.add_metric([], Report.objects.count())
        yield reports

        links = GaugeMetricFamily("newsdesk_links", "Discovered links by state.", labels=["state"])
        by_state = dict(Link.objects.values_list("state").annotate(n=Count("id")))
        for state in Link.State:
            links.add_metric([state.value], by_state.get(state.value, 0))
        yield links

        failures = GaugeMetricFamily(
            "newsdesk_link_failures", "Links given up, by reason.", labels=["reason"]
        )
        for reason, n in sorted(link_failures().items()):
            failures.add_metric([reason], n)
        yield failures

        stories = GaugeMetricFamily(
            "newsdesk_stories", "Stories: live, or merged into another.", labels=["state"]
        )
        merged = Story.objects.filter(merged_into__isnull=False).count()
        stories.add_metric(["live"], Story.objects.count() - merged)
        stories.add_metric(["merged"], merged)
        yield stories

        articles = GaugeMetricFamily("newsdesk_articles", "Articles written.")
        articles.add_metric([], Article.objects.count())
        yield articles

    def _redis(self, url: str) -> Iterator[Metric]:
        up = GaugeMetricFamily("newsdesk_redis_up", "Whether Redis answered this scrape.")
        try:
            depths = queue_depths(url)
            store = stage_metrics()
            metrics = list(self._stages(store))
        except redis.RedisError as exc:
            log.warning("metrics: Redis unavailable: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        queue = GaugeMetricFamily(
            "newsdesk_queue_depth", "Tasks waiting in each stage's queue.", labels=["queue"]
        )
        for name, depth in depths.items():
            queue.add_metric([name], depth)
        yield queue
        yield from metrics

    def _stages(self, store: StageMetricsStore) -> Iterator[Metric]:
        latency = HistogramMetricFamily(
            "newsdesk_stage_seconds", "Time one item takes in each stage.", labels=["stage"]
        )
        for stage, histogram in sorted(store.latencies().items()):
            latency.add_metric([stage], histogram.cumulative(), sum_value=histogram.total)
        yield latency
        events = store.task_events()
        for event, name, help_text in (
            ("failure", "newsdesk_task_failures", "Celery tasks that raised and were given up."),
            ("retry", "newsdesk_task_retries", "Celery tasks sent again after a transient error."),
        ):
            family = CounterMetricFamily(name, help_text, labels=["stage", "exception"])
            for (kind, stage, exception), n in sorted(events.items()):
                if kind == event:
                    family.add_metric([stage, exception], n)
            yield family
