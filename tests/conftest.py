from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from newsdesk.sources.http import close_client
from tests.httpfixture import FixtureServer, serve


@pytest.fixture(autouse=True)
def _isolated_home(settings: Settings, tmp_path: Path) -> Iterator[None]:
    """Images and state go to a fresh folder per test, never the user's NEWSDESK_HOME."""
    settings.NEWSDESK_HOME = tmp_path / "home"
    settings.MEDIA_ROOT = tmp_path / "home" / "media"
    # Tests must not wait out production timeouts.
    settings.NEWSDESK_FETCH_CONNECT_TIMEOUT = 2.0
    settings.NEWSDESK_FETCH_READ_TIMEOUT = 2.0
    settings.NEWSDESK_FETCH_TOTAL_TIMEOUT = 5.0
    # The fixture web lives on loopback, which production refuses; and it need not be waited on.
    settings.NEWSDESK_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    settings.NEWSDESK_FETCH_HOST_DELAY = 0.0
    yield
    # What a test taught the fetcher (robots.txt, Retry-After, pacing) must not reach the next
    # one, which may get a server on the same port.
    close_client()


@pytest.fixture
def web() -> Iterator[FixtureServer]:
    yield from serve()
