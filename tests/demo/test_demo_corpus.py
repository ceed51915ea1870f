"""The demo corpus: loading, validation, answer key, rendering and images."""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from lxml import html as lxml_html
from PIL import Image

from newsdesk.demo import images, render
from newsdesk.demo.corpus import (
    CORPUS_DIR,
    Corpus,
    CorpusError,
    CorpusReport,
    answer_key,
    load_corpus,
    load_corpus_from,
)

BASE = "http://127.0.0.1:8765"
EXPECTED_OUTLETS = {
    "meridian-post": ("en", "GB", "rss2", "World"),
    "harbour-times": ("en", "US", "atom", "World"),
    "daily-ledger": ("en", "IE", "rss1", "Business"),
    "continental-herald": ("en", "DE", "rss2", "World"),
    "pacific-observer": ("en", "AU", "atom", "World"),
    "capital-courier": ("en", "CA", "rss2", "Politics"),
    "al-manara": ("ar", "QA", "rss2", "World"),
    "al-sahel": ("ar", "EG", "atom", "World"),
}
# Events written alongside this infrastructure, with their expected report counts.
CORE_EVENTS = {
    "storm-luzon": 4,
    "storm-portugal": 3,
    "election-chile": 4,
    "election-ghana": 3,
    "boj-rates": 4,
}
ENGLISH_OUTLETS = {slug for slug, spec in EXPECTED_OUTLETS.items() if spec[0] == "en"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def _report_for(corpus: Corpus, outlet: str) -> CorpusReport:
    """A report to render in the outlet's template (borrowed if it has none yet)."""
    own = corpus.outlet_reports(outlet)
    return own[0] if own else replace(corpus.reports[0], outlet=outlet)


def test_outlets_are_the_fixed_eight(corpus: Corpus) -> None:
    assert set(corpus.outlets) == set(EXPECTED_OUTLETS)
    for slug, (language, country, feed_format, section) in EXPECTED_OUTLETS.items():
        outlet = corpus.outlets[slug]
        assert (outlet.language, outlet.country, outlet.feed_format) == (
            language,
            country,
            feed_format,
        )
        assert outlet.default_section == section
        assert outlet.tagline and outlet.nav
    assert corpus.outlets["al-manara"].native_name == "المنارة"
    assert corpus.outlets["al-sahel"].native_name == "الساحل"
    assert corpus.outlets["al-sahel"].direction == "rtl"


def test_corpus_loads_every_event_file(corpus: Corpus) -> None:
    files = {path.stem for path in (CORPUS_DIR / "events").glob("*.json")}
    assert set(corpus.events) == files
    assert set(CORE_EVENTS) <= set(corpus.events)
    assert all(description.strip() for description in corpus.events.values())
    assert len({report.path for report in corpus.reports}) == len(corpus.reports)


def test_every_event_has_two_to_five_outlets(corpus: Corpus) -> None:
    for key in corpus.events:
        outlets = {report.outlet for report in corpus.event_reports(key)}
        assert 2 <= len(outlets) <= 5, key


def test_core_events_shape(corpus: Corpus) -> None:
    for key, count in CORE_EVENTS.items():
        reports = [report for report in corpus.event_reports(key) if report.wave == 1]
        assert len(reports) == count, key
        for report in reports:
            assert report.outlet in ENGLISH_OUTLETS
            words = sum(len(paragraph.split()) for paragraph in report.paragraphs)
            assert 5 <= len(report.paragraphs) <= 9, report.slug
            assert 220 <= words <= 450, report.slug
            assert len(report.title) <= 100 and "?" not in report.title
            assert "2026-11-17" <= report.published.date().isoformat() <= "2026-11-19"


def test_english_outlets_carry_several_reports(corpus: Corpus) -> None:
    for outlet in ENGLISH_OUTLETS:
        assert len(corpus.outlet_reports(outlet)) >= 3, outlet


def test_answer_key_covers_news_and_wire_only(corpus: Corpus) -> None:
    key = answer_key(corpus)
    expected = {r.path for r in corpus.reports if r.kind in ("news", "wire")}
    assert set(key) == expected
    opinions = [r for r in corpus.reports if r.kind == "opinion"]
    assert opinions, "the corpus should carry at least one opinion piece"
    assert all(r.path not in key and r.event is None for r in opinions)
    assert all(key[r.path] == r.event for r in corpus.reports if r.path in key)
    assert key["/meridian-post/2026/11/17/typhoon-kalin-makes-landfall-in-northern-luzon.html"] == (
        "storm-luzon"
    )


def test_wire_pair_is_verbatim(corpus: Corpus) -> None:
    wires = [r for r in corpus.event_reports("boj-rates") if r.kind == "wire"]
    assert {r.outlet for r in wires} == {"meridian-post", "capital-courier"}
    first, second = wires
    assert first.paragraphs == second.paragraphs
    assert first.wire_agency == second.wire_agency == "Orbit Press Agency"
    originals = [r for r in corpus.event_reports("boj-rates") if r.kind == "news"]
    assert len({r.outlet for r in originals}) == 2


def test_report_path_layout(corpus: Corpus) -> None:
    for report in corpus.reports:
        assert report.path == (f"/{report.outlet}/{report.published:%Y/%m/%d}/{report.slug}.html")
        assert re.fullmatch(r"[a-z0-9-]+", report.slug), report.slug


# --- validation ------------------------------------------------------------------------


def _minimal_report(outlet: str, slug: str) -> dict[str, object]:
    return {
        "outlet": outlet,
        "slug": slug,
        "kind": "news",
        "wire_agency": None,
        "title": "A title",
        "standfirst": "A teaser.",
        "author": "A Writer",
        "published": "2026-11-17T06:40:00Z",
        "updated": None,
        "section": "World",
        "paragraphs": ["One paragraph."],
        "image": {"caption": "c", "alt": "a", "motif": "generic"},
    }


def _corpus_dir(tmp_path: Path, reports: list[dict[str, object]]) -> Path:
    (tmp_path / "events").mkdir()
    (tmp_path / "opinion").mkdir()
    shutil.copy(CORPUS_DIR / "outlets.json", tmp_path / "outlets.json")
    event = {"key": "test-event", "language": "en", "description": "d", "reports": reports}
    (tmp_path / "events" / "test-event.json").write_text(json.dumps(event), encoding="utf-8")
    return tmp_path


def test_minimal_corpus_is_valid(tmp_path: Path) -> None:
    root = _corpus_dir(
        tmp_path, [_minimal_report("meridian-post", "a"), _minimal_report("daily-ledger", "b")]
    )
    corpus = load_corpus_from(root)
    assert answer_key(corpus) == {
        "/meridian-post/2026/11/17/a.html": "test-event",
        "/daily-ledger/2026/11/17/b.html": "test-event",
    }


@pytest.mark.parametrize(
    ("reports", "message"),
    [
        (
            [_minimal_report("meridian-post", "a"), _minimal_report("meridian-post", "a")],
            "already used",
        ),
        ([_minimal_report("meridian-post", "a"), _minimal_report("nowhere", "b")], "unknown"),
        (
            [_minimal_report("meridian-post", "a"), _minimal_report("meridian-post", "b")],
            "at least 2",
        ),
    ],
    ids=["duplicate-path", "unknown-outlet", "single-outlet-event"],
)
def test_invalid_corpus_is_rejected(
    tmp_path: Path, reports: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(CorpusError, match=message):
        load_corpus_from(_corpus_dir(tmp_path, reports))


def test_malformed_report_is_rejected(tmp_path: Path) -> None:
    broken = _minimal_report("meridian-post", "a")
    broken["published"] = "yesterday"
    with pytest.raises(CorpusError, match="ISO 8601"):
        load_corpus_from(_corpus_dir(tmp_path, [broken, _minimal_report("daily-ledger", "b")]))


# --- rendering -----------------------------------------------------------------------


@pytest.mark.parametrize("outlet_slug", sorted(EXPECTED_OUTLETS))
def test_article_template_renders_with_boilerplate(corpus: Corpus, outlet_slug: str) -> None:
    outlet = corpus.outlets[outlet_slug]
    report = _report_for(corpus, outlet_slug)
    others = [r for r in corpus.outlet_reports(outlet_slug) if r.path != report.path]
    page = render.render_article(report, outlet, BASE, related=others)
    tree = lxml_html.fromstring(page)
    url = BASE + report.path

    root = tree.getroottree().getroot()
    assert root.get("lang") == outlet.language
    assert root.get("dir") == ("rtl" if outlet.language == "ar" else "ltr")
    assert report.title in tree.findtext(".//title")
    assert tree.xpath("//link[@rel='canonical']/@href") == [url]

    def meta(attr: str, name: str) -> list[str]:
        return [str(v) for v in tree.xpath(f"//meta[@{attr}='{name}']/@content")]

    assert meta("property", "og:title") == [report.title]
    assert meta("property", "og:url") == [url]
    assert meta("property", "og:image") == [BASE + report.image_path]
    assert meta("property", "og:type") == ["article"]
    assert meta("property", "article:published_time") == [render.iso(report.published)]
    assert meta("property", "article:section") == [report.section]
    assert meta("name", "author") == [report.author]
    assert bool(meta("property", "article:modified_time")) == (report.updated is not None)

    (ld_text,) = tree.xpath("//script[@type='application/ld+json']/text()")
    ld = json.loads(ld_text)
    assert ld["@type"] == "NewsArticle" and ld["headline"] == report.title
    assert ld["datePublished"] == render.iso(report.published)

    assert tree.xpath("string(//h1)").strip() == report.title
    assert report.author in page and tree.xpath("//time[@datetime]")
    assert tree.xpath("//figure/img/@src") == [BASE + report.image_path]
    caption = tree.xpath("string(//figure/figcaption)")
    assert report.image is not None and report.image.caption in caption
    assert outlet.display_name in caption
    paragraphs = [p.text_content() for p in tree.xpath("//p")]
    assert report.standfirst in paragraphs or report.standfirst in tree.text_content()
    assert all(paragraph in paragraphs for paragraph in report.paragraphs)

    # The boilerplate an extractor has to see past.
    nav_labels = {str(text).strip() for text in tree.xpath("//nav//a/text()")}
    assert set(outlet.nav) <= nav_labels
    assert len(_consent_banners(tree)) == 1, "cookie banner"
    ad_label = "إعلان" if outlet.language == "ar" else "advertisement"
    assert page.casefold().count(ad_label) >= 2, "ad slots"
    assert tree.xpath("//*[@id='comments']//li"), "reader comments"
    assert tree.xpath("//*[contains(@class, 'newsletter')]//form"), "newsletter box"
    assert tree.xpath("//footer//a | //*[@role='contentinfo']//a"), "footer links"
    related_links = {str(href) for href in tree.xpath("//ol//a/@href | //ul//a/@href")}
    assert {BASE + r.path for r in others[: render.RELATED_LIMIT]} <= related_links
    assert url not in related_links


def _consent_banners(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    return list(tree.xpath("//*[contains(@id, 'cookie') or contains(@id, 'consent')]"))


def test_templates_differ_in_structure() -> None:
    class_sets = {}
    for slug in EXPECTED_OUTLETS:
        text = (render.TEMPLATES_DIR / f"{slug}.html").read_text(encoding="utf-8")
        class_sets[slug] = frozenset(re.findall(r'class="([^"$]+)"', text))
    assert len(set(class_sets.values())) == len(class_sets)
    for slug, classes in class_sets.items():
        for other, other_classes in class_sets.items():
            if slug < other:
                overlap = len(classes & other_classes) / len(classes | other_classes)
                assert overlap < 0.3, (slug, other)


def test_wire_copy_carries_agency_credit(corpus: Corpus) -> None:
    wire = next(r for r in corpus.reports if r.kind == "wire")
    page = render.render_article(wire, corpus.outlets[wire.outlet], BASE)
    assert "(Orbit Press Agency)" in page
    assert '"sourceOrganization"' in page


def test_text_is_escaped(corpus: Corpus) -> None:
    report = replace(
        corpus.outlet_reports("meridian-post")[0],
        title='Rates <script>alert("x")</script> & more',
        paragraphs=("A </script> paragraph & <b>tags</b>.",),
    )
    page = render.render_article(report, corpus.outlets["meridian-post"], BASE, related=[])
    assert "<script>alert" not in page and "<b>tags</b>" not in page
    assert "&lt;script&gt;alert" in page
    ld = lxml_html.fromstring(page).xpath("//script[@type='application/ld+json']/text()")[0]
    assert json.loads(ld)["headline"] == report.title


def test_home_page_links_feed_and_articles(corpus: Corpus) -> None:
    for outlet in corpus.outlets.values():
        reports = corpus.outlet_reports(outlet.slug)
        tree = lxml_html.fromstring(render.render_home(outlet, reports, BASE))
        feeds = tree.xpath("//link[@rel='alternate']")
        assert [(f.get("type"), f.get("href")) for f in feeds] == [
            (outlet.feed_content_type, BASE + outlet.feed_path)
        ]
        links = [str(href) for href in tree.xpath("//main//a/@href")]
        assert links == [BASE + r.path for r in reports]


# --- images --------------------------------------------------------------------------


def test_images_are_deterministic_jpegs(corpus: Corpus) -> None:
    report = corpus.reports[0]
    data = images.render_image(report)
    assert data == images.image_bytes.__wrapped__(report.slug, report.motif)
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG" and picture.size == (images.WIDTH, images.HEIGHT)


def test_every_motif_draws_something_distinct() -> None:
    drawn = {images.image_bytes("same-slug", motif) for motif in images.PAINTERS}
    assert len(drawn) == len(images.PAINTERS)
    assert set(images.PAINTERS) == set(images.PALETTES)


def test_the_update_wave_joins_events_already_told(corpus: Corpus) -> None:
    later = [report for report in corpus.reports if report.wave > 1]
    assert len(later) >= 2 and corpus.waves == 2
    for report in later:
        assert report.event is not None and report.kind == "news"
        first = [r for r in corpus.event_reports(report.event) if r.wave == 1]
        assert len({r.outlet for r in first}) >= 2
        assert report.outlet not in {r.outlet for r in first}
        assert report.published > max(r.published for r in first)


def test_the_outlets_publish_a_later_wave_only_when_released(corpus: Corpus) -> None:
    from newsdesk.demo.server import DemoServer

    later = next(report for report in corpus.reports if report.wave > 1)
    with DemoServer(port=0, corpus=corpus, wave=1) as server:
        base = server.base_url
        assert httpx.get(base + later.path).status_code == 404
        feed = httpx.get(f"{base}/{later.outlet}/feed.xml").text
        assert later.slug not in feed
        server.release(None)
        assert httpx.get(base + later.path).status_code == 200
        assert later.slug in httpx.get(f"{base}/{later.outlet}/feed.xml").text
