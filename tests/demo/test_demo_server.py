"""The demo HTTP server, exercised over real loopback HTTP like the pipeline does."""

from __future__ import annotations

import html
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime

import feedparser
import httpx
import pytest
import trafilatura
from lxml import html as lxml_html
from PIL import Image

from newsdesk.demo.corpus import Corpus, load_corpus
from newsdesk.demo.server import DemoServer, DemoServerError

FEED_VERSIONS = {"rss2": "rss20", "atom": "atom10", "rss1": "rss10"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(port=0) as running:
        yield running


@pytest.fixture
def client(server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=5.0) as http:
        yield http


def test_base_url_uses_the_real_port(server: DemoServer) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    assert not server.base_url.endswith(":0")


def test_index_lists_outlets(client: httpx.Client, server: DemoServer, corpus: Corpus) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    for outlet in corpus.outlets.values():
        assert f'href="{server.base_url}{outlet.home_path}"' in response.text


def test_home_pages_advertise_their_feed(
    client: httpx.Client, server: DemoServer, corpus: Corpus
) -> None:
    for outlet in corpus.outlets.values():
        response = client.get(outlet.home_path)
        assert response.status_code == 200, outlet.slug
        tree = lxml_html.fromstring(response.text)
        (link,) = tree.xpath("//link[@rel='alternate']")
        assert link.get("type") == outlet.feed_content_type
        assert link.get("href") == server.base_url + outlet.feed_path
    assert client.get("/meridian-post").status_code == 301


@pytest.mark.parametrize("outlet_slug", sorted(load_corpus().outlets))
def test_feeds_parse_in_each_format(
    client: httpx.Client, server: DemoServer, corpus: Corpus, outlet_slug: str
) -> None:
    outlet = corpus.outlets[outlet_slug]
    response = client.get(outlet.feed_path)
    assert response.status_code == 200
    assert response.headers["content-type"].endswith("; charset=utf-8")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == FEED_VERSIONS[outlet.feed_format]
    reports = corpus.outlet_reports(outlet_slug)
    assert [entry.link for entry in parsed.entries] == [server.base_url + r.path for r in reports]
    assert [entry.title for entry in parsed.entries] == [r.title for r in reports]
    published = [
        entry.get("published_parsed") or entry.get("updated_parsed") for entry in parsed.entries
    ]
    assert published == sorted(published, reverse=True), "newest first"


def test_article_extracts_cleanly(client: httpx.Client, server: DemoServer, corpus: Corpus) -> None:
    for outlet in corpus.outlets.values():
        for report in corpus.outlet_reports(outlet.slug):
            response = client.get(report.path)
            assert response.status_code == 200
            assert response.headers["content-type"] == "text/html; charset=utf-8"
            page = response.text
            tree = lxml_html.fromstring(page)
            banner = tree.xpath("//*[contains(@id, 'cookie') or contains(@id, 'consent')]")[0]
            banner_text = max((str(t).strip() for t in banner.xpath(".//text()")), key=len)
            comment = tree.xpath("string(//*[@id='comments']//li//p)").strip()

            text = trafilatura.extract(page, include_comments=False) or ""
            assert report.paragraphs[0] in text, report.path
            assert report.paragraphs[-1] in text, report.path
            assert banner_text and banner_text not in text
            assert comment and comment not in text
            metadata = trafilatura.extract_metadata(page)
            assert metadata.title == report.title
            assert metadata.url == server.base_url + report.path


def test_images_are_served(client: httpx.Client, corpus: Corpus) -> None:
    report = corpus.reports[0]
    response = client.get(report.image_path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    picture = Image.open(io.BytesIO(response.content))
    picture.verify()
    assert picture.size == (640, 360)


def test_feed_conditional_get(client: httpx.Client, corpus: Corpus) -> None:
    path = next(iter(corpus.outlets.values())).feed_path
    first = client.get(path)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]

    by_etag = client.get(path, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag.headers["etag"] == etag

    by_date = client.get(path, headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304

    stale = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == first.content
    long_ago = format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)
    assert client.get(path, headers={"If-Modified-Since": long_ago}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/nowhere/",
        "/meridian-post/2026/11/17/no-such-story.html",
        "/meridian-post/images/no-such-story.jpg",
        "/meridian-post/feed.rss",
    ],
)
def test_unknown_paths_are_404(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404


def test_port_in_use_is_reported(server: DemoServer) -> None:
    port = int(server.base_url.rsplit(":", 1)[1])
    with pytest.raises(DemoServerError, match=str(port)):
        DemoServer(port=port).start()


def test_stop_releases_the_port() -> None:
    demo = DemoServer(port=0)
    base = demo.start()
    assert httpx.get(base + "/robots.txt").status_code == 200
    demo.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/robots.txt", timeout=1.0)


def test_section_fronts_and_head(client: httpx.Client, corpus: Corpus) -> None:
    opinion = next(r for r in corpus.reports if r.kind == "opinion")
    response = client.get(f"/{opinion.outlet}/section/opinion/")
    assert response.status_code == 200
    assert html.escape(opinion.title) in response.text
    assert client.get(f"/{opinion.outlet}/section/no-such-section/").status_code == 404
    head = client.head(opinion.path)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(client.get(opinion.path).content)
