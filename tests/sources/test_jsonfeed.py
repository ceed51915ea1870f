from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.reports.models import Link
from newsdesk.sources.discover import InvalidFeed, discover_feed, read_feed
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.sources import feeds

BASE = "http://json.test"


def test_items_give_clean_urls_titles_dates_and_tags() -> None:
    parsed = read_feed(feeds.render(feeds.JSON_FEED, BASE), BASE + "/feed.json")
    assert parsed.kind == "json"
    assert parsed.title == "JSON Outlet" and parsed.link == BASE + "/"
    assert parsed.language == "fr"
    by_url = {entry.url: entry for entry in parsed.entries}
    # javascript:, a non-string url and a non-object item are dropped; the rest kept in order.
    assert list(by_url) == [
        BASE + "/j/market.html",
        BASE + "/j/linked.html",
        BASE + "/j/undated.html",
    ]
    market = by_url[BASE + "/j/market.html"]
    assert market.title == "Market reopens" and market.categories == ("Economy", "Local")
    assert market.summary == "Stalls are back"
    assert market.published_at is not None and market.published_at.tzinfo is not None
    assert market.language == "fr"
    # external_url stands in for a missing url; date_modified for a missing date_published.
    assert by_url[BASE + "/j/linked.html"].published_at is not None
    undated = by_url[BASE + "/j/undated.html"]
    assert undated.published_at is None and undated.categories == ()
    assert undated.title == "Bold claim"


def test_version_1_0_is_read_and_dates_become_utc() -> None:
    document = b"\xef\xbb\xbf\n" + feeds.render(feeds.JSON_FEED_1_0, BASE)
    parsed = read_feed(document, BASE + "/feed.json")
    (entry,) = parsed.entries
    assert entry.url == BASE + "/k/one.html"
    assert entry.published_at == datetime(2026, 11, 17, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
            "invalid JSON Feed: not JSON",
        ),
        (b'{"title": "no version", "items": []}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}', "no list of items"),
        (b"[1, 2, 3]", "not a JSON object"),
        (b'{"version": "\xff"}', "not JSON"),
        (b"[" * 100_000, "JSON"),
    ],
    ids=["truncated", "no-version", "items-not-list", "array", "bad-bytes", "deep-nesting"],
)
def test_bad_json_gives_a_clear_reason(document: bytes, reason: str) -> None:
    with pytest.raises(InvalidFeed, match=reason):
        read_feed(document, BASE + "/feed.json")


@pytest.mark.django_db
def test_a_json_feed_is_discovered_whatever_its_declared_type(web: FixtureServer) -> None:
    source = Source.objects.create(name="JSON Outlet", slug="json-outlet")
    feed = Feed.objects.create(source=source, url=web.url("/feed"))
    web.routes["/feed"] = Route(
        feeds.render(feeds.JSON_FEED, web.base_url), content_type="text/plain"
    )
    result = discover_feed(feed.pk)
    assert result.error == "" and result.new_links == 3
    feed.refresh_from_db()
    assert feed.kind == Feed.Kind.JSON and feed.entries_seen == 3
    link = Link.objects.get(url=web.url("/j/market.html"))
    assert link.feed_title == "Market reopens" and link.feed_categories == ["Economy", "Local"]


@pytest.mark.django_db
def test_a_broken_json_feed_is_recorded_on_the_feed_and_source(web: FixtureServer) -> None:
    source = Source.objects.create(name="JSON Outlet", slug="json-outlet")
    feed = Feed.objects.create(source=source, url=web.url("/feed.json"))
    web.routes["/feed.json"] = Route(b'{"version": "https://jsonfeed.org/version/1", "items": [')
    result = discover_feed(feed.pk)
    assert "invalid JSON Feed" in result.error
    feed.refresh_from_db()
    source.refresh_from_db()
    assert "invalid JSON Feed" in feed.last_error
    assert source.last_status == "error" and "invalid JSON Feed" in source.last_error
