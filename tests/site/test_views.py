from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, Settings

from newsdesk.publishing.models import Article
from newsdesk.site.templatetags.site_tags import isoz, media_url
from newsdesk.trends.models import ArticleViews
from tests.site.factories import (
    RUSSIA,
    SYRIA,
    TURKEY,
    FullArticle,
    add_places,
    make_article,
    make_full_article,
)

pytestmark = pytest.mark.django_db

ISO = re.compile(r'<time datetime="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)">\1</time>')


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    """The page's text with whitespace collapsed, as a reader sees it."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def section_between(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def main_column(html: str) -> str:
    """A list page's own list, without the Trends beside it."""
    return section_between(html, '<div class="main-column">', '<aside class="aside"')


def items_in(html: str) -> int:
    return main_column(html).count('<li class="item">')


@pytest.fixture(autouse=True)
def _page_size(settings: Settings) -> None:
    settings.NEWSDESK_PAGE_SIZE = 20
    settings.NEWSDESK_SITE_NAME = "The Test Times"


@pytest.fixture
def story() -> FullArticle:
    return make_full_article(headline="Border talks resume in Geneva")


# --- every page -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/section/world/", "/place/syria/", "article"])
def test_every_page_has_the_common_frame(client: Client, story: FullArticle, url: str) -> None:
    html = get(client, story.article.get_absolute_url() if url == "article" else url)
    assert re.search(r'<html lang="en" dir="ltr">', html)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.search(r"<title>[^<]*The Test Times</title>", html)
    assert '<link rel="stylesheet" href="/static/site/site.css">' in html
    assert '<p class="site-name"><a href="/">The Test Times</a></p>' in html
    nav = section_between(html, '<nav class="sections-nav"', "</nav>")
    for slug in ["world", "politics", "technology", "environment"]:
        assert f'href="/section/{slug}/"' in nav
    assert '<footer class="colophon">' in html


def test_no_page_needs_javascript(client: Client, story: FullArticle) -> None:
    for url in ["/", "/section/world/", "/place/syria/", story.article.get_absolute_url()]:
        assert "<script" not in get(client, url)


# --- home -------------------------------------------------------------------------------


def test_home_leads_with_the_most_referenced_story_of_the_last_day(client: Client) -> None:
    now = timezone.now()
    make_full_article(
        headline="Old but widely covered", outlets=6, published_at=now - timedelta(days=3)
    )
    lead = make_full_article(
        headline="The big story today", outlets=4, published_at=now - timedelta(hours=5)
    )
    make_full_article(headline="A smaller story", outlets=1, published_at=now - timedelta(hours=1))
    html = get(client, "/")
    lead_block = section_between(html, '<article class="lead', "</article>")
    assert "The big story today" in lead_block
    assert lead.article.summary in lead_block
    assert f'href="{lead.article.get_absolute_url()}"' in lead_block
    assert '<img src="/media/images/' in lead_block


def test_home_lists_latest_trends_and_sections(client: Client) -> None:
    make_article(headline="Markets close higher", section="Business")
    make_article(headline="A new telescope sees first light", section="Science")
    make_article(headline="Parliament passes the budget", section="Politics")
    html = get(client, "/")
    # With no refs anywhere the newest story leads, and Latest does not repeat it.
    assert "Parliament passes the budget" in section_between(
        html, '<article class="lead', "</article>"
    )
    latest = section_between(html, 'id="block-latest"', "</section>")
    assert "Markets close higher" in latest
    assert "A new telescope sees first light" in latest
    assert "Parliament passes the budget" not in latest
    assert 'id="block-trends"' in html
    for name, slug in [("Business", "business"), ("Science", "science"), ("Politics", "politics")]:
        assert f'<a href="/section/{slug}/">{name}</a></h2>' in html
        assert f'<a href="/section/{slug}/">More in {name}</a>' in html
    assert "More in Sports" not in html


def test_home_without_articles_still_renders(client: Client) -> None:
    assert "No articles yet" in get(client, "/")


# --- article ----------------------------------------------------------------------------


def test_article_page_shows_every_element_in_order(client: Client, story: FullArticle) -> None:
    article = story.article
    Article.objects.filter(pk=article.pk).update(
        revision_count=2, updated_at=article.published_at + timedelta(hours=1)
    )
    make_article(headline="Another story entirely", summary="Its one-line summary.")
    html = get(client, article.get_absolute_url())
    text = text_of(html)

    markers = [
        '<a class="section-link" href="/section/world/">World</a>',
        '<a href="/place/syria/">Syria</a> / <a href="/place/russia/">Russia</a> / '
        '<a href="/place/turkey/">Turkey</a>',
        '<h1 class="headline">Border talks resume in Geneva</h1>',
        ">Images from the reference sources</h2>",
        f'<p class="summary">{article.summary}</p>',
        "<h2>Section heading 1</h2>",
        "<h2>Section heading 2</h2>",
        '<p class="byline">By The Test Desk</p>',
        ">Refs:</h2>",
        '<p class="dateline">Published <time datetime="',
        'id="block-trends"',
        'id="block-latest"',
    ]
    positions = [html.index(marker) for marker in markers]
    assert positions == sorted(positions)
    assert "World Syria / Russia / Turkey" in text
    assert "Updated" in section_between(html, '<p class="dateline">', "</p>")


def test_article_images_are_credited_to_their_outlet(client: Client, story: FullArticle) -> None:
    html = get(client, story.article.get_absolute_url())
    gallery = section_between(html, '<section class="gallery"', "</section>")
    assert gallery.count("<figure") == 2
    for number, report in enumerate(story.reports[:2], start=1):
        assert f'src="/media/images/{report.pk}/photo.jpg"' in gallery
        assert f"Caption of image {number}" in gallery
        credit = f'<a href="{report.url}" rel="nofollow noopener">{report.source.name}</a>'
        assert credit in gallery


def test_article_body_groups_sentences_into_paragraphs(client: Client, story: FullArticle) -> None:
    html = get(client, story.article.get_absolute_url())
    body = section_between(html, '<div class="article-body">', "By The Test Desk")
    assert body.count("<h2>") == 2
    # Four sentences per section, alternating between two paragraphs.
    assert body.count("<p>") == 4
    first = text_of(section_between(body, "<p>", "</p>"))
    assert first == "Sentence 1 of section 1.[1][2] Sentence 3 of section 1.[1][3]"


def test_refs_list_every_report_with_its_outlet(client: Client, story: FullArticle) -> None:
    html = get(client, story.article.get_absolute_url())
    refs = section_between(html, '<section class="refs"', "</section>")
    for number, report in enumerate(story.reports, start=1):
        link = f'<a href="{report.url}" rel="nofollow noopener">{report.source.name}</a>'
        assert f'<li id="ref-{number}">{link}' in refs
        assert report.title in refs


def test_footnotes_link_to_existing_refs(client: Client, story: FullArticle) -> None:
    html = get(client, story.article.get_absolute_url())
    anchors = set(re.findall(r'<li id="(ref-\d+)">', html))
    markers = re.findall(r'<sup class="fn"><a href="#(ref-\d+)"', html)
    assert len(markers) == 16  # 2 sections x 4 sentences x 2 sources
    assert set(markers) <= anchors
    assert anchors == {"ref-1", "ref-2", "ref-3"}


def test_article_asides_have_iso_times_and_summaries(client: Client, story: FullArticle) -> None:
    other = make_article(
        headline="Rain expected all week",
        summary="Forecasters expect rain until Sunday.",
        published_at=datetime(2026, 11, 18, 7, 47, 20, tzinfo=UTC),
    )
    html = get(client, story.article.get_absolute_url())
    aside = html[html.index('<aside class="aside"') :]
    for block in ["block-trends", "block-latest"]:
        part = section_between(aside, f'id="{block}"', "</section>")
        assert '<a class="item-section" href="/section/world/">World</a>' in part
        assert f'<a href="{other.get_absolute_url()}">Rain expected all week</a>' in part
        assert '<time datetime="2026-11-18T07:47:20Z">2026-11-18T07:47:20Z</time>' in part
        assert "Forecasters expect rain until Sunday." in part
        assert len(ISO.findall(part)) == part.count('<li class="item">')
    # The article itself is not recommended beside itself.
    assert story.article.get_absolute_url() not in aside


def test_article_says_how_it_was_made(client: Client, story: FullArticle) -> None:
    html = get(client, story.article.get_absolute_url())
    box = section_between(html, '<section class="made"', "</section>")
    assert "How this article was made" in box
    for report in story.reports:
        assert report.source.name in box
    assert "extractive" in box
    assert f'<time datetime="{isoz(story.article.updated_at)}">' in box


def test_article_container_carries_language_and_direction(client: Client) -> None:
    arabic = make_full_article(headline="استئناف المحادثات", language="ar", places=[])
    html = get(client, arabic.article.get_absolute_url())
    assert '<article class="article" lang="ar" dir="rtl">' in html
    assert "استئناف المحادثات" in html
    english = make_full_article(places=[])
    html = get(client, english.article.get_absolute_url())
    assert '<article class="article" lang="en" dir="ltr">' in html


def test_article_without_places_or_images(client: Client) -> None:
    plain = make_full_article(places=[], images=0)
    html = get(client, plain.article.get_absolute_url())
    assert "Images from the reference sources" not in html
    assert 'class="places"' not in html


def test_unknown_article_is_404(client: Client) -> None:
    get(client, "/article/no-such-story/", status=404)


def test_each_get_counts_a_view(client: Client, story: FullArticle) -> None:
    url = story.article.get_absolute_url()
    for _ in range(3):
        get(client, url)
    client.head(url)
    views = ArticleViews.objects.filter(article=story.article).aggregate(total=Sum("count"))
    assert views["total"] == 3


def test_pages_refuse_post(client: Client, story: FullArticle) -> None:
    assert client.post(story.article.get_absolute_url()).status_code == 405


# --- section and place pages --------------------------------------------------------------


def make_many(count: int, section: str = "Technology") -> list[Article]:
    start = timezone.now()
    return [
        make_article(
            headline=f"Tech story {i}", section=section, published_at=start - timedelta(minutes=i)
        )
        for i in range(count)
    ]


def test_section_page_paginates(client: Client) -> None:
    make_many(25)
    make_article(headline="Not technology", section="Sports")
    first = get(client, "/section/technology/")
    assert '<h1 class="page-title">Technology</h1>' in first
    assert items_in(first) == 20
    assert "Tech story 0<" in first
    assert "Not technology" not in main_column(first)
    assert '<a rel="next" href="?page=2">' in first
    second = get(client, "/section/technology/?page=2")
    assert items_in(second) == 5
    assert "Tech story 24<" in main_column(second)
    assert '<a rel="prev" href="?page=1">' in second
    assert 'rel="next"' not in second


@pytest.mark.parametrize("page", ["3", "999", "0", "-1", "abc", "1.5", ""])
def test_bad_page_numbers_never_fail(client: Client, page: str) -> None:
    make_many(25)
    response = client.get("/section/technology/", {"page": page})
    assert response.status_code in {200, 404}


def test_empty_section_renders(client: Client) -> None:
    assert "No articles here yet." in get(client, "/section/health/")


def test_unknown_section_is_404(client: Client) -> None:
    get(client, "/section/gossip/", status=404)


def test_place_page_lists_articles_with_that_place(client: Client) -> None:
    tagged = make_full_article(headline="Ceasefire holds in the north")
    elsewhere = make_article(headline="Elections in Peru")
    add_places(elsewhere, [("PE", "Peru", "peru")])
    html = get(client, "/place/russia/")
    assert "<title>Russia · The Test Times</title>" in html
    assert '<h1 class="page-title">Russia</h1>' in html
    assert f'<a href="{tagged.article.get_absolute_url()}">Ceasefire holds in the north</a>' in html
    assert "Elections in Peru" not in main_column(html)


def test_place_page_paginates(client: Client) -> None:
    for article in make_many(25):
        add_places(article, [SYRIA])
    assert items_in(get(client, "/place/syria/?page=2")) == 5


def test_unknown_place_is_404(client: Client) -> None:
    get(client, "/place/atlantis/", status=404)


# --- query counts -----------------------------------------------------------------------


def test_article_queries_do_not_grow_with_its_size(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    small = make_full_article(outlets=1, sections=1, sentences=1, images=1, places=[TURKEY])
    big = make_full_article(outlets=8, sections=5, sentences=12, images=4, places=[SYRIA, RUSSIA])
    make_many(15)
    for story in [small, big]:
        # The page, its trends and latest lists, and one query for its list of revisions.
        with django_assert_max_num_queries(16):
            get(client, story.article.get_absolute_url())


@pytest.mark.parametrize("url", ["/", "/section/technology/", "/place/syria/"])
def test_list_pages_make_few_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries, url: str
) -> None:
    for article in make_many(30):
        add_places(article, [SYRIA])
    for section in ["World", "Science", "Business", "Sports"]:
        make_many(5, section=section)
    make_full_article(outlets=5)
    with django_assert_max_num_queries(8):
        get(client, url)


# --- template filters ---------------------------------------------------------------------


def test_isoz_writes_utc_to_the_second() -> None:
    moment = datetime(2026, 11, 18, 9, 47, 20, 123456, tzinfo=timezone.get_fixed_timezone(120))
    assert isoz(moment) == "2026-11-18T07:47:20Z"
    assert isoz(None) == ""


def test_media_url_quotes_the_path() -> None:
    assert media_url("images/a b/photo.jpg") == "/media/images/a%20b/photo.jpg"
