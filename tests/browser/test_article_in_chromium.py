"""What a reader's browser shows: the demo's article pages in real headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from django.db import connections

from newsdesk.demo.corpus import load_corpus
from newsdesk.demo.register import register_demo_sources
from newsdesk.demo.server import DemoServer
from newsdesk.pipeline.runner import run_pass
from newsdesk.pipeline.webserver import SiteServer
from newsdesk.publishing.models import Article

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="SKIPPED LOUDLY: no Chromium on this machine (apt-get install chromium); "
        "the browser tests did not run",
    ),
]
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def desk(transactional_db: None) -> Iterator[str]:
    """The demo ingested, and the site served by the embedded server a user runs."""
    outlets = DemoServer(host="127.0.0.1", port=0)
    base_url = outlets.start()
    try:
        run_pass(source_ids=register_demo_sources(load_corpus(), base_url))
    finally:
        outlets.stop()
    site = SiteServer("127.0.0.1", 0)
    site.start_in_background()
    try:
        yield site.url.rstrip("/")
    finally:
        site.stop()


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls here are ordinary
    # blocking calls made between browser steps, which is what this switch allows.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
        # While Playwright's loop runs, Django keys connections by context, not thread: the
        # test's queries opened one of their own, which must be closed before the loop ends.
        connections.close_all()


def _multi_outlet_article() -> Article:
    return max(Article.objects.filter(language="en"), key=lambda a: (a.refs.count(), -a.pk))


def test_article_page_on_a_wide_screen(desk: str, browser: object) -> None:
    article = _multi_outlet_article()
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(desk + article.get_absolute_url())
    assert page.locator("h1").inner_text().strip() == article.headline
    assert page.get_by_text("Images from the reference sources").is_visible()
    images = page.locator("figure img")
    assert images.count() == article.images.count() > 0
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("main h2, article h2").count() >= 2
    assert page.get_by_text("Refs:").is_visible()
    main_box = page.locator("h1").bounding_box()
    aside_box = page.locator("aside").first.bounding_box()
    assert main_box and aside_box and aside_box["x"] > main_box["x"] + main_box["width"] / 2
    # A footnote marker takes the reader to its source in the Refs list.
    marker = page.locator("a[href^='#ref-']").first
    target = marker.get_attribute("href")
    marker.click()
    assert page.url.endswith(target)
    assert page.locator(f"li{target}").is_visible()


def test_article_page_on_a_phone_without_javascript(desk: str, browser: object) -> None:
    article = _multi_outlet_article()
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(desk + article.get_absolute_url())
    assert page.locator("h1").inner_text().strip() == article.headline
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    heading = page.locator("h1").bounding_box()
    aside = page.locator("aside").first.bounding_box()
    assert heading and aside and aside["y"] > heading["y"]
    context.close()


def test_arabic_article_reads_right_to_left(desk: str, browser: object) -> None:
    article = Article.objects.filter(language="ar").first()
    assert article is not None
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(desk + article.get_absolute_url())
    direction = page.locator("h1").evaluate("el => getComputedStyle(el).direction")
    assert direction == "rtl"
