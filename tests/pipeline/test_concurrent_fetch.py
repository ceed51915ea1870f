"""The pass's fetch and extract stage: concurrent across hosts, polite per host, exactly once."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from newsdesk.pipeline import extractors, runner
from newsdesk.pipeline.progress import StageProgress
from newsdesk.reports.models import Link, Report
from newsdesk.sources.http import FetchError, FetchResult
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.reports.pages import article_page

if TYPE_CHECKING:
    from newsdesk.pipeline.extractors import Extraction

pytestmark = pytest.mark.django_db

HOSTS = 3
PAGES_PER_HOST = 10
DELAY = 0.2
_WORDS = (
    "harbour council bridge river budget school hospital election storm rail station market "
    "farmers minister court museum festival airport factory workers union police village "
    "mayor water energy housing tunnel coast island mountain forest library stadium clinic "
    "port ferry road wind solar grain prices teachers nurses drivers pilots fishermen"
)
VOCABULARY = _WORDS.split()


def _paragraphs(seed: int) -> list[str]:
    # Different words on every page, so no page is taken for a copy of another.
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(VOCABULARY) for _ in range(40)).capitalize() + "." for _ in range(5)
    ]


class InFlight:
    """Counts requests a server is busy with, per host and overall, and the most at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._now: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.peak_total = 0

    def route(
        self, host: str, body: bytes, delay: float
    ) -> Callable[[BaseHTTPRequestHandler], Route]:
        def respond(handler: BaseHTTPRequestHandler) -> Route:
            with self._lock:
                self._now[host] += 1
                self.peak[host] = max(self.peak[host], self._now[host])
                self.peak_total = max(self.peak_total, sum(self._now.values()))
            try:
                time.sleep(delay)
            finally:
                with self._lock:
                    self._now[host] -= 1
            return Route(body)

        return respond


class StageTimes:
    """The runner's progress protocol, keeping how long each stage took."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str, total: int) -> Iterator[StageProgress]:
        started = time.monotonic()

        class Bar:
            def advance(self, amount: int = 1) -> None:
                pass

        yield Bar()
        self.seconds[name] = time.monotonic() - started


def _feed(server: FixtureServer, paths: list[str]) -> bytes:
    now = format_datetime(timezone.now())
    items = "".join(
        f"<item><title>Story {path}</title><link>{server.url(path)}</link>"
        f"<pubDate>{now}</pubDate></item>"
        for path in paths
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title>'
        f"<link>{server.base_url}/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def hosts() -> Iterator[list[FixtureServer]]:
    """Three outlets on three loopback ports: three hosts, as the fetcher counts them."""
    servers = [FixtureServer().start() for _ in range(HOSTS)]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def outlets(hosts: list[FixtureServer], settings: Settings) -> tuple[list[int], InFlight]:
    """Ten slow pages per host (one missing), listed in each host's feed."""
    settings.NEWSDESK_FETCH_PER_HOST = 1
    settings.NEWSDESK_FETCH_CONCURRENCY = 8
    settings.NEWSDESK_EXTRACT_WORKERS = 0
    in_flight = InFlight()
    source_ids = []
    for h, server in enumerate(hosts):
        paths = [f"/news/{h}-{p}.html" for p in range(PAGES_PER_HOST)]
        for p, path in enumerate(paths):
            body = article_page(
                title=f"Story {h}-{p} of the day", paragraphs=_paragraphs(h * 100 + p)
            )
            server.routes[path] = in_flight.route(server.base_url, body, DELAY)
        server.routes["/feed.xml"] = Route(_feed(server, paths), content_type="application/rss+xml")
        source = Source.objects.create(name=f"Outlet {h}", slug=f"outlet-{h}")
        Feed.objects.create(source=source, url=server.url("/feed.xml"))
        source_ids.append(source.pk)
    # One page is gone: it fails, alone.
    del hosts[1].routes["/news/1-3.html"]
    return source_ids, in_flight


def _page_requests(hosts: list[FixtureServer]) -> Counter[str]:
    return Counter(
        server.url(path)
        for server in hosts
        for path, _ in server.requests
        if path.startswith("/news/")
    )


def test_pages_are_fetched_concurrently_across_hosts_one_at_a_time_per_host(
    hosts: list[FixtureServer], outlets: tuple[list[int], InFlight]
) -> None:
    source_ids, in_flight = outlets
    times = StageTimes()
    summary = runner.run_pass(times, source_ids=source_ids)

    # Each host serves its ten pages one after the other; the hosts work at the same time.
    assert all(in_flight.peak[server.base_url] == 1 for server in hosts)
    assert in_flight.peak_total >= 2
    serial = HOSTS * PAGES_PER_HOST * DELAY
    assert PAGES_PER_HOST * DELAY * 0.9 <= times.seconds["fetch"] < serial * 0.6

    assert (summary.feeds, summary.new_links) == (HOSTS, HOSTS * PAGES_PER_HOST)
    assert (summary.fetched, summary.reports) == (29, 29)
    assert [(p.source, p.url, p.reason) for p in summary.problems] == [
        ("Outlet 1", hosts[1].url("/news/1-3.html"), "HTTP 404")
    ]


def test_every_page_is_fetched_and_stored_exactly_once(
    hosts: list[FixtureServer], outlets: tuple[list[int], InFlight]
) -> None:
    source_ids, _ = outlets
    runner.run_pass(source_ids=source_ids)
    again = runner.run_pass(source_ids=source_ids)

    requested = _page_requests(hosts)
    assert len(requested) == HOSTS * PAGES_PER_HOST and set(requested.values()) == {1}
    assert (again.fetched, again.reports, again.problems) == (0, 0, [])
    assert Report.objects.count() == 29
    assert Link.objects.filter(state=Link.State.DONE, report__isnull=False).count() == 29
    assert list(Link.objects.filter(state=Link.State.FAILED).values_list("url", flat=True)) == [
        hosts[1].url("/news/1-3.html")
    ]
    assert not Link.objects.exclude(body=None).exists()  # bodies go once extracted


def test_hosts_take_turns_in_the_fetch_order(hosts: list[FixtureServer]) -> None:
    source = Source.objects.create(name="Outlet", slug="outlet")
    for server in hosts:  # discovery order: host by host
        for p in range(3):
            Link.objects.create(url=server.url(f"/{p}.html"), source=source)
    order = [Link.objects.get(pk=pk).url.rsplit("/", 1)[0] for pk in runner.links_to_fetch()]
    assert order == [server.base_url for server in hosts] * 3


def test_a_host_asking_to_wait_is_retried_after_its_retry_after(
    web: FixtureServer, settings: Settings
) -> None:
    settings.NEWSDESK_EXTRACT_WORKERS = 0
    web.routes["/busy.html"] = Route(b"later", status=429, headers={"Retry-After": "600"})
    web.routes["/fine.html"] = Route(article_page(paragraphs=_paragraphs(1)))
    source = Source.objects.create(name="Busy Outlet", slug="busy")
    busy = Link.objects.create(url=web.url("/busy.html"), source=source)
    Link.objects.create(url=web.url("/fine.html"), source=source)
    summary = runner.PassSummary()
    runner.fetch_and_extract(runner.SilentProgress(), summary, [source.pk])

    busy.refresh_from_db()
    assert busy.state == Link.State.PENDING and busy.attempts == 1 and busy.http_status == 429
    assert busy.next_attempt_at is not None
    assert busy.next_attempt_at >= timezone.now() + timedelta(seconds=590)
    assert runner.links_to_fetch([source.pk]) == []
    assert summary.fetched == 1 and Report.objects.count() == 1


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


@pytest.fixture
def worker(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One extraction worker process, even for a small batch; lists the links handed to it."""
    settings.NEWSDESK_EXTRACT_WORKERS = 1
    monkeypatch.setattr(runner, "POOL_MIN_PAGES", 1)
    handed: list[int] = []
    real_submit = extractors.ExtractorPool.submit

    def submit(
        self: extractors.ExtractorPool[Link], key: Link, content: bytes, url: str, language: str
    ) -> bool:
        accepted = real_submit(self, key, content, url, language)
        if accepted:
            handed.append(key.pk)
        return accepted

    monkeypatch.setattr(extractors.ExtractorPool, "submit", submit)
    return handed


def test_pages_extracted_by_a_worker_process_are_stored(
    outlets: tuple[list[int], InFlight], worker: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    saved: list[int] = []
    real_save = runner._save

    def save(link: Link, future: Future[Extraction]) -> Link.State:
        saved.append(link.pk)
        return real_save(link, future)

    monkeypatch.setattr(runner, "_save", save)
    source_ids, _ = outlets
    summary = runner.run_pass(source_ids=source_ids)

    assert worker and sorted(saved) == sorted(worker)
    assert Link.objects.filter(pk__in=worker, state=Link.State.DONE).count() == len(worker)
    assert (summary.fetched, summary.reports) == (29, 29)
    assert [p.reason for p in summary.problems] == ["HTTP 404"]


def test_a_pass_dying_while_a_worker_holds_pages_is_finished_by_the_next(
    hosts: list[FixtureServer],
    outlets: tuple[list[int], InFlight],
    worker: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_record = runner.record_fetch
    calls = Counter[str]()

    def dies_on_the_twelfth(link_id: int, outcome: FetchResult | FetchError) -> Link.State:
        calls["n"] += 1
        if calls["n"] == 12:
            raise Crash
        return real_record(link_id, outcome)

    monkeypatch.setattr(runner, "record_fetch", dies_on_the_twelfth)
    source_ids, _ = outlets
    with pytest.raises(Crash):
        runner.run_pass(source_ids=source_ids)
    assert worker
    assert Link.objects.filter(state=Link.State.PENDING).exists()
    monkeypatch.setattr(runner, "record_fetch", real_record)
    runner.run_pass(source_ids=source_ids)

    states = Counter(Link.objects.values_list("state", flat=True))
    assert states == {Link.State.DONE: 29, Link.State.FAILED: 1}
    done = Link.objects.filter(state=Link.State.DONE)
    assert done.values("report").distinct().count() == Report.objects.count() == 29


def test_pages_are_extracted_here_when_the_workers_cannot_start(
    outlets: tuple[list[int], InFlight],
    worker: list[int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Spawned workers read the settings module from the environment: this one does not exist.
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "newsdesk.no_such_settings")
    source_ids, _ = outlets
    summary = runner.run_pass(source_ids=source_ids)

    assert worker  # pages were handed to the pool before it turned out broken
    assert "extraction workers stopped" in caplog.text
    assert (summary.fetched, summary.reports) == (29, 29)
    assert [p.reason for p in summary.problems] == ["HTTP 404"]
