"""The ingest benchmark's web: corpus articles as pages of several outlets, with feeds.

Each outlet has its own page layout (navigation, header, share buttons, related links,
comments, newsletter boxes, footers, inline scripts and styles, as real news sites do), its own
URL scheme and its own loopback port. Pages are rendered once at start-up and served from
memory by one asyncio loop, gzip-compressed when the client accepts it, so the server costs
little CPU of its own. Run as a script it serves until its standard input closes:

    python bench/ingest_site.py --data ../shared/data/corpus/wikinews.jsonl --pages 300

and prints one JSON line first: {"ports": [...], "feeds": [...], "pages": N, ...}.

The parts: ingest_corpus (the articles), ingest_outlets (which outlet publishes which page
where), ingest_layouts with ingest_boilerplate (the pages), ingest_feeds (RSS and Atom).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import os
import random
import socket
import sys
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ingest_corpus import BenchDataError, Story, load_stories
from ingest_feeds import feed_content_type, feed_path, outlet_feeds
from ingest_layouts import LAYOUTS
from ingest_outlets import Outlet, PageContext, plan

HTML = "text/html; charset=utf-8"
# A path's response: status, content type, body, and the body gzipped (b"" when not worth it).
Route = tuple[int, str, bytes, bytes]
Routes = dict[str, Route]
IMAGE_VARIANTS = 12


@dataclass
class Site:
    outlets: list[Outlet]
    # Per outlet: path -> (status, content type, body, gzip body or b"").
    routes: list[Routes]
    html_bytes: int = 0

    @property
    def pages(self) -> int:
        return sum(len(o.pages) for o in self.outlets)


def build_site(stories: list[Story], count: int, outlets: int, ports: list[int]) -> Site:
    planned = plan(stories, count, outlets, LAYOUTS)
    images = _images()
    routes: list[Routes] = []
    html_bytes = 0
    for outlet, port in zip(planned, ports, strict=True):
        base = f"http://127.0.0.1:{port}"
        table: Routes = {}
        for position, page in enumerate(outlet.pages):
            neighbours = (
                outlet.pages[max(0, position - 4) : position]
                + outlet.pages[position + 1 : position + 5]
            )
            ctx = PageContext(page, outlet, base, neighbours, random.Random(page.number))
            body = outlet.layout(ctx).encode()
            html_bytes += len(body)
            table[page.path] = _route(HTML, body)
            if page.image:
                table[page.image] = (200, "image/jpeg", images[page.number % len(images)], b"")
        for path, body in outlet_feeds(outlet, base):
            table[path] = _route(feed_content_type(outlet.feed_kind), body)
        table["/"] = _route(HTML, _home(outlet, base))
        table["/robots.txt"] = (200, "text/plain", b"User-agent: *\nAllow: /\n", b"")
        routes.append(table)
    return Site(planned, routes, html_bytes)


def feed_paths(site: Site) -> list[list[str]]:
    return [sorted(p for p in table if p.startswith("/feeds/")) for table in site.routes]


def _route(content_type: str, body: bytes) -> Route:
    return (200, content_type, body, gzip.compress(body, compresslevel=6))


def _images() -> list[bytes]:
    from newsdesk.demo.images import image_bytes

    motifs = ("storm", "election", "finance", "space", "health", "sport", "nature", "city")
    return [image_bytes(f"bench-{i}", motifs[i % len(motifs)]) for i in range(IMAGE_VARIANTS)]


def _home(outlet: Outlet, base: str) -> bytes:
    items = "".join(
        f'<li><a href="{base}{p.path}">{escape(p.title)}</a></li>' for p in outlet.pages[:30]
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{escape(outlet.name)}</title>'
        f'<link rel="alternate" type="{feed_content_type(outlet.feed_kind)}" '
        f'href="{base}{feed_path(0)}"></head>'
        f"<body><h1>{escape(outlet.name)}</h1><ul>{items}</ul></body></html>"
    ).encode()


# --- serving ----------------------------------------------------------------------------------


async def _serve_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    routes: Routes,
) -> None:
    """HTTP/1.1 with keep-alive, GET only: enough for a client that pools its connections."""
    try:
        while True:
            request_line = await reader.readline()
            if not request_line:
                return
            headers: dict[str, str] = {}
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            parts = request_line.decode("latin-1").split()
            path = parts[1].split("?")[0] if len(parts) > 1 else "/"
            if path == "/__bench/cpu":
                times = os.times()
                cpu = json.dumps([times.user, times.system]).encode()
                route = (200, "application/json", cpu, b"")
            else:
                route = routes.get(path) or (404, "text/plain", b"not found\n", b"")
            status, content_type, body, packed = route
            extra = ""
            if packed and "gzip" in headers.get("accept-encoding", ""):
                body, extra = packed, "Content-Encoding: gzip\r\n"
            reason = "OK" if status == 200 else "Not Found"
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\n{extra}\r\n".encode()
                + body
            )
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (ConnectionError, asyncio.IncompleteReadError):
        return
    finally:
        writer.close()


async def _serve(site_routes: list[Routes], sockets: list[socket.socket]) -> None:
    servers = []
    for routes, sock in zip(site_routes, sockets, strict=True):

        async def handle(
            reader: asyncio.StreamReader,
            writer: asyncio.StreamWriter,
            routes: Routes = routes,
        ) -> None:
            await _serve_connection(reader, writer, routes)

        servers.append(await asyncio.start_server(handle, sock=sock, backlog=512))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Standard input closing (the bench ending, or dying) ends the server.
    threading.Thread(
        target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stop.set)), daemon=True
    ).start()
    await stop.wait()
    for server in servers:
        server.close()


def _bind(count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    return sockets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--outlets", type=int, default=6)
    args = parser.parse_args(argv)
    try:
        stories = load_stories(args.data)
    except BenchDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sockets = _bind(args.outlets)
    ports = [s.getsockname()[1] for s in sockets]
    site = build_site(stories, args.pages, args.outlets, ports)
    digest = hashlib.sha256(b"".join(t[p][2] for t in site.routes for p in sorted(t))).hexdigest()
    info = {
        "ports": ports,
        "feeds": [
            [f"http://127.0.0.1:{port}{path}" for path in paths]
            for port, paths in zip(ports, feed_paths(site), strict=True)
        ],
        "outlets": [o.name for o in site.outlets],
        "pages": site.pages,
        "html_bytes": site.html_bytes,
        "digest": digest[:16],
    }
    print(json.dumps(info), flush=True)
    asyncio.run(_serve(site.routes, sockets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
