"""Which addresses newsdesk may connect to, enforced where the socket is opened.

A feed or a redirect must not make the desk read its own network (a router's admin page, a cloud
metadata service at 169.254.169.254, a database on localhost). Checking a URL's host and then
letting the HTTP client resolve it again would leave a window for DNS rebinding (the second answer
differs from the first), so the check lives in the network backend itself: it resolves the name,
refuses the answer if any address is not public, and connects to the very address it checked.
TLS still verifies the certificate against the host name, since SNI and the Host header come
from the URL, not from the address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence
from functools import lru_cache

import anyio
import httpcore
from django.conf import settings

type IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
type IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class AddressRefused(Exception):
    """A connection refused before it was opened; `reason` says which address and why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def refusal(address: IPAddress) -> str:
    """Why `address` must not be connected to, or "" when it is a public address."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return refusal(embedded)
    for kind in ("loopback", "link_local", "multicast", "unspecified", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return "" if address.is_global else "not public"


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    # IPv6 forms that carry an IPv4 address are judged by that address.
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


@lru_cache(maxsize=8)
def _allowed_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks: list[IPNetwork] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"NEWSDESK_FETCH_ALLOWED_ADDRESSES: {entry!r} is not an address or network"
            ) from None
    return tuple(networks)


def check_address(address: IPAddress, host: str) -> None:
    """Raise AddressRefused unless `address` is public or listed in the allowed addresses."""
    why = refusal(address)
    if not why:
        return
    allowed = _allowed_networks(tuple(settings.NEWSDESK_FETCH_ALLOWED_ADDRESSES))
    if any(address.version == net.version and address in net for net in allowed):
        return
    shown = host if host == str(address) else f"{host} ({address})"
    raise AddressRefused(
        f"refused address: {shown} is {why}; list it in NEWSDESK_FETCH_ALLOWED_ADDRESSES "
        "to allow it"
    )


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order, without duplicates."""
    try:
        infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving and checking before every connection it opens."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"timed out resolving {host}") from None
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no address")
        # All of them, not only the first: the next connection could use another.
        for address in addresses:
            check_address(address, host)
        return await self._connect_any(addresses, port, timeout, local_address, socket_options)

    async def _connect_any(
        self,
        addresses: Sequence[IPAddress],
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.AsyncNetworkStream:
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("refused address: unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
