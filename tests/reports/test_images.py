"""The images stage: pictures recorded by extraction, downloaded politely afterwards."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from newsdesk.pipeline.progress import SilentProgress
from newsdesk.pipeline.runner import PassSummary, fetch_images
from newsdesk.reports.extract import extract_link, extract_page, save_extraction
from newsdesk.reports.fetch import fetch_link
from newsdesk.reports.images import NotAnImage, images_to_fetch, store_image
from newsdesk.reports.models import Link, Report, ReportImage
from newsdesk.sources.http import close_client
from newsdesk.sources.models import Source
from tests.httpfixture import FixtureServer, Route
from tests.reports.pages import article_page

pytestmark = pytest.mark.django_db


def picture(size: tuple[int, int], colour: tuple[int, int, int], kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


PNG = picture((64, 40), (40, 90, 160), "PNG")
JPEG = picture((120, 80), (200, 120, 30), "JPEG")


def figure(url: str, caption: str) -> str:
    return f'<figure><img src="{url}" alt=""><figcaption>{caption}</figcaption></figure>'


@pytest.fixture
def source() -> Source:
    return Source.objects.create(name="Test Outlet", slug="test-outlet")


def ingest(web: FixtureServer, source: Source, path: str, *images: str) -> Report:
    """Fetch and extract a page showing `images` (paths on `web`); returns its report."""
    first, *more = [web.url(image) for image in images] or [""]
    after = "".join(figure(url, f"Picture {i + 2}.") for i, url in enumerate(more))
    web.routes[path] = Route(article_page(image=first, after_body=after, title=f"Page {path}"))
    link = Link.objects.create(url=web.url(path), source=source)
    fetch_link(link.pk)
    assert extract_link(link.pk) == Link.State.DONE
    return Report.objects.get(links=link)


def images_stage() -> PassSummary:
    summary = PassSummary()
    fetch_images(SilentProgress(), summary)
    return summary


def requests_for(web: FixtureServer, path: str) -> list[dict[str, str]]:
    return [headers for requested, headers in web.requests if requested == path]


def test_extraction_records_images_and_the_stage_downloads_them(
    web: FixtureServer, source: Source
) -> None:
    web.routes["/img/a.png"] = Route(PNG, content_type="image/png")
    web.routes["/img/b.jpg"] = Route(JPEG, content_type="image/jpeg")
    report = ingest(web, source, "/a.html", "/img/a.png", "/img/b.jpg")
    pending = list(report.images.order_by("position"))
    assert [(i.url, i.state, i.file) for i in pending] == [
        (web.url("/img/a.png"), ReportImage.State.PENDING, ""),
        (web.url("/img/b.jpg"), ReportImage.State.PENDING, ""),
    ]
    assert not requests_for(web, "/img/a.png")  # extraction itself never downloads

    summary = images_stage()

    assert summary.images == 2 and summary.problems == []
    first, second = report.images.order_by("position")
    assert (first.state, first.width, first.height, first.attempts) == ("done", 64, 40, 1)
    assert (second.state, second.width, second.height) == ("done", 120, 80)
    assert first.file.startswith("images/") and first.file.endswith(".png")
    assert second.file.endswith(".jpg")
    assert (Path(settings.MEDIA_ROOT) / first.file).read_bytes() == PNG
    assert (Path(settings.MEDIA_ROOT) / first.file).stat().st_mode & 0o777 == 0o644
    assert (Path(settings.MEDIA_ROOT) / second.file).read_bytes() == JPEG
    assert second.caption == "Picture 2." and first.credit == "Test Outlet"
    assert requests_for(web, "/img/a.png")[0]["accept"].startswith("image/")


def test_a_done_image_is_never_downloaded_again(web: FixtureServer, source: Source) -> None:
    web.routes["/img/a.png"] = Route(PNG, content_type="image/png")
    report = ingest(web, source, "/a.html", "/img/a.png")
    images_stage()
    file = report.images.get().file
    # Extraction repeated (a crash before the link was marked done), then another pass.
    link = Link.objects.get(report=report)
    route = web.routes["/a.html"]
    assert isinstance(route, Route)
    save_extraction(link, extract_page(route.body, link.url))
    assert images_stage().images == 0
    assert images_to_fetch() == []
    assert len(requests_for(web, "/img/a.png")) == 1
    assert report.images.get().file == file


def test_the_same_picture_is_stored_once(web: FixtureServer, source: Source) -> None:
    web.routes["/img/a.png"] = Route(PNG, content_type="image/png")
    web.routes["/img/copy.png"] = Route(PNG, content_type="image/png")
    one = ingest(web, source, "/a.html", "/img/a.png")
    two = ingest(web, source, "/b.html", "/img/copy.png")
    # An outlet's default picture on many pages: one URL, one download for all of them.
    three = ingest(web, source, "/c.html", "/img/a.png")
    assert images_stage().images == 2
    files = {r.images.get().file for r in (one, two, three)}
    assert len(files) == 1
    assert len(list((Path(settings.MEDIA_ROOT) / "images").rglob("*.png"))) == 1
    assert len(requests_for(web, "/img/a.png")) == 1
    assert three.images.get().state == ReportImage.State.DONE


def test_a_missing_image_is_given_up_with_its_reason_and_the_report_stays(
    web: FixtureServer, source: Source
) -> None:
    report = ingest(web, source, "/a.html", "/img/gone.png")
    images_stage()
    image = report.images.get()
    assert (image.state, image.error, image.attempts, image.file) == ("failed", "HTTP 404", 1, "")
    assert Report.objects.get() == report and Link.objects.get().state == Link.State.DONE
    images_stage()
    assert len(requests_for(web, "/img/gone.png")) == 1


def test_a_refusal_is_the_answer_for_every_report_showing_that_url(
    web: FixtureServer, source: Source
) -> None:
    one = ingest(web, source, "/a.html", "/img/gone.png")
    two = ingest(web, source, "/b.html", "/img/gone.png")
    images_stage()
    assert [r.images.get().state for r in (one, two)] == ["failed", "failed"]
    assert len(requests_for(web, "/img/gone.png")) == 1


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (
            b"<html><body>Sign in</body></html>",
            "text/html; charset=utf-8",
            "not an image (text/html)",
        ),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", "not a picture the site"),
        (b"\x89PNG\r\n\x1a\n but then nothing", "image/png", "not a picture the site"),
        (PNG[: len(PNG) // 2], "image/png", "broken picture"),
    ],
)
def test_what_is_not_a_picture_is_refused(
    web: FixtureServer, source: Source, body: bytes, content_type: str, reason: str
) -> None:
    web.routes["/img/x"] = Route(body, content_type=content_type)
    report = ingest(web, source, "/a.html", "/img/x")
    images_stage()
    image = report.images.get()
    assert image.state == ReportImage.State.FAILED and image.error.startswith(reason)
    assert not (Path(settings.MEDIA_ROOT) / "images").exists()


def test_store_image_refuses_a_picture_too_large_to_show() -> None:
    huge = picture((8000, 6000), (0, 0, 0), "PNG")  # 48 megapixels, a few hundred kB
    with pytest.raises(NotAnImage, match="too large"):
        store_image(huge, "image/png")
    assert store_image(JPEG, "application/octet-stream").file.endswith(".jpg")


def test_an_image_over_the_size_cap_is_not_downloaded(
    web: FixtureServer, source: Source, settings: Settings
) -> None:
    settings.NEWSDESK_IMAGE_MAX_BYTES = 1000
    web.routes["/img/big.jpg"] = Route(
        picture((400, 300), (9, 9, 9), "JPEG") * 3, content_type="image/jpeg"
    )
    report = ingest(web, source, "/a.html", "/img/big.jpg")
    images_stage()
    image = report.images.get()
    assert image.state == ReportImage.State.FAILED and image.error.startswith("too large")


def test_a_server_error_is_retried_with_backoff_then_given_up(
    web: FixtureServer, source: Source, settings: Settings
) -> None:
    settings.NEWSDESK_FETCH_MAX_ATTEMPTS = 2
    web.routes["/img/a.png"] = Route(b"busy", status=503, content_type="text/plain")
    report = ingest(web, source, "/a.html", "/img/a.png")
    before = timezone.now()
    images_stage()
    image = report.images.get()
    assert (image.state, image.attempts, image.error) == ("pending", 1, "HTTP 503")
    assert image.next_attempt_at is not None and image.next_attempt_at > before
    assert images_to_fetch() == []  # not due yet
    ReportImage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    images_stage()
    image = report.images.get()
    assert (image.state, image.attempts, image.error) == ("failed", 2, "HTTP 503")
    assert len(requests_for(web, "/img/a.png")) == 2


def test_a_host_asking_to_wait_leaves_images_pending_for_a_later_pass(
    web: FixtureServer, source: Source, settings: Settings
) -> None:
    # One request at a time at the host, so the second image is asked after the 429.
    settings.NEWSDESK_FETCH_PER_HOST = 1
    web.routes["/img/a.png"] = Route(
        b"slow down", status=429, content_type="text/plain", headers={"Retry-After": "120"}
    )
    web.routes["/img/b.jpg"] = Route(JPEG, content_type="image/jpeg")
    report = ingest(web, source, "/a.html", "/img/a.png", "/img/b.jpg")
    before = timezone.now()
    assert images_stage().images == 0
    asked, deferred = report.images.order_by("position")
    assert (asked.state, asked.attempts) == ("pending", 1)
    assert asked.error.startswith("HTTP 429")
    # Never sent: not an attempt, and due when the host said it may be asked again.
    assert (deferred.state, deferred.attempts) == ("pending", 0)
    assert "Retry-After" in deferred.error and not requests_for(web, "/img/b.jpg")
    for image in (asked, deferred):
        assert image.next_attempt_at is not None
        assert image.next_attempt_at >= before + timedelta(seconds=119)

    # Two minutes on, in a later pass (a new process: the wait is over).
    web.routes["/img/a.png"] = Route(PNG, content_type="image/png")
    ReportImage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    close_client()
    assert images_stage().images == 2
    assert [i.state for i in report.images.all()] == ["done", "done"]
    assert [i.error for i in report.images.all()] == ["", ""]


def test_an_image_url_too_long_to_store_is_skipped(web: FixtureServer, source: Source) -> None:
    web.routes["/img/a.png"] = Route(PNG, content_type="image/png")
    report = ingest(web, source, "/a.html", "/img/" + "x" * 2100 + ".png", "/img/a.png")
    image = report.images.get()
    assert (image.position, image.url) == (0, web.url("/img/a.png"))
