"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read with feedparser.

feedparser is lenient on purpose: a feed that is slightly broken (a stray ampersand, an unclosed
tag near the end) but still yields entries is used. It never loads external entities and is
only ever given bytes, so it never fetches anything; entity declarations are removed before it
sees them (see without_internal_dtd).
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime

import feedparser

from newsdesk.sources.entries import (
    FeedEntry,
    InvalidFeed,
    ParsedFeed,
    clean_url,
    language_code,
    make_entry,
    plain_text,
)

_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_INTERNAL_DTD = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.S | re.I)


def read_syndication(content: bytes, base_url: str) -> ParsedFeed:
    """The feed and its entries; raises InvalidFeed when feedparser finds no feed in it."""
    parsed = feedparser.parse(
        without_internal_dtd(content), response_headers={"content-location": base_url}
    )
    version: str = parsed.get("version") or ""
    if not version and not parsed.entries:
        raise InvalidFeed("not a feed: no RSS or Atom document found")
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        # An Atom id is often a URN; it only stands in for the link when it is a URL.
        entry = make_entry(
            item.get("link") or item.get("id") or "",
            base_url,
            title=item.get("title", ""),
            published_at=_entry_time(item),
            categories=[t.get("term") or "" for t in item.get("tags", [])],
            summary=item.get("summary", ""),
        )
        if entry is not None:
            entries.append(entry)
    # A malformed feed is still used when it yields links; one that yields none is reported.
    if not entries and parsed.get("bozo"):
        raise InvalidFeed(f"invalid feed: {parsed.get('bozo_exception')}")
    feed = parsed.get("feed", {})
    return ParsedFeed(
        title=plain_text(feed.get("title", "")),
        link=clean_url(feed.get("link", ""), base_url) or "",
        language=language_code(feed.get("language", "")),
        entries=entries,
        kind="atom" if version.startswith("atom") else "rss",
    )


def without_internal_dtd(content: bytes) -> bytes:
    """The document without its DOCTYPE's internal subset, where entities are declared.

    feedparser only strips entity declarations that start a line; the rest reach expat, which
    expands them up to its amplification limit: megabytes of text fed through Python per feed.
    Feeds need no entities of their own (the loose parser still knows HTML's).
    """
    root = _FIRST_ELEMENT.search(content)
    end = root.start() if root else len(content)
    doctype = _INTERNAL_DTD.search(content, 0, end)
    if doctype is None:
        return content
    return content[: doctype.start()] + content[doctype.end() :]


def _entry_time(item: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = item.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None
