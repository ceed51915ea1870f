"""A loopback "hostile web": one ingest pass over sources that misbehave in every way we know,
next to sources that behave. Each hostile one ends in a clear recorded error, in bounded time
and memory, and the good ones are ingested all the same."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from newsdesk.pipeline.runner import run_pass
from newsdesk.reports.models import Link, Report
from newsdesk.sources.http import FetchDeferred, fetch
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route, serve
from tests.reports.pages import article_page
from tests.sources.hostile import (
    HostileServer,
    drip,
    endless_redirects,
    gzip_bomb,
    hostile_server,
    huge,
    redirect,
    serve_bytes,
)

pytestmark = pytest.mark.django_db

RSS = "application/rss+xml"
# Written for this test: a short report in Arabic.
ARABIC_TITLE = "افتتاح جسر جديد فوق النهر في المدينة"
ARABIC = [
    "افتتحت بلدية المدينة صباح اليوم جسرا جديدا فوق النهر بعد عامين من أعمال البناء، وحضر "
    "الافتتاح عدد كبير من السكان الذين انتظروا هذا المشروع طويلا.",
    "وقال رئيس البلدية إن الجسر سيختصر زمن الرحلة بين الضفتين إلى عشر دقائق، وإنه صمم ليتحمل "
    "الفيضانات التي تضرب المنطقة في فصل الشتاء.",
    "وأضاف أن البلدية ستفتح ممرا خاصا للدراجات والمشاة في الشهر المقبل، وأن الحافلات ستبدأ "
    "العمل على الخط الجديد بعد أسبوع من الآن.",
]


def rss(base: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link>"
        "<pubDate>Tue, 17 Nov 2026 08:00:00 GMT</pubDate></item>"
        for title, path in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed</title><link>{base}/</link>{entries}</channel></rss>"
    ).encode()


def source(name: str, feed_url: str, language: str = "en") -> Source:
    created = Source.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), language=language
    )
    Feed.objects.create(source=created, url=feed_url)
    return created


@pytest.fixture
def busy() -> Iterator[FixtureServer]:
    yield from serve()


@pytest.fixture
def closed() -> Iterator[FixtureServer]:
    yield from serve()


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    with hostile_server() as server:
        yield server


def good_web(web: FixtureServer) -> None:
    """Two plain outlets, one of them in Arabic with a page that lies about its charset, and
    a feed whose items carry script tags."""
    web.routes["/good.xml"] = Route(
        rss(web.base_url, [("Bridge reopens", "/bridge.html"), ("Port expands", "/port.html")]),
        content_type=RSS,
    )
    web.routes["/bridge.html"] = Route(article_page())
    web.routes["/port.html"] = Route(article_page(title="Harbour authority opens new quay"))
    # windows-1256 bytes behind an HTTP header and a <meta> that both say UTF-8.
    web.routes["/ar.xml"] = Route(rss(web.base_url, [(ARABIC_TITLE, "/ar.html")]), content_type=RSS)
    web.routes["/ar.html"] = Route(
        article_page(title=ARABIC_TITLE, lang="ar", paragraphs=ARABIC, section="")
        .decode()
        .encode("windows-1256"),
        content_type="text/html; charset=utf-8",
    )
    scripted_item = (
        "<item><title>Council &lt;script&gt;alert(1)&lt;/script&gt;votes budget</title>"
        f"<link>{web.base_url}/council.html</link>"
        "<description>&lt;script&gt;alert(2)&lt;/script&gt;Details</description></item>"
    )
    web.routes["/scripted.xml"] = Route(
        rss(web.base_url, []).replace(b"</channel>", scripted_item.encode() + b"</channel>"),
        content_type=RSS,
    )
    web.routes["/council.html"] = Route(
        article_page(
            title="Council votes next year's budget",
            after_body="<script>document.write('alert(3) injected')</script>",
        )
    )


def hostile_web(server: HostileServer) -> None:
    base = server.base_url
    port = base.rsplit(":", 1)[1]
    pages = [
        ("Drip", "/drip"),
        ("Loop", "/hop/0"),
        ("Huge", "/huge"),
        ("Bomb", "/bomb"),
        ("Private", "/to-private"),
        ("Metadata", "/to-metadata"),
    ]
    server.routes["/pages.xml"] = serve_bytes(rss(base, pages), RSS)
    server.routes["/drip"] = drip(server)
    server.routes["/hop"] = endless_redirects("/hop")
    server.routes["/huge"] = huge(server)
    server.routes["/bomb"] = gzip_bomb(server)
    # Another loopback address, not the allowed 127.0.0.1, and a cloud metadata service.
    server.routes["/to-private"] = redirect(f"http://127.0.0.2:{port}/pages.xml")
    server.routes["/to-metadata"] = redirect("http://169.254.169.254/latest/meta-data/")
    server.routes["/feed-drip"] = drip(server)
    server.routes["/feed-loop"] = endless_redirects("/feed-loop")
    server.routes["/feed-huge"] = huge(server, declared=False)
    server.routes["/feed-bomb"] = gzip_bomb(server)
    server.routes["/feed-private"] = redirect("http://10.0.0.1/feed.xml")
    server.routes["/invalid.xml"] = serve_bytes(
        b"<?xml version='1.0'?><rss><channel><item><title>Broken</titl", "application/xml"
    )


def test_one_pass_over_a_hostile_web(
    web: FixtureServer,
    busy: FixtureServer,
    closed: FixtureServer,
    hostile: HostileServer,
    settings: Settings,
) -> None:
    settings.NEWSDESK_FETCH_TOTAL_TIMEOUT = 3.0
    good_web(web)
    hostile_web(hostile)
    busy.routes["/feed.xml"] = Route(b"slow down", 429, "text/plain", {"Retry-After": "120"})
    closed.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /\n", content_type="text/plain")
    closed.routes["/feed.xml"] = Route(rss(closed.base_url, []), content_type=RSS)
    good = source("Good Outlet", web.url("/good.xml"))
    arabic = source("Arabic Outlet", web.url("/ar.xml"), language="ar")
    scripted = source("Scripted Outlet", web.url("/scripted.xml"))
    pages = source("Hostile Pages", hostile.url("/pages.xml"))
    bad_feeds = {
        "Drip Feed": (hostile.url("/feed-drip"), "timed out"),
        "Loop Feed": (hostile.url("/feed-loop/0"), "too many redirects"),
        "Huge Feed": (hostile.url("/feed-huge"), "too large"),
        "Bomb Feed": (hostile.url("/feed-bomb"), "decompression bomb"),
        "Private Feed": (hostile.url("/feed-private"), "refused address: 10.0.0.1 is private"),
        "Invalid Feed": (hostile.url("/invalid.xml"), ""),
        "Busy Feed": (busy.url("/feed.xml"), "HTTP 429"),
        "Closed Feed": (closed.url("/feed.xml"), "disallowed by robots.txt"),
    }
    bad = {name: source(name, url) for name, (url, _) in bad_feeds.items()}
    everything = [good.pk, arabic.pk, scripted.pk, pages.pk, *(s.pk for s in bad.values())]

    tracemalloc.start()
    started = time.monotonic()
    try:
        summary = run_pass(source_ids=everything)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # Bounded: drips stop at the 3 s deadline, the rest fails at once; nothing is held whole.
    assert elapsed < 30
    assert peak < 48 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"

    # The good sources went on.
    assert Report.objects.filter(source=good).count() == 2
    report = Report.objects.get(source=arabic)
    assert report.title.startswith(ARABIC_TITLE)
    assert "رئيس البلدية" in report.text and "ممرا خاصا للدراجات" in report.text
    council = Link.objects.get(source=scripted)
    assert "<script" not in council.feed_title and "alert" not in council.feed_title
    assert "alert" not in Report.objects.get(source=scripted).text

    # Each hostile feed: a clear error on its feed and its source, which now backs off.
    now = timezone.now()
    for name, (_, expected) in bad_feeds.items():
        feed = Feed.objects.select_related("source").get(source=bad[name])
        assert feed.last_error and expected in feed.last_error, (name, feed.last_error)
        assert feed.source.last_status == "error" and feed.source.consecutive_failures == 1
        assert feed.source.next_check_at is not None and feed.source.next_check_at > now
        assert expected in feed.source.last_error
    assert Feed.objects.get(source=bad["Busy Feed"]).last_status == 429

    # Each hostile page: a clear error on its link.
    expected_pages = {
        "/drip": "timed out",
        "/hop/0": "too many redirects",
        "/huge": "too large",
        "/bomb": "decompression bomb",
        "/to-private": "refused address: 127.0.0.2 is loopback",
        "/to-metadata": "refused address: 169.254.169.254 is link-local",
    }
    for path, expected in expected_pages.items():
        link = Link.objects.get(url=hostile.url(path))
        assert link.state != Link.State.DONE and expected in link.error, (path, link.error)
    problems = {p.source for p in summary.problems}
    assert {"Hostile Pages", *bad_feeds} <= problems
    assert not problems & {"Good Outlet", "Arabic Outlet", "Scripted Outlet"}

    # Politeness held: robots.txt kept the closed site's feed unread, and the busy site is not
    # asked again before its Retry-After is over.
    assert [path for path, _ in closed.requests] == ["/robots.txt"]
    asked = len(busy.requests)
    with pytest.raises(FetchDeferred) as deferred:
        fetch(busy.url("/feed.xml"))
    assert deferred.value.retry_after is not None and 100 < deferred.value.retry_after <= 120
    assert len(busy.requests) == asked
    # The bomb was not inflated: well under a tenth of its 10 GiB was ever sent.
    assert hostile.bytes_sent < 1024 * 1024 * 1024
