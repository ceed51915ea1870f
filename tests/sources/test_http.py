from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Callable, Iterator

import pytest
from pytest_django.fixtures import Settings

from newsdesk.sources.http import FetchError, FetchRequest, FetchResult, fetch, fetch_many
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


def test_redirects_are_followed_hop_by_hop_to_the_final_url(web: FixtureServer) -> None:
    web.routes["/old"] = Route(status=301, headers={"Location": "/middle"})
    web.routes["/middle"] = Route(status=302, headers={"Location": web.url("/new")})
    web.routes["/new"] = Route(b"<html>moved</html>")
    result = fetch(web.url("/old"))
    assert result.final_url == web.url("/new") and result.content == b"<html>moved</html>"
    assert [path for path, _ in web.requests if path != "/robots.txt"] == [
        "/old",
        "/middle",
        "/new",
    ]


def test_redirect_chain_longer_than_the_cap_stops_at_the_cap(
    web: FixtureServer, settings: Settings
) -> None:
    settings.NEWSDESK_FETCH_MAX_REDIRECTS = 2
    for step in range(5):
        web.routes[f"/r{step}"] = Route(status=302, headers={"Location": f"/r{step + 1}"})
    with pytest.raises(FetchError, match="too many redirects") as error:
        fetch(web.url("/r0"))
    assert not error.value.transient
    assert [path for path, _ in web.requests if path != "/robots.txt"] == ["/r0", "/r1", "/r2"]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x/"])
def test_only_http_urls_are_fetched_even_through_a_redirect(
    web: FixtureServer, target: str
) -> None:
    with pytest.raises(FetchError, match="invalid URL"):
        fetch(target)
    web.routes["/away"] = Route(status=302, headers={"Location": target})
    with pytest.raises(FetchError, match="invalid URL") as error:
        fetch(web.url("/away"))
    assert not error.value.transient


@pytest.mark.parametrize("wrap", [zlib.compress, lambda body: zlib.compress(body)[2:-4]])
def test_deflate_bodies_zlib_wrapped_or_raw_are_decoded(
    web: FixtureServer, wrap: Callable[[bytes], bytes]
) -> None:
    page = b"<html>" + b"deflated text " * 200 + b"</html>"
    web.routes["/d"] = Route(wrap(page), headers={"Content-Encoding": "deflate"})
    assert fetch(web.url("/d")).content == page
    assert web.requests[-1][1]["accept-encoding"] == "gzip, deflate"


def test_unknown_content_encoding_is_refused(web: FixtureServer) -> None:
    web.routes["/br"] = Route(b"\x1b\x00\x00", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="unsupported content encoding: br"):
        fetch(web.url("/br"))


def test_a_bomb_is_told_apart_from_a_large_page(web: FixtureServer) -> None:
    # 20 MB of zeros in ~20 KB: stopped by its ratio after about a megabyte, not at 5 MB.
    web.routes["/bomb"] = Route(
        gzip.compress(b"\0" * 20_000_000), headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="decompression bomb") as error:
        fetch(web.url("/bomb"))
    assert not error.value.transient
    # Ordinary compressed HTML (about 5 to 1) reads whole.
    page = ("".join(f"<p>Paragraph {i} of an ordinary page.</p>" for i in range(40_000))).encode()
    web.routes["/page"] = Route(gzip.compress(page), headers={"Content-Encoding": "gzip"})
    assert fetch(web.url("/page")).content == page


def test_fetch_many_returns_every_request_with_its_key(web: FixtureServer) -> None:
    for i in range(12):
        web.routes[f"/p{i}"] = Route(f"<html>{i}</html>".encode())
    requests = [FetchRequest(web.url(f"/p{i}"), key=100 + i) for i in range(12)]
    requests.append(FetchRequest(web.url("/missing"), key=999))
    outcomes = {request.key: outcome for request, outcome in fetch_many(requests)}
    assert set(outcomes) == {*range(100, 112), 999}
    for i in range(12):
        result = outcomes[100 + i]
        assert isinstance(result, FetchResult) and result.content == f"<html>{i}</html>".encode()
    missing = outcomes[999]
    assert isinstance(missing, FetchError) and missing.status == 404


def test_fetch_many_sends_conditional_headers(web: FixtureServer) -> None:
    def answer(handler: object) -> Route:
        if web.requests[-1][1].get("if-modified-since") == "Tue, 17 Nov 2026 08:00:00 GMT":
            return Route(status=304)
        return Route(b"<html>fresh</html>")

    web.routes["/c"] = answer
    request = FetchRequest(web.url("/c"), last_modified="Tue, 17 Nov 2026 08:00:00 GMT")
    [(_, outcome)] = list(fetch_many([request]))
    assert isinstance(outcome, FetchResult) and outcome.not_modified


def test_fetch_many_runs_concurrently_within_its_bound(
    web: FixtureServer, settings: Settings
) -> None:
    settings.NEWSDESK_FETCH_PER_HOST = 8
    for i in range(8):
        web.routes[f"/slow{i}"] = Route(b"<html>late</html>", delay=0.5)
    started = time.monotonic()
    outcomes = list(fetch_many([FetchRequest(web.url(f"/slow{i}")) for i in range(8)]))
    assert time.monotonic() - started < 2.0  # one after the other would take 4 s
    assert all(isinstance(outcome, FetchResult) for _, outcome in outcomes)
    # Two at a time: four rounds of half a second.
    started = time.monotonic()
    list(fetch_many([FetchRequest(web.url(f"/slow{i}")) for i in range(8)], concurrency=2))
    assert time.monotonic() - started >= 1.9


def test_fetch_many_reads_its_input_lazily_and_stops_when_closed(web: FixtureServer) -> None:
    web.routes["/page"] = Route(b"<html>p</html>")
    pulled: list[int] = []

    def requests() -> Iterator[FetchRequest]:
        for i in range(10_000):
            pulled.append(i)
            yield FetchRequest(web.url("/page"), key=i)

    results = fetch_many(requests(), concurrency=4)
    for _ in range(3):
        next(results)
    # At most twice the concurrency under way or waiting, whatever the input's length.
    assert len(pulled) <= 3 + 8
    results.close()
    time.sleep(0.3)
    served = len(web.requests)
    assert served <= len(pulled) + 1  # + robots.txt
    time.sleep(0.3)
    assert len(web.requests) == served


def test_closing_fetch_many_early_cancels_slow_fetches_at_once(web: FixtureServer) -> None:
    web.routes["/fast"] = Route(b"<html>fast</html>")
    web.routes["/slow"] = Route(b"<html>slow</html>", delay=1.5)
    requests = [FetchRequest(web.url("/fast"))] + [FetchRequest(web.url("/slow"))] * 3
    results = fetch_many(requests, concurrency=4)
    request, _ = next(results)
    assert request.url.endswith("/fast")
    started = time.monotonic()
    results.close()
    assert time.monotonic() - started < 0.5
    # The fetcher is still in working order afterwards.
    assert fetch(web.url("/fast")).content == b"<html>fast</html>"


def test_an_unexpected_failure_of_one_url_becomes_its_error(web: FixtureServer) -> None:
    web.routes["/ok"] = Route(b"<html>ok</html>")
    odd = FetchRequest(url=None, key=1)  # type: ignore[arg-type]
    outcomes = dict((r.key, o) for r, o in fetch_many([odd, FetchRequest(web.url("/ok"), key=2)]))
    assert isinstance(outcomes[1], FetchError) and "unexpected error" in outcomes[1].reason
    assert isinstance(outcomes[2], FetchResult)
