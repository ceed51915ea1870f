"""Addresses the desk must not read: refused where the connection opens, every hop checked."""

from __future__ import annotations

import ipaddress
import re

import pytest
from pytest_django.fixtures import Settings

from newsdesk.sources.http import FetchError, FetchRefused, fetch
from newsdesk.sources.netguard import refusal
from tests.httpfixture import FixtureServer, Route


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("100.64.0.1", "not public"),  # carrier-grade NAT
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 around 169.254.169.254
        ("93.184.215.14", ""),
        ("2606:4700::1111", ""),
        ("64:ff9b::5db8:d70e", ""),  # NAT64 around a public address
    ],
)
def test_what_is_refused_and_why(address: str, why: str) -> None:
    assert refusal(ipaddress.ip_address(address)) == why


def test_reserved_addresses_are_refused() -> None:
    assert refusal(ipaddress.ip_address("240.0.0.1")) in {"reserved", "private"}
    assert refusal(ipaddress.ip_address("255.255.255.255")) != ""


def test_loopback_is_refused_unless_allowed(web: FixtureServer, settings: Settings) -> None:
    web.routes["/a"] = Route(b"<html>a</html>")
    settings.NEWSDESK_FETCH_ALLOWED_ADDRESSES = []
    with pytest.raises(FetchError, match=r"refused address: 127\.0\.0\.1 is loopback") as error:
        fetch(web.url("/a"))
    assert not error.value.transient
    assert web.requests == []  # refused before connecting
    settings.NEWSDESK_FETCH_ALLOWED_ADDRESSES = ["127.0.0.0/30"]
    assert fetch(web.url("/a")).content == b"<html>a</html>"


def test_a_name_is_judged_by_every_address_it_resolves_to(
    web: FixtureServer, settings: Settings
) -> None:
    web.routes["/a"] = Route(b"<html>a</html>")
    url = web.url("/a").replace("127.0.0.1", "localhost")
    settings.NEWSDESK_FETCH_ALLOWED_ADDRESSES = []
    with pytest.raises(FetchError, match=r"refused address: localhost \(") as error:
        fetch(url)
    assert "NEWSDESK_FETCH_ALLOWED_ADDRESSES" in error.value.reason
    # localhost may also resolve to ::1, where nothing listens: the next address is tried.
    settings.NEWSDESK_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1", "::1"]
    assert fetch(url).content == b"<html>a</html>"


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://127.0.0.2:{port}/a", "127.0.0.2 is loopback"),
        ("http://10.0.0.1/admin", "10.0.0.1 is private"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is link-local"),
        ("http://[::1]:{port}/a", "::1 is loopback"),
        ("http://0.0.0.0:{port}/a", "0.0.0.0 is unspecified"),
    ],
)
def test_a_redirect_to_a_refused_address_is_stopped_at_that_hop(
    web: FixtureServer, location: str, reason: str
) -> None:
    port = web.base_url.rsplit(":", 1)[1]
    web.routes["/a"] = Route(b"<html>a</html>")
    web.routes["/jump"] = Route(status=302, headers={"Location": location.format(port=port)})
    with pytest.raises(FetchRefused, match="refused address") as error:
        fetch(web.url("/jump"))
    assert reason in error.value.reason and not error.value.transient
    assert [path for path, _ in web.requests] == ["/robots.txt", "/jump"]


def test_a_bad_allowed_addresses_setting_is_named(web: FixtureServer, settings: Settings) -> None:
    web.routes["/a"] = Route(b"<html>a</html>")
    settings.NEWSDESK_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1/99"]
    with pytest.raises(
        FetchError, match=re.escape("NEWSDESK_FETCH_ALLOWED_ADDRESSES: '127.0.0.1/99'")
    ):
        fetch(web.url("/a"))
