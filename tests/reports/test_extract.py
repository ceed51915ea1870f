from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from newsdesk.reports.extract import Unextractable, extract_link, extract_page
from newsdesk.reports.fetch import fetch_link
from newsdesk.reports.models import Link, Report, ReportImage
from newsdesk.sources.models import Source
from tests.httpfixture import FixtureServer, Route
from tests.reports.pages import PARAGRAPHS, article_page, tiny_png


def test_extract_page_keeps_the_article_and_drops_boilerplate() -> None:
    page = extract_page(article_page(), "http://outlet.test/a.html")
    assert PARAGRAPHS[0] in page.text
    assert PARAGRAPHS[-1] in page.text
    for boilerplate in ("cookies", "Advertisement", "Council approves", "Great news", "Copyright"):
        assert boilerplate not in page.text
    assert page.title == "Eastvale reopens Mill Street bridge after flood repairs"
    assert page.author == "Ida Brenner"
    assert page.language == "en"
    assert page.meta.published_at is not None and page.meta.published_at.isoformat().startswith(
        "2026-11-17T08"
    )


def test_canonical_url_wins_and_loses_tracking() -> None:
    html = article_page(canonical="http://outlet.test/a.html?utm_campaign=x")
    assert (
        extract_page(html, "http://outlet.test/a.html?ref=home").url == "http://outlet.test/a.html"
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty page"), (b"<html><body><p>Too short.</p></body></html>", "no article text")],
)
def test_unextractable_pages_say_why(content: bytes, reason: str) -> None:
    with pytest.raises(Unextractable, match=reason):
        extract_page(content, "http://outlet.test/x.html")


@pytest.fixture
def source(db: None) -> Source:
    return Source.objects.create(name="Test Outlet", slug="test-outlet")


def _ingest(web: FixtureServer, source: Source, path: str) -> Link:
    link = Link.objects.create(url=web.url(path), source=source)
    fetch_link(link.pk)
    extract_link(link.pk)
    return Link.objects.get(pk=link.pk)


def test_fetch_then_extract_stores_report_and_records_image(
    web: FixtureServer, source: Source
) -> None:
    web.routes["/img/bridge.png"] = Route(tiny_png(), content_type="image/png")
    web.routes["/a.html"] = Route(article_page(image=web.url("/img/bridge.png")))
    link = _ingest(web, source, "/a.html")
    assert link.state == Link.State.DONE and link.body is None
    report = Report.objects.get()
    assert link.report == report
    assert report.url == web.url("/a.html") and report.section_hint == "World"
    image = report.images.get()
    assert image.caption == "The rebuilt bridge at dawn." and image.credit == "Test Outlet"
    # Recorded, not downloaded: the images stage fetches it (tests/reports/test_images.py).
    assert image.url == web.url("/img/bridge.png")
    assert image.state == ReportImage.State.PENDING and image.file == ""
    assert "/img/bridge.png" not in [path for path, _ in web.requests]


def test_extract_is_idempotent(web: FixtureServer, source: Source) -> None:
    web.routes["/a.html"] = Route(article_page())
    link = Link.objects.create(url=web.url("/a.html"), source=source)
    fetch_link(link.pk)
    body = Link.objects.get(pk=link.pk).body
    extract_link(link.pk)
    # A crash after the report was stored but before the link was marked done:
    Link.objects.filter(pk=link.pk).update(state=Link.State.FETCHED, body=body, report=None)
    extract_link(link.pk)
    assert Report.objects.count() == 1
    assert Link.objects.get(pk=link.pk).report == Report.objects.get()


def test_two_urls_for_one_canonical_page_make_one_report(
    web: FixtureServer, source: Source
) -> None:
    page = article_page(canonical=web.url("/a.html"))
    web.routes["/a.html"] = Route(page)
    web.routes["/a.html?from=rss"] = Route(page)
    _ingest(web, source, "/a.html")
    second = _ingest(web, source, "/a.html?from=rss")
    assert Report.objects.count() == 1 and second.report == Report.objects.get()


def test_a_copy_on_another_site_is_tied_to_its_original(web: FixtureServer, source: Source) -> None:
    other = Source.objects.create(name="Other Outlet", slug="other-outlet")
    web.routes["/a.html"] = Route(article_page())
    web.routes["/copy.html"] = Route(article_page(title="Mill Street bridge reopens"))
    _ingest(web, source, "/a.html")
    _ingest(web, other, "/copy.html")
    original, copy = Report.objects.order_by("id")
    assert copy.duplicate_of == original and original.duplicate_of is None
    assert copy.content_hash == original.content_hash


def test_unparseable_page_is_recorded_with_its_reason(web: FixtureServer, source: Source) -> None:
    web.routes["/empty.html"] = Route(b"<html><body><div>Loading...</div></body></html>")
    link = _ingest(web, source, "/empty.html")
    assert link.state == Link.State.FAILED
    assert link.error.startswith("cannot extract: no article text found")
    assert Report.objects.count() == 0


def test_non_html_is_skipped(web: FixtureServer, source: Source) -> None:
    web.routes["/file.pdf"] = Route(b"%PDF-1.4", content_type="application/pdf")
    link = _ingest(web, source, "/file.pdf")
    assert link.state == Link.State.FAILED and "not an HTML page" in link.error


def test_transient_failures_are_retried_later_then_given_up(
    web: FixtureServer, source: Source, settings: Settings
) -> None:
    settings.NEWSDESK_FETCH_MAX_ATTEMPTS = 2
    web.routes["/flaky.html"] = Route(b"busy", status=503)
    link = Link.objects.create(url=web.url("/flaky.html"), source=source)
    assert fetch_link(link.pk) == Link.State.PENDING
    link.refresh_from_db()
    assert link.next_attempt_at is not None and link.attempts == 1
    assert fetch_link(link.pk) == Link.State.FAILED
