"""Page metadata from the markup publishers write: JSON-LD, meta tags, microdata, <time>, URLs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from lxml import html as lxml_html

from newsdesk.reports.metadata import PageImage, PageMetadata, path_section, read_metadata

URL = "https://www.outlet.example/world/2026/11/17/crane-collapse.html"
BODY = "<p>The crane fell on Thursday afternoon at the busiest terminal of the port.</p>"


def meta_of(head: str = "", body: str = BODY, url: str = URL, lang: str = "en") -> PageMetadata:
    lang_attr = f' lang="{lang}"' if lang else ""
    page = f"<!doctype html><html{lang_attr}><head>{head}</head><body>{body}</body></html>"
    return read_metadata(lxml_html.document_fromstring(page), url)


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- JSON-LD ---------------------------------------------------------------------------


def test_json_ld_graph_gives_every_field() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Outlet", "url": "https://www.outlet.example/"},
            {
                "@type": ["NewsArticle"],
                "headline": "Crane collapses at Aldera port",
                "datePublished": "2026-11-17T14:05:00+02:00",
                "dateModified": "2026-11-17T18:30:00+02:00",
                "author": [
                    {"@type": "Person", "name": "Ana Ruiz"},
                    {"@type": "Person", "name": "Omar Haddad"},
                ],
                "articleSection": ["Business", "Shipping"],
                "inLanguage": "en-GB",
                "image": {
                    "@type": "ImageObject",
                    "url": "/img/crane.jpg",
                    "caption": "The fallen crane across berth 4.",
                    "creditText": "Lena Koch",
                },
            },
        ],
    }
    meta = meta_of(ld(graph), lang="")
    assert meta.title == "Crane collapses at Aldera port"
    assert meta.authors == ["Ana Ruiz", "Omar Haddad"]
    assert meta.author == "Ana Ruiz, Omar Haddad"
    assert meta.published_at == datetime(2026, 11, 17, 12, 5, tzinfo=UTC)
    assert meta.modified_at == datetime(2026, 11, 17, 16, 30, tzinfo=UTC)
    assert meta.published_at is not None and meta.published_at.utcoffset() == timedelta(hours=2)
    assert meta.section == "Business"
    assert meta.language == "en"
    assert meta.images == [
        PageImage(
            "https://www.outlet.example/img/crane.jpg",
            "The fallen crane across berth 4.",
            "Lena Koch",
        )
    ]


def test_json_ld_list_and_comment_wrapper_and_broken_block() -> None:
    head = (
        '<script type="application/ld+json">{"broken": </script>'
        '<script type="application/ld+json"><!--'
        + json.dumps(
            [
                {"@type": "BreadcrumbList", "name": "World"},
                {
                    "@type": "ReportageNewsArticle",
                    "headline": "Port reopens",
                    "datePublished": "2026-11-18",
                    "author": "By Lise Armand",
                },
            ]
        )
        + "--></script>"
    )
    meta = meta_of(head)
    assert meta.title == "Port reopens"
    assert meta.published_at == datetime(2026, 11, 18, tzinfo=UTC)
    assert meta.authors == ["Lise Armand"]


def test_opinion_is_read_from_the_schema_type_or_genre() -> None:
    assert meta_of(ld({"@type": "OpinionNewsArticle", "headline": "Why"})).opinion
    assert meta_of(ld({"@type": "NewsArticle", "genre": "Opinion", "headline": "Why"})).opinion
    assert not meta_of(ld({"@type": "NewsArticle", "genre": "news", "headline": "Why"})).opinion


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            '<meta property="article:published_time" content="2026-11-17T08:00:00Z">',
            BODY,
            datetime(2026, 11, 17, 8, 0, tzinfo=UTC),
        ),
        (
            '<meta name="parsely-pub-date" content="2026-11-17T09:15:00.000Z">',
            BODY,
            datetime(2026, 11, 17, 9, 15, tzinfo=UTC),
        ),
        (
            '<meta name="sailthru.date" content="2026-11-17 10:20:00 -0500">',
            BODY,
            datetime(2026, 11, 17, 15, 20, tzinfo=UTC),
        ),
        (
            '<meta name="DC.date.issued" content="2026-11-17">',
            BODY,
            datetime(2026, 11, 17, tzinfo=UTC),
        ),
        (
            '<meta name="parsely-page" '
            'content=\'{"title": "x", "pub_date": "2026-11-16T07:00:00Z"}\'>',
            BODY,
            datetime(2026, 11, 16, 7, 0, tzinfo=UTC),
        ),
        (
            "",
            '<article><span itemprop="datePublished" content="2026-11-15T06:00:00+01:00">'
            "15 Nov</span>" + BODY + "</article>",
            datetime(2026, 11, 15, 5, 0, tzinfo=UTC),
        ),
        (
            "",
            "<aside><time datetime='2026-11-01T00:00:00Z'>1 Nov</time></aside>"
            "<article><h1>Crane</h1><time datetime='2026-11-14T12:00:00Z'>14 Nov</time>"
            + BODY
            + "<ul class='related'><li><time datetime='2026-10-01T00:00:00Z'>x</time></li></ul>"
            "</article>",
            datetime(2026, 11, 14, 12, 0, tzinfo=UTC),
        ),
        (
            "",
            "<div class='story'><time datetime='2026-11-13 07:45'>13 Nov</time>" + BODY + "</div>",
            datetime(2026, 11, 13, 7, 45, tzinfo=UTC),
        ),
        (
            "",
            "<time class='published' datetime='Fri, 13 Nov 2026 07:45:00 GMT'>x</time>" + BODY,
            datetime(2026, 11, 13, 7, 45, tzinfo=UTC),
        ),
    ],
)
def test_publication_date_sources(head: str, body: str, expected: datetime) -> None:
    published = meta_of(head, body).published_at
    assert published == expected
    assert published is not None and published.tzinfo is not None


def test_garbage_dates_are_skipped_for_the_next_source() -> None:
    head = (
        ld({"@type": "NewsArticle", "datePublished": "{{published}}", "dateModified": "0000-00-00"})
        + '<meta property="article:published_time" content="1970-01-01T00:00:00Z">'
        + '<meta name="pubdate" content="2099-05-05T00:00:00Z">'
        + '<meta name="dc.date" content="2026-11-12T10:00:00+00:00">'
    )
    meta = meta_of(head)
    assert meta.published_at == datetime(2026, 11, 12, 10, 0, tzinfo=UTC)
    assert meta.modified_at is None


def test_all_dates_garbage_gives_none() -> None:
    head = '<meta property="article:published_time" content="not a date">'
    assert meta_of(head, "<p>No time element here at all.</p>").published_at is None


def test_modified_before_published_is_dropped_and_naive_times_are_utc() -> None:
    head = (
        '<meta property="article:published_time" content="2026-11-17T08:00:00">'
        '<meta property="article:modified_time" content="2026-11-16T08:00:00">'
    )
    meta = meta_of(head)
    assert meta.published_at == datetime(2026, 11, 17, 8, 0, tzinfo=UTC)
    assert meta.modified_at is None
    later = meta_of(
        '<meta property="article:published_time" content="2026-11-17T08:00:00+05:30">'
        '<meta property="og:updated_time" content="2026-11-17T09:00:00+05:30">'
    )
    assert later.modified_at is not None
    assert later.modified_at.utcoffset() == timedelta(hours=5, minutes=30)
    assert later.modified_at == datetime(2026, 11, 17, 3, 30, tzinfo=UTC)


# --- authors and title -----------------------------------------------------------------


def test_authors_from_meta_tags_are_split_cleaned_and_deduplicated() -> None:
    head = (
        '<meta name="author" content="By Ana Ruiz and Omar Haddad">'
        '<meta property="article:author" content="https://www.facebook.com/outlet">'
        '<meta name="parsely-author" content="Omar Haddad">'
        '<meta name="sailthru.author" content="Outlet Staff">'
    )
    assert meta_of(head).authors == ["Ana Ruiz", "Omar Haddad"]


def test_authors_from_microdata_and_rel_author() -> None:
    body = (
        '<div itemprop="author" itemscope><span itemprop="name">Lena Koch</span></div>'
        '<a rel="author" href="/people/tomas">Tomas Verhoek</a>' + BODY
    )
    assert meta_of("", body).authors == ["Lena Koch", "Tomas Verhoek"]


def test_title_loses_the_site_name() -> None:
    head = (
        '<meta property="og:site_name" content="Outlet Daily">'
        '<meta property="og:title" content="Crane collapses at Aldera | Outlet Daily">'
    )
    assert meta_of(head).title == "Crane collapses at Aldera"


# --- canonical URL ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<link rel="canonical" href="https://outlet.example/world/crane.html?utm_source=x&id=4">',
            "https://outlet.example/world/crane.html?id=4",
        ),
        (
            '<link rel="canonical" href="/world/crane.html">',
            "https://www.outlet.example/world/crane.html",
        ),
        (
            '<meta property="og:url" content="https://www.outlet.example/world/crane.html?fbclid=1">',
            "https://www.outlet.example/world/crane.html",
        ),
        # The homepage, another site, or no URL at all are not this article's address.
        (
            '<link rel="canonical" href="https://www.outlet.example/">'
            '<meta property="og:url" content="https://www.outlet.example/world/crane.html">',
            "https://www.outlet.example/world/crane.html",
        ),
        (
            '<link rel="canonical" href="https://wire.example/crane.html">',
            "https://www.outlet.example/world/2026/11/17/crane-collapse.html",
        ),
        (
            '<link rel="canonical" href="javascript:void(0)">'
            '<meta property="og:url" content="not a url">',
            "https://www.outlet.example/world/2026/11/17/crane-collapse.html",
        ),
        (
            '<link rel="canonical" href="https://amp.outlet.example/world/crane.html">',
            "https://amp.outlet.example/world/crane.html",
        ),
    ],
)
def test_canonical_url(head: str, expected: str) -> None:
    assert meta_of(head).canonical_url == expected


def test_without_canonical_the_page_url_loses_its_tracking() -> None:
    url = "https://www.outlet.example/world/crane.html?utm_medium=rss&gclid=9#top"
    assert meta_of(url=url).canonical_url == "https://www.outlet.example/world/crane.html"


# --- section and language --------------------------------------------------------------


def test_section_from_meta_then_json_ld() -> None:
    assert meta_of('<meta property="article:section" content="Sport">').section == "Sport"
    assert meta_of(ld({"@type": "NewsArticle", "articleSection": "Markets"})).section == "Markets"
    assert meta_of().section == ""


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("https://o.example/world/2026/11/17/crane-collapse", "World"),
        ("https://o.example/2026/11/17/business/crane.html", "Business"),
        ("https://o.example/en/sport/football/match-report-final", "Sport"),
        ("https://o.example/news/middle-east/crane", "Middle East"),
        ("https://o.example/en-us/health/other/duvet-story", "Health"),
        ("https://o.example/uk-news/2026/nov/17/crane", "Uk News"),
        ("https://o.example/news/12345", ""),
        ("https://o.example/article/98765/crane-collapse", ""),
        ("https://o.example/crane-collapse.html", ""),
        ("https://o.example/%D8%B1%D9%8A%D8%A7%D8%B6%D8%A9/%D8%AE%D8%A8%D8%B1", "رياضة"),
    ],
)
def test_section_from_the_url_path(url: str, section: str) -> None:
    assert path_section(url) == section


ARABIC = "<p>انهارت رافعة حاويات في ميناء الدرة بعد ظهر الخميس وأصيب ثلاثة عمال.</p>"


@pytest.mark.parametrize(
    ("lang", "head", "body", "expected"),
    [
        ("en-GB", "", BODY, "en"),
        ("", '<meta property="og:locale" content="ar_AR">', ARABIC, "ar"),
        ("", '<meta http-equiv="content-language" content="fr-FR">', BODY, "fr"),
        ("", "", ARABIC, "ar"),
        ("en", "", ARABIC * 3, "ar"),  # a template's default lang on an Arabic page
        ("", "", BODY, ""),  # Latin script says nothing: the source's language decides
        ("xx-invalid-", "", BODY, "xx"),
        ("1", "", BODY, ""),
    ],
)
def test_language(lang: str, head: str, body: str, expected: str) -> None:
    assert meta_of(head, body, lang=lang).language == expected


# --- images ----------------------------------------------------------------------------


def test_lead_and_inline_images_with_captions_and_credits() -> None:
    head = (
        '<meta property="og:image" content="https://cdn.outlet.example/crane-lead.jpg">'
        '<meta property="og:image:alt" content="The crane lies across the berth.">'
    )
    body = (
        "<article><h1>Crane</h1>"
        '<figure><img src="https://cdn.outlet.example/crane-lead.jpg" alt="alt text">'
        "<figcaption>Workers inspect the fallen crane. "
        '<span class="credit">Photograph: Lena Koch/Coast Wire</span></figcaption></figure>'
        + BODY
        + '<figure><img data-src="/img/berth.jpg" src="data:image/gif;base64,R0lG">'
        "<figcaption>Berth 4 after the collapse. Photo: Omar Haddad</figcaption></figure>"
        '<figure><img srcset="/img/s.jpg 320w, /img/l.jpg 1280w, /img/m.jpg 640w">'
        "<figcaption>صورة للميناء من الجو. تصوير: سارة علي</figcaption></figure>"
        '<figure><img src="/img/quay.jpg"><figcaption>The quay at dusk '
        "(© Port Authority)</figcaption></figure>"
        '<img src="/img/pixel.gif" width="1" height="1">'
        '<img src="/img/logo.svg">'
        "<div class='related-stories'><figure><img src='/img/other.jpg'>"
        "<figcaption>Another story</figcaption></figure></div>"
        "</article>"
        "<aside><img src='/img/ad.jpg'></aside>"
    )
    images = meta_of(head, body).images
    assert images == [
        PageImage(
            "https://cdn.outlet.example/crane-lead.jpg",
            "Workers inspect the fallen crane.",
            "Lena Koch/Coast Wire",
        ),
        PageImage(
            "https://www.outlet.example/img/berth.jpg", "Berth 4 after the collapse.", "Omar Haddad"
        ),
        PageImage("https://www.outlet.example/img/l.jpg", "صورة للميناء من الجو.", "سارة علي"),
        PageImage("https://www.outlet.example/img/quay.jpg", "The quay at dusk", "Port Authority"),
    ]


def test_og_image_alone_is_the_lead_image() -> None:
    head = '<meta property="og:image" content="/img/lead.png">'
    assert meta_of(head).images == [PageImage("https://www.outlet.example/img/lead.png")]


def test_a_photo_word_in_the_caption_is_not_a_credit() -> None:
    body = (
        "<article><figure><img src='/img/a.jpg'><figcaption>A photo taken at night shows the "
        "crane. Picture by Ana Ruiz</figcaption></figure>" + BODY + "</article>"
    )
    assert meta_of("", body).images == [
        PageImage(
            "https://www.outlet.example/img/a.jpg",
            "A photo taken at night shows the crane.",
            "Ana Ruiz",
        )
    ]
