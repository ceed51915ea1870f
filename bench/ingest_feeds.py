"""The ingest benchmark's feeds: RSS 2.0 or Atom by outlet, its pages in feeds of 50 entries."""

from __future__ import annotations

from collections.abc import Iterator
from email.utils import format_datetime
from html import escape

from ingest_outlets import Outlet, Page

FEED_SIZE = 50


def feed_path(number: int) -> str:
    return f"/feeds/all-{number}.xml"


def feed_content_type(kind: str) -> str:
    return "application/atom+xml" if kind == "atom" else "application/rss+xml"


def outlet_feeds(outlet: Outlet, base: str) -> Iterator[tuple[str, bytes]]:
    """(path, body) of each of the outlet's feeds, its pages in runs of FEED_SIZE."""
    for number, start in enumerate(range(0, len(outlet.pages), FEED_SIZE)):
        chunk = outlet.pages[start : start + FEED_SIZE]
        path = feed_path(number)
        yield path, render_feed(outlet, chunk, base, path, outlet.feed_kind)


def render_feed(outlet: Outlet, pages: list[Page], base: str, path: str, kind: str) -> bytes:
    if kind == "atom":
        return _atom(outlet, pages, base, path)
    items = "".join(
        f"<item><title>{escape(p.title)}</title><link>{base}{p.path}</link>"
        f'<guid isPermaLink="true">{base}{p.path}</guid>'
        f"<pubDate>{format_datetime(p.published)}</pubDate>"
        f"<category>{p.section}</category>"
        f"<description>{escape(p.paragraphs[0][:300])}</description></item>"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(outlet.name)}</title><link>{base}/</link>"
        f"<description>{escape(outlet.tagline)}</description><language>en</language>"
        f"{items}</channel></rss>"
    ).encode()


def _atom(outlet: Outlet, pages: list[Page], base: str, path: str) -> bytes:
    newest = max(p.published for p in pages)
    entries = "".join(
        f"<entry><title>{escape(p.title)}</title>"
        f'<link rel="alternate" href="{base}{p.path}"/><id>{base}{p.path}</id>'
        f"<updated>{p.published.isoformat()}</updated>"
        f"<published>{p.published.isoformat()}</published>"
        f"<author><name>{escape(p.author)}</name></author>"
        f'<category term="{p.section}"/>'
        f"<summary>{escape(p.paragraphs[0][:300])}</summary></entry>"
        for p in pages
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(outlet.name)}</title><id>{base}{path}</id>"
        f'<link rel="self" href="{base}{path}"/><link href="{base}/"/>'
        f"<updated>{newest.isoformat()}</updated>{entries}</feed>"
    ).encode()
