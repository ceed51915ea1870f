"""Images in the ingest pass: downloaded after the pages, before publishing, shown once there."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from newsdesk.pipeline import runner
from newsdesk.publishing.models import Article
from newsdesk.reports.images import Outcome, Recorded
from newsdesk.reports.models import Report, ReportImage
from newsdesk.sources.http import close_client
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route, serve
from tests.reports.pages import OWN_WORDS, PARAGRAPHS, article_page

pytestmark = pytest.mark.django_db


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


def picture(size: tuple[int, int], colour: tuple[int, int, int], kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


BRIDGE = picture((96, 54), (40, 90, 160), "PNG")
CRANE = picture((160, 90), (200, 120, 30), "JPEG")
QUAY = picture((80, 60), (10, 160, 90), "JPEG")
PIER = picture((70, 50), (160, 20, 90), "PNG")
PICTURES = {"bridge": BRIDGE, "crane": CRANE, "quay": QUAY, "pier": PIER}


@pytest.fixture
def cdn() -> Iterator[FixtureServer]:
    """An image host of its own, as outlets' picture CDNs are."""
    yield from serve()


@pytest.fixture
def outlet(web: FixtureServer, cdn: FixtureServer, settings: Settings) -> list[int]:
    """Two stories, two pictures each: the crane's on the outlet's own (paced) host, the
    bridge's on the CDN."""
    settings.NEWSDESK_FETCH_HOST_DELAY = 0.1
    settings.NEWSDESK_EXTRACT_WORKERS = 0
    pages = {
        "/bridge.html": ("Eastvale reopens Mill Street bridge", PARAGRAPHS, cdn, "bridge", "pier"),
        "/crane.html": ("Crane collapses at Aldera port", OWN_WORDS, web, "crane", "quay"),
    }
    for path, (title, paragraphs, host, lead, second) in pages.items():
        for name in (lead, second):
            body = PICTURES[name]
            kind = "image/png" if body.startswith(b"\x89PNG") else "image/jpeg"
            host.routes[f"/img/{name}"] = Route(body, content_type=kind)
        inline = (
            f'<figure><img src="{host.url("/img/" + second)}" alt="">'
            f"<figcaption>Second picture.</figcaption></figure>"
        )
        web.routes[path] = Route(
            article_page(
                title=title,
                paragraphs=paragraphs,
                image=host.url(f"/img/{lead}"),
                after_body=inline,
            )
        )
    now = format_datetime(timezone.now())
    items = "".join(
        f"<item><title>{title}</title><link>{web.url(path)}</link><pubDate>{now}</pubDate></item>"
        for path, (title, *_) in pages.items()
    )
    web.routes["/feed.xml"] = Route(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title>'
        f"<link>{web.base_url}/</link>{items}</channel></rss>".encode(),
        content_type="application/rss+xml",
    )
    source = Source.objects.create(name="Test Outlet", slug="test-outlet")
    Feed.objects.create(source=source, url=web.url("/feed.xml"))
    return [source.pk]


def shown_images(client: Client, article: Article) -> list[bytes]:
    """The pictures a reader of the article's page gets: each <img> fetched from the site."""
    html = client.get(article.get_absolute_url()).content.decode()
    pictures = []
    for src in re.findall(r'<img src="([^"]+)"', html):
        response = client.get(src)
        assert response.status_code == 200, src
        pictures.append(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    return pictures


def image_requests(hosts: list[FixtureServer], name: str) -> int:
    return sum(1 for host in hosts for path, _ in host.requests if path == f"/img/{name}")


def test_a_pass_publishes_articles_with_their_images(
    web: FixtureServer, cdn: FixtureServer, outlet: list[int], client: Client
) -> None:
    summary = runner.run_pass(source_ids=outlet)
    assert summary.problems == []
    assert (summary.reports, summary.published, summary.images) == (2, 2, 4)
    images = ReportImage.objects.order_by("report__url", "position")
    assert [(i.state, i.width, i.height) for i in images] == [
        ("done", 96, 54),
        ("done", 70, 50),
        ("done", 160, 90),
        ("done", 80, 60),
    ]
    for image in images:
        assert (Path(settings.MEDIA_ROOT) / image.file).is_file()
    bridge = Article.objects.get(story__reports__url=web.url("/bridge.html"))
    crane = Article.objects.get(story__reports__url=web.url("/crane.html"))
    # One picture per report in an article: each story has one report here.
    assert shown_images(client, bridge) == [BRIDGE]
    assert shown_images(client, crane) == [CRANE]
    # A second pass downloads nothing again.
    assert runner.run_pass(source_ids=outlet).images == 0
    assert all(image_requests([web, cdn], name) == 1 for name in PICTURES)


def test_an_image_arriving_after_its_article_is_shown_without_a_rewrite(
    web: FixtureServer, cdn: FixtureServer, outlet: list[int], client: Client
) -> None:
    cdn.routes["/img/bridge"] = Route(
        b"later", status=429, content_type="text/plain", headers={"Retry-After": "300"}
    )
    first = runner.run_pass(source_ids=outlet)
    assert (first.published, first.images) == (2, 2)
    bridge = Article.objects.get(story__reports__url=web.url("/bridge.html"))
    crane = Article.objects.get(story__reports__url=web.url("/crane.html"))
    # The CDN asked us to wait: both its pictures wait, and nothing is shown broken meanwhile;
    # the other host's pictures are not held up.
    waiting = ReportImage.objects.filter(url__startswith=cdn.base_url)
    assert [(i.state, i.file) for i in waiting] == [("pending", ""), ("pending", "")]
    assert shown_images(client, bridge) == []
    assert shown_images(client, crane) == [CRANE]

    # A later pass, once the host's wait is over (a new process: close_client).
    cdn.routes["/img/bridge"] = Route(BRIDGE, content_type="image/png")
    ReportImage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    close_client()
    second = runner.run_pass(source_ids=outlet)
    assert second.images == 2 and second.published == 0
    assert shown_images(client, bridge) == [BRIDGE]
    assert Article.objects.get(pk=bridge.pk).revision_count == bridge.revision_count


def test_an_image_never_downloaded_is_not_shown(
    web: FixtureServer, outlet: list[int], client: Client
) -> None:
    del web.routes["/img/crane"], web.routes["/img/quay"]
    runner.run_pass(source_ids=outlet)
    crane = Article.objects.get(story__reports__url=web.url("/crane.html"))
    assert shown_images(client, crane) == []
    assert (
        "Images from the reference sources"
        not in client.get(crane.get_absolute_url()).content.decode()
    )
    failed = ReportImage.objects.filter(state=ReportImage.State.FAILED)
    assert sorted(failed.values_list("error", flat=True)) == ["HTTP 404", "HTTP 404"]
    assert Report.objects.count() == 2


def test_a_pass_killed_while_recording_images_is_finished_by_the_next(
    web: FixtureServer, cdn: FixtureServer, outlet: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = runner.record_image
    recorded: list[int] = []

    def dies_on_the_third(group: tuple[int, ...], outcome: Outcome) -> Recorded:
        if len(recorded) == 2:
            raise Crash
        recorded.extend(group)
        return real(group, outcome)

    monkeypatch.setattr(runner, "record_image", dies_on_the_third)
    with pytest.raises(Crash):
        runner.run_pass(source_ids=outlet)
    assert ReportImage.objects.filter(state=ReportImage.State.DONE).count() == 2
    monkeypatch.setattr(runner, "record_image", real)
    summary = runner.run_pass(source_ids=outlet)
    assert summary.images == 2 and summary.published == 2
    assert ReportImage.objects.filter(state=ReportImage.State.DONE).count() == 4
    for image in ReportImage.objects.filter(pk__in=recorded):
        assert image_requests([web, cdn], image.url.rsplit("/", 1)[1]) == 1
