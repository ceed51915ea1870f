from __future__ import annotations

import pytest

from newsdesk.reports.models import Link
from newsdesk.sources.discover import InvalidFeed, discover_feed, parse_feed
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.sources import feeds

XML = "application/xml"


@pytest.mark.parametrize(
    "document", [feeds.RSS2, feeds.ATOM, feeds.RSS1], ids=["rss2", "atom", "rss1"]
)
def test_each_feed_format_gives_absolute_clean_urls(document: bytes) -> None:
    entries = parse_feed(feeds.render(document, "http://news.test"), "http://news.test/feed")
    assert entries
    for entry in entries:
        assert entry.url.startswith("http://news.test/")
        assert "utm_" not in entry.url
        assert entry.title and entry.published_at is not None


def test_categories_and_times_are_kept() -> None:
    entries = parse_feed(feeds.render(feeds.RSS1, "http://n.test"), "http://n.test/feed")
    assert entries[0].categories == ("Business",)
    assert entries[0].published_at is not None and entries[0].published_at.hour == 11


def test_script_tags_in_items_never_reach_titles() -> None:
    entries = parse_feed(feeds.render(feeds.SCRIPTED, "http://n.test"), "http://n.test/feed")
    assert "<script" not in entries[0].title and "alert" not in entries[0].title


def test_garbage_is_an_invalid_feed() -> None:
    with pytest.raises(InvalidFeed):
        parse_feed(b"<html><body>not a feed</body></html>", "http://n.test/feed")


@pytest.fixture
def feed(web: FixtureServer, db: None) -> Feed:
    source = Source.objects.create(name="Test Outlet", slug="test-outlet")
    return Feed.objects.create(source=source, url=web.url("/feed.xml"))


def test_discover_records_each_url_once(web: FixtureServer, feed: Feed) -> None:
    web.routes["/feed.xml"] = Route(feeds.render(feeds.RSS2, web.base_url), content_type=XML)
    first = discover_feed(feed.pk)
    again = discover_feed(feed.pk)
    assert first.new_links == 2 and again.new_links == 0
    assert Link.objects.count() == 2
    link = Link.objects.get(url=web.url("/a/bridge.html"))
    assert link.feed_title == "Bridge reopens after repairs" and link.feed_categories == ["World"]
    source = Source.objects.get()
    assert source.last_status == "ok" and source.consecutive_failures == 0


def test_discover_uses_conditional_get(web: FixtureServer, feed: Feed) -> None:
    body = feeds.render(feeds.ATOM, web.base_url)

    def answer(handler: object) -> Route:
        if web.requests[-1][1].get("if-none-match") == '"atom-1"':
            return Route(status=304)
        return Route(body, content_type=XML, headers={"ETag": '"atom-1"'})

    web.routes["/feed.xml"] = answer
    discover_feed(feed.pk)
    result = discover_feed(feed.pk)
    assert result.not_modified
    assert Feed.objects.get().etag == '"atom-1"'


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(b"broken", status=500), "HTTP 500"),
        (Route(b"<rss><channel><item><title>unclosed", content_type=XML), "invalid feed"),
    ],
    ids=["server-error", "invalid-xml"],
)
def test_a_failing_feed_is_recorded_on_its_source(
    web: FixtureServer, feed: Feed, route: Route, reason: str
) -> None:
    web.routes["/feed.xml"] = route
    result = discover_feed(feed.pk)
    assert reason in result.error
    source = Source.objects.get()
    assert source.last_status == "error" and reason in source.last_error
    assert source.consecutive_failures == 1
    assert Link.objects.count() == 0
