"""robots.txt, per-host pacing and concurrency, Retry-After, and the User-Agent."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_django.fixtures import Settings

from newsdesk.sources.http import (
    FetchDeferred,
    FetchError,
    FetchRequest,
    FetchResult,
    fetch,
    fetch_many,
)
from newsdesk.sources.politeness import retry_after_seconds
from newsdesk.sources.robots import parse_robots
from tests.httpfixture import FixtureServer, Route, serve

ROBOTS = """# written for the tests
User-agent: *
Disallow: /
Allow: /news/
Disallow: /news/drafts/
Disallow: /*.pdf$
Disallow: /search?
Crawl-delay: 2

User-agent: otherbot
User-agent: newsdesk/2.0
Allow: /
Disallow: /private
"""


def test_the_longest_matching_rule_wins_whatever_the_order() -> None:
    rules = parse_robots(ROBOTS, agent="somebot")
    assert not rules.allows("/")
    assert rules.allows("/news/today.html")
    assert not rules.allows("/news/drafts/one.html")
    assert not rules.allows("/news/report.pdf") and rules.allows("/news/report.pdf.html")
    assert not rules.allows("/search?q=x") and rules.allows("/news/search")
    assert rules.allows("/robots.txt")
    assert rules.crawl_delay == 2


def test_our_own_group_replaces_the_star_group() -> None:
    rules = parse_robots(ROBOTS)  # newsdesk, named in a group of two agents
    assert rules.allows("/") and rules.allows("/search?q=x")
    assert not rules.allows("/private/x")
    assert rules.crawl_delay == 0


def test_allow_wins_a_tie_and_non_ascii_rules_match_encoded_paths() -> None:
    rules = parse_robots("User-agent: *\nDisallow: /page\nAllow: /page\nDisallow: /أخبار/\n")
    assert rules.allows("/page")
    assert not rules.allows("/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/x")


def test_empty_or_garbled_robots_allow_everything() -> None:
    assert parse_robots("").allows("/anything")
    assert parse_robots("Disallow: /\nnonsense\n").allows("/x")  # a rule outside any group
    assert parse_robots("User-agent: *\nDisallow:\nCrawl-delay: soon\n").allows("/x")


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds(format_datetime(now + timedelta(minutes=5), usegmt=True), now) == 300
    assert retry_after_seconds(format_datetime(now - timedelta(minutes=5), usegmt=True), now) == 0
    assert retry_after_seconds("99999999", now) == 24 * 3600
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("", now) is None


def test_robots_txt_is_read_once_per_host_and_honoured(web: FixtureServer) -> None:
    web.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    web.routes["/a"] = Route(b"<html>a</html>")
    web.routes["/private/b"] = Route(b"<html>b</html>")
    assert fetch(web.url("/a")).content == b"<html>a</html>"
    fetch(web.url("/a"))
    with pytest.raises(FetchError, match=r"disallowed by robots\.txt") as error:
        fetch(web.url("/private/b"))
    assert not error.value.transient
    paths = [path for path, _ in web.requests]
    assert paths == ["/robots.txt", "/a", "/a"]


def test_robots_txt_is_read_again_when_its_time_is_up(
    web: FixtureServer, settings: Settings
) -> None:
    settings.NEWSDESK_ROBOTS_TTL = 0
    web.routes["/a"] = Route(b"<html>a</html>")
    fetch(web.url("/a"))
    fetch(web.url("/a"))
    assert [path for path, _ in web.requests].count("/robots.txt") == 2


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_missing_or_forbidden_robots_txt_allows_everything(
    web: FixtureServer, status: int
) -> None:
    web.routes["/robots.txt"] = Route(b"no", status=status, content_type="text/plain")
    web.routes["/a"] = Route(b"<html>a</html>")
    assert fetch(web.url("/a")).status == 200


def test_an_unavailable_robots_txt_keeps_the_site_unread_for_a_while(web: FixtureServer) -> None:
    web.routes["/robots.txt"] = Route(b"down", status=503, content_type="text/plain")
    web.routes["/a"] = Route(b"<html>a</html>")
    for _ in range(2):
        with pytest.raises(FetchError, match=r"robots\.txt: HTTP 503") as error:
            fetch(web.url("/a"))
        assert error.value.transient
        assert error.value.retry_after is not None and 0 < error.value.retry_after <= 300
    # Asked once, remembered: the page itself was never requested.
    assert [path for path, _ in web.requests] == ["/robots.txt"]


@pytest.fixture
def other_web() -> Iterator[FixtureServer]:
    yield from serve()


def test_a_host_is_paced_by_the_host_delay_and_others_are_not(
    web: FixtureServer, other_web: FixtureServer, settings: Settings
) -> None:
    settings.NEWSDESK_FETCH_HOST_DELAY = 0.4
    web.routes["/a"] = Route(b"<html>a</html>")
    other_web.routes["/b"] = Route(b"<html>b</html>")
    started = time.monotonic()
    fetch(web.url("/a"))  # robots.txt, then the page 0.4 s later
    assert 0.35 <= time.monotonic() - started < 1.0
    started = time.monotonic()
    fetch(other_web.url("/b"))  # another host: its own robots.txt and page, no wait for /a's
    assert 0.35 <= time.monotonic() - started < 0.8
    started = time.monotonic()
    for _ in range(2):
        fetch(web.url("/a"))
    # /a's turn came while /b was fetched; the next one is 0.4 s after it.
    assert 0.35 <= time.monotonic() - started < 0.8


def test_crawl_delay_wins_when_it_asks_for_more(web: FixtureServer, settings: Settings) -> None:
    settings.NEWSDESK_FETCH_HOST_DELAY = 0.0
    web.routes["/robots.txt"] = Route(
        b"User-agent: *\nCrawl-delay: 0.5\n", content_type="text/plain"
    )
    arrivals: list[float] = []

    def page(handler: object) -> Route:
        arrivals.append(time.monotonic())
        return Route(b"<html>a</html>")

    web.routes["/a"] = page
    for _ in range(3):
        fetch(web.url("/a"))
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(gaps) == 2 and all(gap >= 0.45 for gap in gaps)


def test_a_turn_further_off_than_a_fetch_may_wait_is_deferred(
    web: FixtureServer, settings: Settings
) -> None:
    settings.NEWSDESK_FETCH_HOST_DELAY = 1.5
    settings.NEWSDESK_FETCH_TOTAL_TIMEOUT = 2.0
    web.routes["/a"] = Route(b"<html>a</html>")
    started = time.monotonic()
    outcomes = [outcome for _, outcome in fetch_many([FetchRequest(web.url("/a"))] * 3)]
    # robots.txt at once, one page 1.5 s later; the next turns (3 s off) are not waited for.
    assert 1.4 <= time.monotonic() - started < 2.5
    deferred = [outcome for outcome in outcomes if isinstance(outcome, FetchDeferred)]
    assert len(deferred) == 2 and sum(isinstance(o, FetchResult) for o in outcomes) == 1
    assert all(d.retry_after is not None and d.retry_after > 2 for d in deferred)
    assert all("deferred" in d.reason for d in deferred)
    assert [path for path, _ in web.requests] == ["/robots.txt", "/a"]


def test_per_host_concurrency_is_bounded(web: FixtureServer, settings: Settings) -> None:
    settings.NEWSDESK_FETCH_PER_HOST = 1
    for i in range(4):
        web.routes[f"/slow{i}"] = Route(b"<html>s</html>", delay=0.3)
    started = time.monotonic()
    outcomes = list(fetch_many([FetchRequest(web.url(f"/slow{i}")) for i in range(4)]))
    # One at a time at this host, though fetch_many would run 16 at once.
    assert time.monotonic() - started >= 1.2 - 0.05
    assert len(outcomes) == 4


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_keeps_the_host_unasked_until_then(web: FixtureServer, status: int) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    web.routes["/busy"] = Route(b"wait", status=status, headers={"Retry-After": later})
    web.routes["/other"] = Route(b"<html>other</html>")
    with pytest.raises(FetchError) as error:
        fetch(web.url("/busy"))
    assert error.value.status == status and error.value.transient
    assert error.value.retry_after is not None and 80 < error.value.retry_after <= 90
    asked = len(web.requests)
    # Any path at that host, through fetch or fetch_many, until the time is up.
    with pytest.raises(FetchDeferred, match="Retry-After"):
        fetch(web.url("/other"))
    [(_, outcome)] = list(fetch_many([FetchRequest(web.url("/other"))]))
    assert isinstance(outcome, FetchDeferred)
    assert len(web.requests) == asked


def test_a_short_retry_after_is_waited_out(web: FixtureServer) -> None:
    web.routes["/busy"] = Route(b"wait", status=429, headers={"Retry-After": "1"})
    web.routes["/other"] = Route(b"<html>other</html>")
    with pytest.raises(FetchError):
        fetch(web.url("/busy"))
    started = time.monotonic()
    assert fetch(web.url("/other")).status == 200
    assert 0.8 <= time.monotonic() - started < 3


def test_user_agent_names_the_contact_url_and_robots_groups_match_it(
    web: FixtureServer, settings: Settings
) -> None:
    settings.NEWSDESK_USER_AGENT = "newsdesk/0.1 (+https://desk.example/contact)"
    web.routes["/robots.txt"] = Route(
        b"User-agent: *\nAllow: /\n\nUser-agent: newsdesk\nDisallow: /\n",
        content_type="text/plain",
    )
    with pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
        fetch(web.url("/a"))
    assert web.requests[0][1]["user-agent"] == settings.NEWSDESK_USER_AGENT
