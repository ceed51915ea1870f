"""Discovery polls many feeds at once: concurrent across hosts, polite per host, and recorded
just as polling one feed at a time records it."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler

import pytest
from django.db import DatabaseError
from django.utils import timezone
from pytest_django.fixtures import Settings

from newsdesk.pipeline import runner
from newsdesk.pipeline.progress import SilentProgress
from newsdesk.reports.models import Link
from newsdesk.sources.discover import DiscoverResult, discover_feeds, poll_feeds
from newsdesk.sources.http import FetchError, FetchResult, fetch
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.sources import feeds

pytestmark = pytest.mark.django_db

HOSTS = 3
FEEDS_PER_HOST = 3
DELAY = 0.3
RSS = "application/rss+xml"
XML = "application/xml"


class InFlight:
    """Counts the requests servers are busy with, per host and overall, and the most at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._now: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.peak_total = 0

    def route(self, host: str, route: Route) -> Callable[[BaseHTTPRequestHandler], Route]:
        def respond(handler: BaseHTTPRequestHandler) -> Route:
            with self._lock:
                self._now[host] += 1
                self.peak[host] = max(self.peak[host], self._now[host])
                self.peak_total = max(self.peak_total, sum(self._now.values()))
            try:
                time.sleep(route.delay)
            finally:
                with self._lock:
                    self._now[host] -= 1
            return Route(route.body, route.status, route.content_type, route.headers)

        return respond


def _rss(server: FixtureServer, name: str) -> bytes:
    now = format_datetime(timezone.now())
    items = "".join(
        f"<item><title>Story {name} {i}</title><link>{server.url(f'/{name}/{i}.html')}</link>"
        f"<pubDate>{now}</pubDate></item>"
        for i in range(2)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet {name}</title>'
        f"<link>{server.base_url}/</link>{items}</channel></rss>"
    ).encode()


def _feed(name: str, url: str) -> Feed:
    source, _ = Source.objects.get_or_create(name=name, slug=name.lower().replace(" ", "-"))
    return Feed.objects.create(source=source, url=url)


@pytest.fixture
def hosts(settings: Settings) -> Iterator[list[FixtureServer]]:
    """Three outlets on three loopback ports (three hosts to the fetcher), one request at a
    time per host."""
    settings.NEWSDESK_FETCH_PER_HOST = 1
    settings.NEWSDESK_FETCH_CONCURRENCY = 8
    servers = [FixtureServer().start() for _ in range(HOSTS)]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def slow_feeds(hosts: list[FixtureServer]) -> tuple[list[int], InFlight]:
    """Three slow feeds per host, each listing two articles."""
    in_flight = InFlight()
    feed_ids = []
    for h, server in enumerate(hosts):
        for f in range(FEEDS_PER_HOST):
            document = Route(_rss(server, f"{h}-{f}"), content_type=RSS, delay=DELAY)
            server.routes[f"/feed-{f}.xml"] = in_flight.route(server.base_url, document)
            feed_ids.append(_feed(f"Outlet {h}", server.url(f"/feed-{f}.xml")).pk)
    return feed_ids, in_flight


def test_feeds_are_polled_concurrently_across_hosts_one_at_a_time_per_host(
    hosts: list[FixtureServer], slow_feeds: tuple[list[int], InFlight]
) -> None:
    feed_ids, in_flight = slow_feeds
    started = time.monotonic()
    results = dict(discover_feeds(feed_ids))
    elapsed = time.monotonic() - started

    # Each host serves its feeds one after the other; the hosts work at the same time.
    assert all(in_flight.peak[server.base_url] == 1 for server in hosts)
    assert in_flight.peak_total == HOSTS
    serial = HOSTS * FEEDS_PER_HOST * DELAY
    assert FEEDS_PER_HOST * DELAY * 0.9 <= elapsed < serial * 0.6

    assert sorted(results) == sorted(feed_ids)
    assert all(r.new_links == 2 and r.entries == 2 and not r.error for r in results.values())
    assert Link.objects.count() == 2 * len(feed_ids)
    assert {link.feed_id for link in Link.objects.all()} == set(feed_ids)
    assert set(Feed.objects.values_list("kind", "last_status", "entries_seen")) == {
        (Feed.Kind.RSS, 200, 2)
    }
    assert set(Source.objects.values_list("last_status", "consecutive_failures")) == {("ok", 0)}


def test_a_feed_deleted_before_its_turn_is_skipped(
    hosts: list[FixtureServer], slow_feeds: tuple[list[int], InFlight]
) -> None:
    feed_ids, _ = slow_feeds
    gone = feed_ids[4]
    Feed.objects.filter(pk=gone).delete()
    polled = [feed_id for feed_id, _ in poll_feeds(feed_ids)]
    assert sorted(polled) == sorted(set(feed_ids) - {gone})
    assert "/feed-1.xml" not in [path for path, _ in hosts[1].requests]


def test_the_batch_sends_each_feeds_validators(web: FixtureServer) -> None:
    def conditional(handler: BaseHTTPRequestHandler) -> Route:
        if handler.headers.get("If-None-Match") == '"v1"':
            return Route(status=304, content_type=RSS)
        return Route(_rss(web, "cond"), content_type=RSS, headers={"ETag": '"v1"'})

    web.routes["/cond.xml"] = conditional
    web.routes["/dated.xml"] = Route(
        _rss(web, "dated"), content_type=RSS, headers={"Last-Modified": "Tue, 17 Nov 2026"}
    )
    feed_ids = [_feed("Outlet", web.url(path)).pk for path in ("/cond.xml", "/dated.xml")]
    first = dict(discover_feeds(feed_ids))
    again = dict(discover_feeds(feed_ids))

    assert [first[f].new_links for f in feed_ids] == [2, 2]
    assert again[feed_ids[0]] == DiscoverResult(feed_ids[0], 0, 0, not_modified=True)
    assert again[feed_ids[1]] == DiscoverResult(feed_ids[1], 0, 2)
    sent = {path: headers for path, headers in web.requests[-2:]}
    assert sent["/cond.xml"]["if-none-match"] == '"v1"'
    assert sent["/dated.xml"]["if-modified-since"] == "Tue, 17 Nov 2026"
    assert Feed.objects.get(pk=feed_ids[0]).last_status == 304


def test_a_sitemap_index_in_the_batch_reads_its_children(
    hosts: list[FixtureServer], slow_feeds: tuple[list[int], InFlight]
) -> None:
    maps = hosts[0]
    recent = (timezone.now() - timedelta(hours=1)).isoformat()
    maps.routes["/sitemaps/index.xml"] = Route(
        feeds.render(feeds.SITEMAP_INDEX, maps.base_url), content_type=XML
    )
    for name in ("latest", "earlier"):
        maps.routes[f"/sitemaps/{name}.xml"] = Route(
            f"<urlset><url><loc>{maps.url(f'/{name}/a.html')}</loc><lastmod>{recent}</lastmod>"
            "</url></urlset>".encode(),
            content_type=XML,
        )
    feed_ids, _ = slow_feeds
    index = _feed("Map Outlet", maps.url("/sitemaps/index.xml")).pk
    results = dict(discover_feeds([index, *feed_ids]))

    assert results[index] == DiscoverResult(index, 2, 2)
    assert set(Link.objects.filter(feed_id=index).values_list("url", flat=True)) == {
        maps.url("/latest/a.html"),
        maps.url("/earlier/a.html"),
    }
    assert Feed.objects.get(pk=index).kind == Feed.Kind.SITEMAP_INDEX
    assert Link.objects.exclude(feed_id=index).count() == 2 * len(feed_ids)


@pytest.fixture
def mixed(hosts: list[FixtureServer]) -> dict[str, Feed]:
    """Good, failing and deferred feeds; the failures answer in the reverse of feed order."""
    alpha, bravo, charlie = hosts
    alpha.routes["/feed.xml"] = Route(_rss(alpha, "alpha"), content_type=RSS, delay=DELAY)
    bravo.routes["/feed.xml"] = Route(_rss(bravo, "bravo"), content_type=RSS, delay=DELAY)
    charlie.routes["/feed.xml"] = Route(_rss(charlie, "charlie"), content_type=RSS)
    alpha.routes["/error.xml"] = Route(b"boom", status=500, content_type="text/plain", delay=0.5)
    bravo.routes["/invalid.xml"] = Route(b"<rss><channel><item>", content_type=XML)
    # Charlie's host asks us to wait (a Retry-After taught to the fetcher earlier).
    charlie.routes["/busy"] = Route(b"later", status=429, headers={"Retry-After": "600"})
    with pytest.raises(FetchError):
        fetch(charlie.url("/busy"))
    return {
        "alpha": _feed("Alpha", alpha.url("/feed.xml")),
        "bravo": _feed("Bravo", bravo.url("/feed.xml")),
        "charlie": _feed("Charlie", charlie.url("/feed.xml")),
        "delta": _feed("Delta Broken", alpha.url("/error.xml")),
        "echo": _feed("Echo Garbled", bravo.url("/invalid.xml")),
    }


def test_the_pass_summary_is_that_of_polling_one_feed_after_another(
    mixed: dict[str, Feed],
) -> None:
    summary = runner.PassSummary()
    runner.discover(SilentProgress(), summary)

    # The deferred feed is polled (counted) but is no failure of its source.
    assert (summary.feeds, summary.new_links) == (5, 4)
    # In feed order, though Echo's host answered long before Delta's.
    assert [(p.source, p.url, p.reason.split(":")[0]) for p in summary.problems] == [
        ("Delta Broken", mixed["delta"].url, "HTTP 500"),
        ("Echo Garbled", mixed["echo"].url, "invalid feed"),
    ]
    charlie = Source.objects.get(name="Charlie")
    assert charlie.consecutive_failures == 0 and charlie.last_status != "error"
    assert Feed.objects.get(pk=mixed["charlie"].pk).last_checked_at is None
    for name in ("Delta Broken", "Echo Garbled"):
        failed = Source.objects.get(name=name)
        assert failed.last_status == "error" and failed.consecutive_failures == 1
    assert set(Source.objects.filter(name__in=["Alpha", "Bravo"]).values_list("last_status")) == {
        ("ok",)
    }


def test_a_feed_failing_unexpectedly_is_reported_and_the_others_recorded(
    mixed: dict[str, Feed], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = runner.record_poll
    bravo = mixed["bravo"].pk

    def fails_for_bravo(feed_id: int, outcome: FetchResult | FetchError) -> DiscoverResult:
        if feed_id == bravo:
            raise ValueError("odd document")
        return real(feed_id, outcome)

    monkeypatch.setattr(runner, "record_poll", fails_for_bravo)
    summary = runner.PassSummary()
    runner.discover(SilentProgress(), summary)

    assert (summary.feeds, summary.new_links) == (4, 2)
    assert [(p.source, p.url, p.reason.split(":")[0]) for p in summary.problems] == [
        ("discover", f"item {bravo}", "unexpected ValueError('odd document')"),
        ("Delta Broken", mixed["delta"].url, "HTTP 500"),
        ("Echo Garbled", mixed["echo"].url, "invalid feed"),
    ]
    assert not Link.objects.filter(feed_id=bravo).exists()
    assert Link.objects.filter(feed=mixed["alpha"]).count() == 2


def test_the_database_failing_ends_the_pass(
    mixed: dict[str, Feed], monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_gone(feed_id: int, outcome: FetchResult | FetchError) -> DiscoverResult:
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(runner, "record_poll", database_gone)
    with pytest.raises(DatabaseError):
        runner.run_pass()
    assert not Link.objects.exists()
