from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

import pytest
from pytest_django.fixtures import Settings

from newsdesk.reports.models import Link
from newsdesk.sources.discover import InvalidFeed, discover_feed, read_feed
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.sources import feeds

BASE = "http://maps.test"
XML = "application/xml"


def test_a_sitemap_lists_its_urls_with_lastmod() -> None:
    parsed = read_feed(feeds.render(feeds.SITEMAP, BASE), BASE + "/sitemap.xml")
    assert parsed.kind == "sitemap" and not parsed.news
    urls = [entry.url for entry in parsed.entries]
    # javascript: dropped, tracking parameters stripped, &amp; read as &.
    assert urls == [
        BASE + "/s/fresh.html",
        BASE + "/s/stale.html",
        BASE + "/s/earlier.html",
        BASE + "/s/undated.html",
        BASE + "/s/q.html?a=1&b=2",
    ]
    dated = [entry.published_at for entry in parsed.entries]
    assert dated[3] is None and all(d is not None for d in dated[:3])


def test_a_news_sitemap_gives_title_date_language_and_keywords() -> None:
    parsed = read_feed(feeds.render(feeds.NEWS_SITEMAP, BASE), BASE + "/news.xml")
    assert parsed.kind == "sitemap" and parsed.news and parsed.language == "es"
    summit = parsed.entries[0]
    assert summit.url == BASE + "/n/summit.html"
    assert summit.title == "Summit ends in accord"
    assert summit.categories == ("Politics", "Summit", "Diplomacy")
    assert summit.language == "es"
    assert summit.published_at is not None
    assert datetime.now(UTC) - summit.published_at < timedelta(hours=2)


def test_an_index_lists_its_child_sitemaps() -> None:
    parsed = read_feed(feeds.render(feeds.SITEMAP_INDEX, BASE), BASE + "/sitemaps/index.xml")
    assert parsed.kind == "sitemapindex" and parsed.entries == []
    assert [ref.url for ref in parsed.sitemaps] == [
        BASE + "/sitemaps/old.xml",
        BASE + "/sitemaps/index.xml",
        BASE + "/sitemaps/earlier.xml",
        BASE + "/sitemaps/latest.xml",
    ]


def test_a_gzipped_sitemap_is_read() -> None:
    document = gzip.compress(feeds.render(feeds.SITEMAP, BASE))
    parsed = read_feed(document, BASE + "/sitemap.xml.gz")
    assert parsed.kind == "sitemap" and len(parsed.entries) == 5


def test_a_gzip_bomb_stops_at_the_size_limit(settings: Settings) -> None:
    settings.NEWSDESK_FETCH_MAX_BYTES = 1_000_000
    bomb = gzip.compress(b"<urlset>" + b" " * 50_000_000)
    assert len(bomb) < 100_000
    with pytest.raises(InvalidFeed, match="inflates past 1000000 bytes"):
        read_feed(bomb, BASE + "/sitemap.xml.gz")


def test_a_truncated_sitemap_gives_what_it_has() -> None:
    whole = feeds.render(feeds.SITEMAP, BASE)
    parsed = read_feed(whole[: whole.index(b"<url><loc>javascript")] + b"<url><loc>", BASE)
    assert [e.url for e in parsed.entries][:2] == [BASE + "/s/fresh.html", BASE + "/s/stale.html"]
    with pytest.raises(InvalidFeed, match="invalid sitemap"):
        read_feed(b"<urlset><url><lo", BASE)


def test_documents_declaring_entities_are_refused_unexpanded() -> None:
    # XXE: an entity naming a local file; billion laughs: 2*10^10 characters if expanded.
    with pytest.raises(InvalidFeed, match="declares XML entities"):
        read_feed(feeds.render(feeds.XXE_SITEMAP, BASE), BASE + "/sitemap.xml")
    bomb = feeds.billion_laughs(
        'urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"',
        "<url><loc>http://maps.test/&e10;</loc></url>",
    )
    with pytest.raises(InvalidFeed, match="invalid sitemap"):
        read_feed(bomb, BASE + "/sitemap.xml")


# Discovery: what gets recorded.


@pytest.fixture
def source(db: None) -> Source:
    return Source.objects.create(name="Map Outlet", slug="map-outlet")


def _feed(source: Source, url: str) -> Feed:
    return Feed.objects.create(source=source, url=url)


def _urls() -> set[str]:
    return set(Link.objects.values_list("url", flat=True))


def _requested(web: FixtureServer) -> list[str]:
    # robots.txt is read by the fetcher itself, before a host's first page.
    return [path for path, _ in web.requests if path != "/robots.txt"]


def test_only_recent_sitemap_urls_are_recorded(web: FixtureServer, source: Source) -> None:
    web.routes["/sitemap.xml"] = Route(feeds.render(feeds.SITEMAP, web.base_url), content_type=XML)
    feed = _feed(source, web.url("/sitemap.xml"))
    result = discover_feed(feed.pk)
    assert result.entries == 5 and result.new_links == 4
    assert _urls() == {
        web.url("/s/fresh.html"),
        web.url("/s/earlier.html"),
        web.url("/s/undated.html"),
        web.url("/s/q.html?a=1&b=2"),
    }
    feed.refresh_from_db()
    assert feed.kind == Feed.Kind.SITEMAP and feed.last_error == ""


def test_undated_urls_are_capped(web: FixtureServer, source: Source, settings: Settings) -> None:
    settings.NEWSDESK_DISCOVER_MAX_UNDATED = 3
    locs = "".join(f"<url><loc>{web.url(f'/u/{i}.html')}</loc></url>" for i in range(50))
    web.routes["/sitemap.xml"] = Route(f"<urlset>{locs}</urlset>".encode(), content_type=XML)
    discover_feed(_feed(source, web.url("/sitemap.xml")).pk)
    assert _urls() == {web.url(f"/u/{i}.html") for i in range(3)}


def test_urls_per_pass_are_capped_newest_first(
    web: FixtureServer, source: Source, settings: Settings
) -> None:
    settings.NEWSDESK_DISCOVER_MAX_URLS = 10
    now = datetime.now(UTC)
    locs = "".join(
        f"<url><loc>{web.url(f'/p/{i}.html')}</loc>"
        f"<lastmod>{(now - timedelta(minutes=i)).isoformat()}</lastmod></url>"
        for i in reversed(range(40))
    )
    web.routes["/sitemap.xml"] = Route(f"<urlset>{locs}</urlset>".encode(), content_type=XML)
    discover_feed(_feed(source, web.url("/sitemap.xml")).pk)
    assert _urls() == {web.url(f"/p/{i}.html") for i in range(10)}


def test_a_news_sitemap_records_titles_and_keywords(web: FixtureServer, source: Source) -> None:
    body = feeds.render(feeds.NEWS_SITEMAP, web.base_url)
    web.routes["/news.xml.gz"] = Route(gzip.compress(body), content_type="application/x-gzip")
    discover_feed(_feed(source, web.url("/news.xml.gz")).pk)
    link = Link.objects.get()
    assert link.url == web.url("/n/summit.html")
    assert link.feed_title == "Summit ends in accord"
    assert link.feed_categories == ["Politics", "Summit", "Diplomacy"]


def _child(web: FixtureServer, name: str, age: timedelta) -> None:
    when = (datetime.now(UTC) - age).isoformat()
    web.routes[f"/sitemaps/{name}.xml"] = Route(
        f"<urlset><url><loc>{web.url(f'/{name}/a.html')}</loc><lastmod>{when}</lastmod></url>"
        f"<url><loc>{web.url(f'/{name}/b.html')}</loc><lastmod>{when}</lastmod></url>"
        "</urlset>".encode(),
        content_type=XML,
    )


def test_an_index_is_followed_newest_first_within_budget(
    web: FixtureServer, source: Source, settings: Settings
) -> None:
    settings.NEWSDESK_DISCOVER_MAX_SITEMAPS = 2
    web.routes["/sitemaps/index.xml"] = Route(
        feeds.render(feeds.SITEMAP_INDEX, web.base_url), content_type=XML
    )
    _child(web, "latest", timedelta(hours=1))
    _child(web, "earlier", timedelta(hours=5))
    _child(web, "old", timedelta(days=30))
    feed = _feed(source, web.url("/sitemaps/index.xml"))
    result = discover_feed(feed.pk)
    # The index lists itself (never read twice) and an old child (skipped by its lastmod);
    # the budget of two children goes to the newest ones.
    requested = _requested(web)
    assert requested.count("/sitemaps/index.xml") == 1
    assert "/sitemaps/old.xml" not in requested
    assert set(requested) == {
        "/sitemaps/index.xml",
        "/sitemaps/latest.xml",
        "/sitemaps/earlier.xml",
    }
    assert result.new_links == 4 and result.error == ""
    assert _urls() == {web.url(f"/{n}/{x}.html") for n in ("latest", "earlier") for x in "ab"}
    feed.refresh_from_db()
    assert feed.kind == Feed.Kind.SITEMAP_INDEX


def test_indexes_that_list_each_other_end(web: FixtureServer, source: Source) -> None:
    recent = (datetime.now(UTC) - timedelta(hours=1)).isoformat()

    def index(*children: str) -> Route:
        items = "".join(
            f"<sitemap><loc>{web.url(c)}</loc><lastmod>{recent}</lastmod></sitemap>"
            for c in children
        )
        return Route(f"<sitemapindex>{items}</sitemapindex>".encode(), content_type=XML)

    web.routes["/a.xml"] = index("/b.xml", "/a.xml")
    web.routes["/b.xml"] = index("/a.xml", "/sitemaps/day.xml")
    _child(web, "day", timedelta(hours=2))
    result = discover_feed(_feed(source, web.url("/a.xml")).pk)
    requested = _requested(web)
    assert requested == ["/a.xml", "/b.xml", "/sitemaps/day.xml"]
    assert result.new_links == 2


def test_an_index_whose_children_all_fail_is_an_error(web: FixtureServer, source: Source) -> None:
    web.routes["/sitemaps/index.xml"] = Route(
        feeds.render(feeds.SITEMAP_INDEX, web.base_url), content_type=XML
    )
    result = discover_feed(_feed(source, web.url("/sitemaps/index.xml")).pk)
    assert "no child sitemap could be read" in result.error and "HTTP 404" in result.error
    source.refresh_from_db()
    assert source.last_status == "error" and source.consecutive_failures == 1


def test_a_sitemap_is_told_by_content_not_by_url_or_type(
    web: FixtureServer, source: Source
) -> None:
    # An RSS feed served at sitemap.xml as text/html is an RSS feed.
    web.routes["/sitemap.xml"] = Route(feeds.render(feeds.RSS2, web.base_url))
    feed = _feed(source, web.url("/sitemap.xml"))
    discover_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.kind == Feed.Kind.RSS and Link.objects.count() == 2


def test_a_host_asking_for_a_pause_defers_without_failing(
    web: FixtureServer, source: Source
) -> None:
    # A crawl delay longer than a fetch may wait: after the index, the host's turn is too far.
    web.routes["/robots.txt"] = Route(
        b"User-agent: *\nCrawl-delay: 60\n", content_type="text/plain"
    )
    web.routes["/sitemaps/index.xml"] = Route(
        feeds.render(feeds.SITEMAP_INDEX, web.base_url), content_type=XML
    )
    _child(web, "latest", timedelta(hours=1))
    feed = _feed(source, web.url("/sitemaps/index.xml"))
    first = discover_feed(feed.pk)
    assert first.error == "" and not first.deferred
    assert _requested(web) == ["/sitemaps/index.xml"]
    second = discover_feed(feed.pk)
    assert second.deferred and second.error == ""
    source.refresh_from_db()
    assert source.consecutive_failures == 0 and source.last_status == "ok"
