"""Metadata through fetch and extract into the stored report: section, kind, URL, images."""

from __future__ import annotations

import json

import pytest

from newsdesk.reports.extract import extract_link
from newsdesk.reports.fetch import fetch_link
from newsdesk.reports.models import Link, Report
from newsdesk.sources.models import Source
from tests.httpfixture import FixtureServer, Route
from tests.reports.pages import article_page, tiny_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    return Source.objects.create(name="Test Outlet", slug="test-outlet")


def ingest(
    web: FixtureServer, source: Source, path: str, categories: list[str] | None = None
) -> Report:
    link = Link.objects.create(url=web.url(path), source=source, feed_categories=categories or [])
    fetch_link(link.pk)
    extract_link(link.pk)
    report = Link.objects.get(pk=link.pk).report
    assert report is not None, Link.objects.get(pk=link.pk).error
    return report


def test_section_falls_back_to_the_feed_category_then_the_url_path(
    web: FixtureServer, source: Source
) -> None:
    web.routes["/business/2026/11/17/a.html"] = Route(article_page(section=""))
    web.routes["/business/2026/11/17/b.html"] = Route(article_page(section="", title="Other"))
    web.routes["/business/2026/11/17/c.html"] = Route(article_page(section="Markets", title="C"))
    assert ingest(web, source, "/business/2026/11/17/a.html", ["Transport"]).section_hint == (
        "Transport"
    )
    assert ingest(web, source, "/business/2026/11/17/b.html").section_hint == "Business"
    assert ingest(web, source, "/business/2026/11/17/c.html", ["Transport"]).section_hint == (
        "Markets"
    )


def test_one_report_for_urls_that_differ_only_in_tracking(
    web: FixtureServer, source: Source
) -> None:
    page = article_page()
    web.routes["/a.html"] = Route(page)
    web.routes["/a.html?utm_source=rss&utm_medium=feed"] = Route(page)
    web.routes["/a.html?fbclid=abc"] = Route(page)
    reports = {
        ingest(web, source, path)
        for path in ("/a.html?utm_source=rss&utm_medium=feed", "/a.html?fbclid=abc", "/a.html")
    }
    assert len(reports) == 1 and Report.objects.get().url == web.url("/a.html")


def test_a_canonical_to_the_homepage_does_not_merge_articles(
    web: FixtureServer, source: Source
) -> None:
    home = web.url("/")
    web.routes["/a.html"] = Route(article_page(canonical=home))
    web.routes["/b.html"] = Route(article_page(canonical=home, title="Another story"))
    first, second = ingest(web, source, "/a.html"), ingest(web, source, "/b.html")
    assert first != second
    assert (first.url, second.url) == (web.url("/a.html"), web.url("/b.html"))


@pytest.mark.parametrize(
    ("path", "head", "kind"),
    [
        (
            "/world/a.html",
            '<script type="application/ld+json">'
            + json.dumps({"@type": "OpinionNewsArticle", "headline": "Why bridges matter"})
            + "</script>",
            Report.Kind.OPINION,
        ),
        ("/opinions/bridges.html", "", Report.Kind.OPINION),
        ("/%D8%B1%D8%A3%D9%8A/bridges.html", "", Report.Kind.OPINION),  # /رأي/
        ("/world/bridges.html", "", Report.Kind.NEWS),
    ],
)
def test_opinion_by_markup_or_path(
    web: FixtureServer, source: Source, path: str, head: str, kind: Report.Kind
) -> None:
    web.routes[path] = Route(article_page(head=head))
    assert ingest(web, source, path).kind == kind


def test_arabic_page_without_language_markup(web: FixtureServer, source: Source) -> None:
    paragraphs = [
        "افتتحت هيئة النهر في المدينة الجسر الجديد صباح الثلاثاء بعد تسعة أشهر من الفيضانات "
        "التي ألحقت أضرارا بقوسين من أقواسه الحجرية الثلاثة.",
        "واستبدل المهندسون الأقواس المتضررة بأخرى من الخرسانة المسلحة مكسوة بالحجر الأصلي، "
        "ووسعوا سطح الجسر ليحمل مسارا محميا للدراجات في كل اتجاه.",
        "وبلغت كلفة الأشغال أربعة عشر مليون يورو، أي أكثر بمليونين من التقدير الأول، لأن "
        "الغواصين وجدوا أضرارا تحت الدعامة الوسطى لم تكن ظاهرة من الضفتين.",
    ]
    web.routes["/ar.html"] = Route(
        article_page(lang="", title="افتتاح جسر شارع الطاحونة", paragraphs=paragraphs)
    )
    assert ingest(web, source, "/ar.html").language == "ar"


def test_inline_images_are_stored_with_their_credits(web: FixtureServer, source: Source) -> None:
    web.routes["/img/lead.png"] = Route(tiny_png(), content_type="image/png")
    web.routes["/img/inline.png"] = Route(tiny_png(), content_type="image/png")
    inline = (
        '<figure><img src="/img/inline.png"><figcaption>Cyclists on the new lane. '
        '<small class="photo-credit">Photo: Ana Ruiz</small></figcaption></figure>'
    )
    web.routes["/a.html"] = Route(article_page(image=web.url("/img/lead.png"), after_body=inline))
    report = ingest(web, source, "/a.html")
    images = [(i.position, i.caption, i.credit) for i in report.images.all()]
    assert images == [
        (0, "The rebuilt bridge at dawn.", "Test Outlet"),
        (1, "Cyclists on the new lane.", "Ana Ruiz"),
    ]
