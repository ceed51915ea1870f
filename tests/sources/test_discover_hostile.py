"""Feeds from a hostile or careless web: markup, odd links, broken XML, entity tricks, repeats."""

from __future__ import annotations

import time

import pytest

from newsdesk.reports.models import Link
from newsdesk.sources.discover import InvalidFeed, discover_feed, parse_feed, read_feed
from newsdesk.sources.entries import plain_text
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.sources import feeds

BASE = "http://hostile.test"
XML = "application/xml"


def test_markup_in_titles_and_summaries_ends_as_plain_text() -> None:
    entries = parse_feed(feeds.render(feeds.HOSTILE_RSS, BASE), BASE + "/feed")
    cdata = entries[0]
    assert cdata.title == "Cdata title"
    assert cdata.summary == "Hi"
    for entry in (cdata, *parse_feed(feeds.render(feeds.SCRIPTED, BASE), BASE)):
        for text in (entry.title, entry.summary):
            assert "<" not in text and "steal" not in text and "alert" not in text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("x <script>steal()</script> y", "x y"),
        ("<p>One</p><p>Two</p>", "One Two"),
        ("<b>Bo</b>ld", "Bold"),
        ("Fish &amp; chips", "Fish & chips"),
        ("Profits < forecasts", "Profits < forecasts"),
        ("  spaced\n\tout ", "spaced out"),
    ],
)
def test_plain_text(value: str, text: str) -> None:
    assert plain_text(value) == text


def test_only_http_links_are_kept_and_they_are_canonical() -> None:
    entries = parse_feed(feeds.render(feeds.HOSTILE_RSS, BASE), BASE + "/feed")
    assert [e.url for e in entries] == [BASE + "/h/cdata.html", BASE + "/h/good.html?id=7"]


def test_a_slightly_broken_feed_that_yields_entries_is_used() -> None:
    parsed = read_feed(feeds.render(feeds.SLIGHTLY_BROKEN_RSS, BASE), BASE + "/feed")
    assert parsed.kind == "rss"
    assert [e.url for e in parsed.entries][:2] == [BASE + "/r/roads.html", BASE + "/r/rail.html"]


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"", "empty"),
        (b"<html><head><title>Home</title></head><body><p>Hi<br></body></html>", "HTML page"),
        (b"<!DOCTYPE html><html><body></body></html>", "HTML page"),
        (b"<rss><channel><item><title>unclosed", "invalid feed: XML syntax error"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "invalid feed"),
        (b"<catalog><book/></catalog>", "not a feed"),
    ],
    ids=["empty", "html", "html5", "invalid-xml", "binary", "other-xml"],
)
def test_what_is_no_feed_says_why(document: bytes, reason: str) -> None:
    with pytest.raises(InvalidFeed, match=reason):
        read_feed(document, BASE + "/feed")


def test_entity_tricks_in_a_feed_are_not_expanded() -> None:
    bomb = feeds.billion_laughs(
        'rss version="2.0"',
        f"<channel><title>&e10;</title><item><title>Item</title>"
        f"<link>{BASE}/e/item.html</link></item></channel>",
    )
    started = time.monotonic()
    try:
        parsed = read_feed(bomb, BASE + "/feed")
    except InvalidFeed:
        pass
    else:
        assert len(parsed.title) < 1000
        assert [e.url for e in parsed.entries] == [BASE + "/e/item.html"]
    assert time.monotonic() - started < 2


# Discovery against the loopback web.


@pytest.fixture
def source(db: None) -> Source:
    return Source.objects.create(name="Hostile Outlet", slug="hostile-outlet")


def test_a_feed_with_scripts_stores_plain_titles_and_no_bad_links(
    web: FixtureServer, source: Source
) -> None:
    web.routes["/feed.xml"] = Route(feeds.render(feeds.HOSTILE_RSS, web.base_url), content_type=XML)
    feed = Feed.objects.create(source=source, url=web.url("/feed.xml"))
    assert discover_feed(feed.pk).new_links == 2
    titles = set(Link.objects.values_list("feed_title", flat=True))
    assert titles == {"Cdata title", "Good link"}
    assert all(url.startswith(web.base_url) for url in Link.objects.values_list("url", flat=True))


def test_an_invalid_xml_feed_is_a_recorded_error_and_others_go_on(
    web: FixtureServer, source: Source
) -> None:
    web.routes["/bad.xml"] = Route(b"<rss><channel><item><title>unclosed", content_type=XML)
    web.routes["/good.xml"] = Route(feeds.render(feeds.RSS2, web.base_url), content_type=XML)
    bad = Feed.objects.create(source=source, url=web.url("/bad.xml"))
    other = Source.objects.create(name="Good Outlet", slug="good-outlet")
    good = Feed.objects.create(source=other, url=web.url("/good.xml"))
    assert discover_feed(bad.pk).error.startswith("invalid feed: XML syntax error")
    assert discover_feed(good.pk).new_links == 2
    bad.refresh_from_db()
    source.refresh_from_db()
    assert bad.last_error.startswith("invalid feed") and bad.kind == ""
    assert source.last_status == "error" and "invalid feed" in source.last_error
    assert Source.objects.get(pk=other.pk).last_status == "ok"


def test_a_slightly_broken_feed_is_used_in_discovery(web: FixtureServer, source: Source) -> None:
    web.routes["/feed.xml"] = Route(
        feeds.render(feeds.SLIGHTLY_BROKEN_RSS, web.base_url), content_type=XML
    )
    feed = Feed.objects.create(source=source, url=web.url("/feed.xml"))
    result = discover_feed(feed.pk)
    assert result.error == "" and result.new_links >= 2
    source.refresh_from_db()
    assert source.last_status == "ok"


def test_one_article_listed_twice_and_in_two_feeds_is_one_link(
    web: FixtureServer, source: Source
) -> None:
    item = "<item><title>{title}</title><link>{url}</link></item>"
    article = web.url("/a/story.html")
    variants = [
        article + "?utm_source=rss&utm_medium=feed",
        article + "?fbclid=XYZ",
        article + "#comments",
        article.replace("http://127.0.0.1", "HTTP://127.0.0.1"),
    ]
    first = "".join(item.format(title=f"Story {i}", url=u) for i, u in enumerate(variants[:2]))
    second = "".join(item.format(title="Story again", url=u) for u in variants[2:])
    for path, items in (("/one.xml", first), ("/two.xml", second)):
        body = f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
        web.routes[path] = Route(body.replace("&", "&amp;").encode(), content_type=XML)
    one = Feed.objects.create(source=source, url=web.url("/one.xml"))
    two = Feed.objects.create(source=source, url=web.url("/two.xml"))
    assert discover_feed(one.pk).new_links == 1
    assert discover_feed(two.pk).new_links == 0
    link = Link.objects.get()
    assert link.url == article and link.feed_title == "Story 0" and link.feed_id == one.pk
