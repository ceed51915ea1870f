"""Sources that time out, fail, serve broken feeds or pages: reported by name; the rest goes on."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from newsdesk.demo.corpus import Corpus
from newsdesk.demo.register import register_demo_sources
from newsdesk.pipeline.runner import run_pass
from newsdesk.reports.models import Report
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.sources import feeds

pytestmark = pytest.mark.django_db


def _source(name: str, feed_url: str) -> Source:
    source = Source.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    Feed.objects.create(source=source, url=feed_url)
    return source


def test_bad_sources_are_reported_and_good_ones_ingested(
    corpus: Corpus,
    demo_outlets: str,
    web: FixtureServer,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings.NEWSDESK_FETCH_READ_TIMEOUT = 0.5
    good = register_demo_sources(corpus, demo_outlets)
    web.routes["/slow.xml"] = Route(b"<rss/>", delay=2)
    web.routes["/error.xml"] = Route(b"boom", status=500)
    web.routes["/invalid.xml"] = Route(b"<rss><channel><item>", content_type="application/xml")
    web.routes["/pages.xml"] = Route(
        feeds.render(feeds.RSS2, web.base_url).replace(b"/a/bridge.html?utm_source=rss", b"/blank"),
        content_type="application/rss+xml",
    )
    web.routes["/blank"] = Route(b"<html><body><nav>Home</nav></body></html>")
    bad = [
        _source("Slow Outlet", web.url("/slow.xml")),
        _source("Broken Outlet", web.url("/error.xml")),
        _source("Garbled Outlet", web.url("/invalid.xml")),
        _source("Empty Pages Outlet", web.url("/pages.xml")),
    ]
    summary = run_pass(source_ids=[*good, *(s.pk for s in bad)])

    reasons = {(p.source, p.reason.split(":")[0]) for p in summary.problems}
    assert ("Slow Outlet", "timed out reading") in reasons
    assert ("Broken Outlet", "HTTP 500") in reasons
    assert ("Garbled Outlet", "invalid feed") in reasons
    assert ("Empty Pages Outlet", "cannot extract") in reasons
    assert Report.objects.filter(source_id__in=good).count() == len(corpus.reports)
    for name in ("Slow Outlet", "Broken Outlet", "Garbled Outlet"):
        assert Source.objects.get(name=name).last_status == "error"

    call_command("sources", "list")
    listing = capsys.readouterr().out
    assert "Broken Outlet" in listing and "HTTP 500" in listing


def test_sources_add_finds_the_feed_from_a_homepage(web: FixtureServer) -> None:
    web.routes["/"] = Route(
        b'<html lang="en"><head><title>Lakeside Gazette</title>'
        b'<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>'
        b"<body>News</body></html>"
    )
    web.routes["/rss.xml"] = Route(
        feeds.render(feeds.RSS2, web.base_url), content_type="application/rss+xml"
    )
    call_command("sources", "add", web.url("/"))
    source = Source.objects.get()
    assert source.name == "Lakeside Gazette" and source.language == "en"
    assert list(source.feeds.values_list("url", flat=True)) == [web.url("/rss.xml")]


def test_sources_add_refuses_a_page_without_feed(web: FixtureServer) -> None:
    from django.core.management.base import CommandError

    web.routes["/"] = Route(b"<html><head><title>No feeds</title></head><body>x</body></html>")
    with pytest.raises(CommandError, match="no feed announced"):
        call_command("sources", "add", web.url("/"))
    assert not Source.objects.exists()


def test_sources_add_takes_a_feed_url_too(web: FixtureServer) -> None:
    web.routes["/rss.xml"] = Route(
        feeds.render(feeds.RSS2, web.base_url), content_type="application/rss+xml"
    )
    call_command("sources", "add", web.url("/rss.xml"))
    source = Source.objects.get()
    assert source.name == "Test Outlet" and source.homepage == web.url("/")
    assert list(source.feeds.values_list("url", flat=True)) == [web.url("/rss.xml")]
