from __future__ import annotations

import gzip
import time

import pytest
from pytest_django.fixtures import Settings

from newsdesk.sources.http import FetchError, fetch
from tests.httpfixture import FixtureServer, Route


def test_fetch_sends_user_agent_naming_newsdesk(web: FixtureServer) -> None:
    web.routes["/page"] = Route(b"<html>hello</html>")
    result = fetch(web.url("/page"))
    assert result.status == 200
    assert result.content == b"<html>hello</html>"
    assert web.requests[-1][1]["user-agent"].startswith("newsdesk/")


def test_conditional_get_gives_not_modified(web: FixtureServer) -> None:
    def answer(handler: object) -> Route:
        headers = web.requests[-1][1]
        if headers.get("if-none-match") == '"v1"':
            return Route(status=304)
        return Route(b"<rss/>", headers={"ETag": '"v1"'})

    web.routes["/feed"] = answer
    first = fetch(web.url("/feed"))
    assert first.headers["etag"] == '"v1"'
    second = fetch(web.url("/feed"), etag='"v1"')
    assert second.not_modified


def test_server_error_is_transient_and_not_found_is_not(web: FixtureServer) -> None:
    web.routes["/down"] = Route(b"oops", status=500)
    with pytest.raises(FetchError) as down:
        fetch(web.url("/down"))
    assert down.value.reason == "HTTP 500" and down.value.transient
    with pytest.raises(FetchError) as missing:
        fetch(web.url("/missing"))
    assert missing.value.status == 404 and not missing.value.transient


def test_slow_drip_stops_at_the_total_deadline(web: FixtureServer, settings: Settings) -> None:
    settings.NEWSDESK_FETCH_TOTAL_TIMEOUT = 1.5
    web.routes["/drip"] = Route(b"x" * 100, drip=True, delay=0.2)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(web.url("/drip"))
    assert time.monotonic() - started < 4


def test_silent_server_times_out_reading(web: FixtureServer, settings: Settings) -> None:
    settings.NEWSDESK_FETCH_READ_TIMEOUT = 0.5
    web.routes["/silent"] = Route(b"late", delay=3)
    with pytest.raises(FetchError, match="timed out"):
        fetch(web.url("/silent"))


def test_size_cap_applies_to_declared_and_streamed_bodies(web: FixtureServer) -> None:
    web.routes["/big"] = Route(b"a" * 5000)
    with pytest.raises(FetchError, match="too large"):
        fetch(web.url("/big"), max_bytes=1000)
    bomb = gzip.compress(b"\0" * 2_000_000)
    web.routes["/bomb"] = Route(bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="too large"):
        fetch(web.url("/bomb"), max_bytes=100_000)


def test_redirect_loop_is_capped(web: FixtureServer) -> None:
    web.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(web.url("/loop"))


def test_refused_connection_is_reported() -> None:
    with pytest.raises(FetchError, match="cannot connect"):
        fetch("http://127.0.0.1:9/nothing-listens-here")
