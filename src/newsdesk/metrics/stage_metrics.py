"""Stage latency histograms and task failure and retry counts, shared by every process.

With REDIS_URL set, each observation is added to a Redis hash per stage, so the web's /metrics
sees what workers on other machines timed. Without it (the embedded desk, which runs the
pipeline and the site in one process) the histograms live in this process.
"""

from __future__ import annotations

import bisect
import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal, Protocol, cast

import redis
from django.conf import settings

from newsdesk.metrics.redis_connection import redis_for

log = logging.getLogger(__name__)

# Upper bounds in seconds: a claim or a record takes milliseconds, a fetch seconds, and a write
# with a model up to its 300 s budget.
BUCKETS: tuple[float, ...] = (
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0,
    math.inf,
)  # fmt: skip
KEY_PREFIX = "newsdesk:metrics:"
STAGES_KEY = f"{KEY_PREFIX}stages"
EVENTS_KEY = f"{KEY_PREFIX}task_events"
# What can befall a Celery task, counted by stage and exception.
TaskEvent = Literal["failure", "retry"]
TASK_EVENTS: tuple[TaskEvent, ...] = ("failure", "retry")
# A stage never waits on metrics: when Redis is away, say so at most this often.
_WARN_EVERY = 60.0


def _field(upper: float) -> str:
    return "+Inf" if math.isinf(upper) else repr(upper)


@dataclass
class StageLatency:
    """One stage's histogram: observations per bucket (not cumulative), their sum and count."""

    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: float = 0.0

    @property
    def count(self) -> int:
        return sum(self.counts)

    def cumulative(self) -> list[tuple[str, int]]:
        running = 0
        buckets = []
        for upper, n in zip(BUCKETS, self.counts, strict=True):
            running += n
            buckets.append((_field(upper), running))
        return buckets


def bucket_index(seconds: float) -> int:
    """The first bucket whose upper bound holds `seconds` (inclusive, as in Prometheus)."""
    return bisect.bisect_left(BUCKETS, seconds)


class StageMetricsStore(Protocol):
    def observe(self, stage: str, seconds: float) -> None: ...

    def count_task_event(self, event: TaskEvent, stage: str, exception: str) -> None: ...

    def latencies(self) -> dict[str, StageLatency]: ...

    def task_events(self) -> dict[tuple[TaskEvent, str, str], int]: ...

    def clear(self) -> None: ...


class MemoryStageMetrics:
    """In this process only: right for the embedded desk, which serves what it runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stages: dict[str, StageLatency] = {}
        self._events: dict[tuple[TaskEvent, str, str], int] = {}

    def observe(self, stage: str, seconds: float) -> None:
        with self._lock:
            latency = self._stages.setdefault(stage, StageLatency())
            latency.counts[bucket_index(seconds)] += 1
            latency.total += seconds

    def count_task_event(self, event: TaskEvent, stage: str, exception: str) -> None:
        with self._lock:
            key = (event, stage, exception)
            self._events[key] = self._events.get(key, 0) + 1

    def latencies(self) -> dict[str, StageLatency]:
        with self._lock:
            return {
                stage: StageLatency(list(latency.counts), latency.total)
                for stage, latency in self._stages.items()
            }

    def task_events(self) -> dict[tuple[TaskEvent, str, str], int]:
        with self._lock:
            return dict(self._events)

    def clear(self) -> None:
        with self._lock:
            self._stages.clear()
            self._events.clear()


class RedisStageMetrics:
    """One hash per stage (a field per bucket, plus the sum), and the set of stages seen.

    Increments are atomic on the server, so any number of processes add to the same histogram.
    """

    def __init__(self, url: str) -> None:
        self.redis = redis_for(url)

    @staticmethod
    def _key(stage: str) -> str:
        return f"{KEY_PREFIX}latency:{stage}"

    def observe(self, stage: str, seconds: float) -> None:
        pipe = self.redis.pipeline(transaction=False)
        pipe.sadd(STAGES_KEY, stage)
        pipe.hincrby(self._key(stage), _field(BUCKETS[bucket_index(seconds)]), 1)
        pipe.hincrbyfloat(self._key(stage), "sum", seconds)
        pipe.execute()

    def count_task_event(self, event: TaskEvent, stage: str, exception: str) -> None:
        self.redis.hincrby(EVENTS_KEY, f"{event}|{stage}|{exception}", 1)

    def latencies(self) -> dict[str, StageLatency]:
        stages = sorted(self._stages())
        pipe = self.redis.pipeline(transaction=False)
        for stage in stages:
            pipe.hgetall(self._key(stage))
        found: dict[str, StageLatency] = {}
        for stage, raw in zip(stages, pipe.execute(), strict=True):
            fields = {k.decode(): v.decode() for k, v in raw.items()}
            latency = StageLatency(total=float(fields.get("sum", 0)))
            for i, upper in enumerate(BUCKETS):
                latency.counts[i] = int(fields.get(_field(upper), 0))
            found[stage] = latency
        return found

    def task_events(self) -> dict[tuple[TaskEvent, str, str], int]:
        raw = cast(dict[bytes, bytes], self.redis.hgetall(EVENTS_KEY))
        found: dict[tuple[TaskEvent, str, str], int] = {}
        for key, value in raw.items():
            event, stage, exception = key.decode().split("|", 2)
            if event in TASK_EVENTS:
                found[cast(TaskEvent, event), stage, exception] = int(value)
        return found

    def clear(self) -> None:
        stages = self._stages()
        self.redis.delete(STAGES_KEY, EVENTS_KEY, *(self._key(s) for s in stages))

    def _stages(self) -> list[str]:
        return [s.decode() for s in cast(set[bytes], self.redis.smembers(STAGES_KEY))]


_memory = MemoryStageMetrics()


def stage_metrics() -> StageMetricsStore:
    """Redis when the desk has one (workers and web share it), else this process's memory."""
    if settings.REDIS_URL:
        return RedisStageMetrics(settings.REDIS_URL)
    return _memory


_last_warning = 0.0


def _warn(exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= _WARN_EVERY:
        _last_warning = now
        log.warning("stage metrics not recorded: Redis unavailable: %s", exc)


def observe_stage(stage: str, seconds: float) -> None:
    """Record one item's time in a stage; a metrics outage never fails the stage."""
    try:
        stage_metrics().observe(stage, seconds)
    except redis.RedisError as exc:
        _warn(exc)


def count_task_event(event: TaskEvent, stage: str, exception: str) -> None:
    try:
        stage_metrics().count_task_event(event, stage, exception)
    except redis.RedisError as exc:
        _warn(exc)


@contextmanager
def stage_timer(stage: str) -> Iterator[None]:
    """Time the block as one item of `stage`, whether it returns or raises."""
    started = time.perf_counter()
    try:
        yield
    finally:
        observe_stage(stage, time.perf_counter() - started)
