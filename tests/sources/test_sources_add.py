"""`newsdesk sources add URL`: from a homepage (or a feed, or a sitemap) to stored feeds."""

from __future__ import annotations

import gzip

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from newsdesk.sources.autodiscover import read_page
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.sources import feeds

pytestmark = pytest.mark.django_db

RSS = "application/rss+xml"


def _feeds() -> dict[str, str]:
    return dict(Feed.objects.values_list("url", "kind"))


def _paths(web: FixtureServer) -> list[str]:
    return [path for path, _ in web.requests]


def test_announced_feeds_of_every_kind_are_found_and_checked(
    web: FixtureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    web.routes["/news/"] = Route(
        b'<!DOCTYPE html><html lang="ar-QA"><head><title>Home | Desert Daily</title>'
        b'<meta property="og:site_name" content="Desert Daily">'
        b'<link rel="alternate" type="application/rss+xml" title="All" href="rss.xml">'
        b'<link rel="alternate feed" type="Application/Atom+XML" href="/atom">'
        b'<link rel="alternate" type="application/feed+json" href="//'
        + web.base_url.removeprefix("http://").encode()
        + b'/feed.json">'
        b'<link rel="alternate" type="application/rss+xml" title="Comments Feed"'
        b' href="/comments/feed">'
        b'<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">'
        b'<link rel="alternate" hreflang="fr" href="/fr/">'
        b'<link rel="stylesheet" href="/style.css"></head><body>Home</body></html>'
    )
    web.routes["/news/rss.xml"] = Route(feeds.render(feeds.RSS2, web.base_url), content_type=RSS)
    web.routes["/atom"] = Route(feeds.render(feeds.ATOM, web.base_url), content_type="text/xml")
    web.routes["/feed.json"] = Route(feeds.render(feeds.JSON_FEED, web.base_url))
    web.routes["/wp-json/wp/v2/pages/2"] = Route(b'{"id": 2}', content_type="application/json")

    call_command("sources", "add", web.url("/news/"))

    source = Source.objects.get()
    assert source.name == "Desert Daily" and source.language == "ar"
    assert source.homepage == web.url("/news/")
    assert _feeds() == {
        web.url("/news/rss.xml"): Feed.Kind.RSS,
        web.url("/atom"): Feed.Kind.ATOM,
        web.url("/feed.json"): Feed.Kind.JSON,
    }
    assert "/comments/feed" not in _paths(web)
    out = capsys.readouterr().out
    assert "added Desert Daily" in out and "(atom)" in out


def test_a_feed_redirect_to_one_already_found_is_kept_once(web: FixtureServer) -> None:
    web.routes["/"] = Route(
        b'<html><head><title>Hill Times</title><link rel="alternate" type="application/rss+xml"'
        b' href="/feed/"><link rel="alternate" type="application/rss+xml" href="/rss">'
        b"</head></html>"
    )
    web.routes["/feed/"] = Route(feeds.render(feeds.RSS2, web.base_url), content_type=RSS)
    web.routes["/rss"] = Route(status=301, headers={"Location": "/feed/"})
    call_command("sources", "add", web.url("/"))
    assert _feeds() == {web.url("/feed/"): Feed.Kind.RSS}


def test_without_announcement_the_usual_feed_paths_are_tried(web: FixtureServer) -> None:
    web.routes["/"] = Route(b"<html><head><title>Quiet Post</title></head><body></body></html>")
    # /feed answers a soft 404 (an HTML page): not a feed, so the search goes on.
    web.routes["/feed"] = Route(b"<html><body>Page not found</body></html>")
    web.routes["/rss.xml"] = Route(feeds.render(feeds.RSS1, web.base_url), content_type="text/xml")
    web.routes["/atom.xml"] = Route(feeds.render(feeds.ATOM, web.base_url))
    call_command("sources", "add", web.url("/"))
    assert Source.objects.get().name == "Quiet Post"
    assert _feeds() == {web.url("/rss.xml"): Feed.Kind.RSS}
    # The first feed found ends the search.
    assert "/atom.xml" not in _paths(web)


def test_robots_sitemaps_are_used_when_no_feed_exists(web: FixtureServer) -> None:
    web.routes["/"] = Route(b'<html lang="es"><head><title>Diario Sur</title></head></html>')
    web.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /private/\n"
        b"Sitemap: /maps/all.xml\nsitemap:   " + web.url("/maps/news.xml.gz").encode() + b"\n",
        content_type="text/plain",
    )
    web.routes["/maps/all.xml"] = Route(feeds.render(feeds.SITEMAP_INDEX, web.base_url))
    web.routes["/maps/news.xml.gz"] = Route(
        gzip.compress(feeds.render(feeds.NEWS_SITEMAP, web.base_url)),
        content_type="application/octet-stream",
    )
    call_command("sources", "add", web.url("/"))
    source = Source.objects.get()
    assert source.name == "Diario Sur" and source.language == "es"
    # A news sitemap is preferred to a plain index.
    assert _feeds() == {web.url("/maps/news.xml.gz"): Feed.Kind.SITEMAP}


def test_the_usual_sitemap_paths_come_last(web: FixtureServer) -> None:
    web.routes["/"] = Route(b"<html><head><title>Plain Site</title></head></html>")
    web.routes["/sitemap.xml"] = Route(feeds.render(feeds.SITEMAP_INDEX, web.base_url))
    call_command("sources", "add", web.url("/"))
    assert _feeds() == {web.url("/sitemap.xml"): Feed.Kind.SITEMAP_INDEX}


def test_broken_announced_feeds_fall_back_to_the_usual_paths(web: FixtureServer) -> None:
    web.routes["/"] = Route(
        b'<html><head><title>Coast News</title><link rel="alternate" type="application/rss+xml"'
        b' href="/gone.xml"></head></html>'
    )
    web.routes["/feed"] = Route(feeds.render(feeds.RSS2, web.base_url), content_type=RSS)
    call_command("sources", "add", web.url("/"))
    assert _feeds() == {web.url("/feed"): Feed.Kind.RSS}


def test_a_sitemap_url_is_stored_as_a_sitemap(web: FixtureServer) -> None:
    web.routes["/news-sitemap.xml"] = Route(feeds.render(feeds.NEWS_SITEMAP, web.base_url))
    call_command("sources", "add", web.url("/news-sitemap.xml"), "--country", "ar")
    source = Source.objects.get()
    assert source.name == "127.0.0.1" and source.homepage == web.url("/")
    assert source.language == "es" and source.country == "AR"
    assert _feeds() == {web.url("/news-sitemap.xml"): Feed.Kind.SITEMAP}


def test_a_json_feed_url_is_stored_as_such(web: FixtureServer) -> None:
    web.routes["/feed.json"] = Route(feeds.render(feeds.JSON_FEED, web.base_url))
    call_command("sources", "add", web.url("/feed.json"), "--name", "Le JSON")
    source = Source.objects.get()
    assert source.name == "Le JSON" and source.language == "fr"
    assert _feeds() == {web.url("/feed.json"): Feed.Kind.JSON}


def test_adding_again_adds_nothing(web: FixtureServer, capsys: pytest.CaptureFixture[str]) -> None:
    web.routes["/rss.xml"] = Route(feeds.render(feeds.RSS2, web.base_url), content_type=RSS)
    call_command("sources", "add", web.url("/rss.xml"))
    call_command("sources", "add", web.url("/rss.xml"))
    assert Source.objects.count() == 1 and Feed.objects.count() == 1
    assert "already known as Test Outlet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (
            Route(b"<html><head><title>Nothing</title></head><body></body></html>"),
            r"no feed found on .*no feed announced.*robots\.txt.*/feed, /rss, .*/sitemap\.xml",
        ),
        (
            Route(
                b'<html><head><link rel="alternate" type="application/rss+xml" href="/x.xml">'
                b"</head></html>"
            ),
            r"the feeds it announces cannot be read \(http://127\.0\.0\.1:\d+/x\.xml: HTTP 404\)",
        ),
        (
            Route(b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png"),
            "neither a feed, a sitemap nor an HTML page",
        ),
        (Route(b"gone", status=404), "HTTP 404"),
    ],
    ids=["no-feed", "announced-broken", "not-html", "http-error"],
)
def test_nothing_found_is_a_clear_error(web: FixtureServer, route: Route, message: str) -> None:
    web.routes["/"] = route
    with pytest.raises(CommandError, match=message):
        call_command("sources", "add", web.url("/"))
    assert not Source.objects.exists() and not Feed.objects.exists()


def test_not_a_web_url_is_refused() -> None:
    with pytest.raises(CommandError, match="not an http"):
        call_command("sources", "add", "ftp://files.example.org/feed")


def test_page_reading_resolves_base_and_relative_hrefs() -> None:
    page = read_page(
        b'<html xml:lang="pt-BR"><head><base href="https://site.test/sub/">'
        b'<meta name="application-name" content="Folha Teste">'
        b'<link rel="alternate" type="application/atom+xml" href="atom.xml">'
        b'<link rel="feed" href="../all.rss">'
        b'<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        b"</head></html>",
        "https://other.test/",
    )
    assert page.site_name == "Folha Teste" and page.language == "pt"
    assert page.announced == ("https://site.test/sub/atom.xml", "https://site.test/all.rss")
