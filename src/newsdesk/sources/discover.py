"""Stage 1, discover: read a feed (RSS 2.0, RSS 1.0, Atom) and record the report URLs it lists."""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from newsdesk.reports.models import Link
from newsdesk.sources.health import record_failure, record_success
from newsdesk.sources.http import FetchError, fetch
from newsdesk.sources.models import Feed
from newsdesk.sources.urlnorm import is_http_url, normalize_url

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published_at: datetime | None
    categories: tuple[str, ...]


@dataclass(frozen=True)
class DiscoverResult:
    feed_id: int
    new_links: int
    entries: int
    not_modified: bool = False
    error: str = ""


class InvalidFeed(ValueError):
    pass


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    language: str
    entries: list[FeedEntry]


def parse_feed(content: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of a feed document; raises InvalidFeed when it is not a readable feed."""
    return read_feed(content, base_url).entries


def read_feed(content: bytes, base_url: str) -> ParsedFeed:
    """The feed's own description and its entries; raises InvalidFeed when it is not a feed."""
    parsed = feedparser.parse(content, response_headers={"content-location": base_url})
    if not parsed.get("version") and not parsed.entries:
        raise InvalidFeed("not a feed: no RSS or Atom document found")
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id") or ""
        if not link:
            continue
        url = normalize_url(link, base_url)
        if not is_http_url(url):
            continue
        entries.append(
            FeedEntry(
                url=url,
                # feedparser sanitises titles; strip what markup remains to plain text.
                title=_plain(entry.get("title", "")),
                published_at=_entry_time(entry),
                categories=tuple(
                    t.get("term", "").strip() for t in entry.get("tags", []) if t.get("term")
                ),
            )
        )
    # A malformed feed is still used when it yields links; one that yields none is reported.
    if not entries and parsed.get("bozo"):
        raise InvalidFeed(f"invalid feed: {parsed.get('bozo_exception')}")
    feed = parsed.get("feed", {})
    return ParsedFeed(
        title=_plain(feed.get("title", "")),
        link=feed.get("link", ""),
        language=feed.get("language", "")[:2].lower(),
        entries=entries,
    )


def _plain(value: str) -> str:
    value = value.strip()
    if "<" not in value:
        return value
    try:
        fragment = lxml_html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return value
    for node in list(fragment.iter("script", "style")):
        node.drop_tree()
    return " ".join(fragment.text_content().split())


def _entry_time(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def discover_feed(feed_id: int) -> DiscoverResult:
    """Poll one feed; idempotent: a URL already known is never recorded twice."""
    feed = Feed.objects.select_related("source").get(pk=feed_id)
    now = timezone.now()
    try:
        result = fetch(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT
        )
        if result.not_modified:
            Feed.objects.filter(pk=feed.pk).update(
                last_status=304, last_error="", last_checked_at=now
            )
            record_success(feed.source_id)
            return DiscoverResult(feed.pk, 0, 0, not_modified=True)
        entries = parse_feed(result.content, result.final_url)
    except (FetchError, InvalidFeed) as exc:
        reason = exc.reason if isinstance(exc, FetchError) else str(exc)
        status = exc.status if isinstance(exc, FetchError) else None
        Feed.objects.filter(pk=feed.pk).update(
            last_status=status, last_error=reason, last_checked_at=now
        )
        record_failure(feed.source_id, f"feed {feed.url}: {reason}")
        log.warning("source %s: feed %s: %s", feed.source.name, feed.url, reason)
        return DiscoverResult(feed.pk, 0, 0, error=reason)

    links = [
        Link(
            url=entry.url,
            source_id=feed.source_id,
            feed_id=feed.pk,
            feed_title=entry.title,
            feed_published_at=entry.published_at,
            feed_categories=list(entry.categories),
        )
        for entry in entries
    ]
    known = set(
        Link.objects.filter(url__in=[link.url for link in links]).values_list("url", flat=True)
    )
    # ignore_conflicts makes a concurrent or repeated discovery harmless.
    Link.objects.bulk_create(
        [link for link in links if link.url not in known], ignore_conflicts=True
    )
    Feed.objects.filter(pk=feed.pk).update(
        etag=result.headers.get("etag", ""),
        last_modified=result.headers.get("last-modified", ""),
        last_status=result.status,
        last_error="",
        last_checked_at=now,
        entries_seen=len(entries),
    )
    record_success(feed.source_id)
    return DiscoverResult(feed.pk, len(links) - len(known), len(entries))
