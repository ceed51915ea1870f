"""Stage 1, discover: read a feed or sitemap and record the report URLs it lists.

Any document kind is read (RSS 2.0, RSS 1.0, Atom, JSON Feed, sitemap, sitemap index, news
sitemap), told apart by its content. Sitemaps list a site's whole archive, so only their recent
URLs are recorded, and an index is followed newest child first, a bounded number per pass.

Two ways in, one way to record, as for pages (reports/fetch.py): `discover_feed` polls one feed
(a worker task's unit), `poll_feeds` downloads many feed documents concurrently, and either way
`record_poll` reads the document and writes the outcome (links, the feed's state, the source's
health). An index's child sitemaps are fetched inside `record_poll`, one after another: their
number and order depend on what the children before them held.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from django.conf import settings
from django.utils import timezone

from newsdesk.reports.models import Link
from newsdesk.sources.documents import read_document
from newsdesk.sources.entries import FeedEntry, InvalidFeed, ParsedFeed, SitemapRef, clean_url
from newsdesk.sources.health import record_failure, record_success
from newsdesk.sources.http import (
    FetchDeferred,
    FetchError,
    FetchRequest,
    Outcome,
    fetch,
    fetch_keyed,
)
from newsdesk.sources.models import Feed

__all__ = [
    "FEED_ACCEPT",
    "DiscoverResult",
    "FeedEntry",
    "InvalidFeed",
    "ParsedFeed",
    "discover_feed",
    "discover_feeds",
    "parse_feed",
    "poll_feeds",
    "read_feed",
    "record_poll",
]

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
# Indexes of indexes exist (an index per year, then per day); deeper nesting is not followed.
MAX_INDEX_DEPTH = 3
KNOWN_URLS_BATCH = 500
# Feeds to poll are read from the database this many at a time, as the fetcher asks for more.
CHUNK = 200


@dataclass(frozen=True)
class DiscoverResult:
    feed_id: int
    new_links: int
    entries: int
    not_modified: bool = False
    error: str = ""
    # Not fetched this pass because the host asked us to wait: no failure of the source.
    deferred: bool = False


def read_feed(content: bytes, base_url: str) -> ParsedFeed:
    """The document's description and entries; raises InvalidFeed when it is no feed/sitemap."""
    return read_document(content, base_url)


def parse_feed(content: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of a feed document; raises InvalidFeed when it is not a readable feed."""
    return read_document(content, base_url).entries


def discover_feed(feed_id: int) -> DiscoverResult:
    """Poll one feed; idempotent: a URL already known is never recorded twice."""
    feed = Feed.objects.only("url", "etag", "last_modified").get(pk=feed_id)
    try:
        outcome: Outcome = fetch(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT
        )
    except FetchError as exc:
        outcome = exc
    return record_poll(feed_id, outcome)


def discover_feeds(
    feed_ids: Iterable[int], *, concurrency: int | None = None
) -> Iterator[tuple[int, DiscoverResult]]:
    """Poll many feeds concurrently, recording each as it arrives; yields (feed id, result).

    A feed whose recording fails unexpectedly ends the iteration; callers that must go on
    (the pipeline) pair `poll_feeds` with `record_poll` themselves.
    """
    polls = poll_feeds(feed_ids, concurrency=concurrency)
    try:
        for feed_id, outcome in polls:
            yield feed_id, record_poll(feed_id, outcome)
    finally:
        if isinstance(polls, Generator):
            polls.close()


def poll_feeds(
    feed_ids: Iterable[int], *, concurrency: int | None = None
) -> Iterator[tuple[int, Outcome]]:
    """Download feed documents concurrently (conditional GETs); yields (feed id, outcome) as
    each completes, unrecorded: the caller records each with `record_poll`.

    All database access stays in the caller's thread; a feed deleted meanwhile is skipped.
    Closing the iterator early stops the downloads still under way.
    """
    return fetch_keyed(_requests(iter(feed_ids)), concurrency=concurrency)


def record_poll(feed_id: int, outcome: Outcome) -> DiscoverResult:
    """Read a polled feed document and store what it says: new links, the feed's kind and
    validators, the source's health. A URL already known is never recorded twice."""
    feed = Feed.objects.select_related("source").get(pk=feed_id)
    now = timezone.now()
    if isinstance(outcome, FetchDeferred):
        log.info("source %s: feed %s deferred: %s", feed.source.name, feed.url, outcome.reason)
        return DiscoverResult(feed.pk, 0, 0, deferred=True)
    if isinstance(outcome, FetchError):
        return _failed(feed, now, outcome.reason, outcome)
    if outcome.not_modified:
        Feed.objects.filter(pk=feed.pk).update(last_status=304, last_error="", last_checked_at=now)
        record_success(feed.source_id)
        return DiscoverResult(feed.pk, 0, 0, not_modified=True)
    try:
        parsed = read_document(outcome.content, outcome.final_url, since=_cutoff(now))
        listed, entries = entries_to_record(parsed, {feed.url, outcome.final_url}, now)
    except InvalidFeed as exc:
        return _failed(feed, now, str(exc), None)

    new_links = _record(feed, entries)
    Feed.objects.filter(pk=feed.pk).update(
        kind=parsed.kind,
        etag=outcome.headers.get("etag", "")[:500],
        last_modified=outcome.headers.get("last-modified", "")[:100],
        last_status=outcome.status,
        last_error="",
        last_checked_at=now,
        entries_seen=listed,
    )
    record_success(feed.source_id)
    return DiscoverResult(feed.pk, new_links, listed)


def _failed(
    feed: Feed, now: datetime, reason: str, fetch_error: FetchError | None
) -> DiscoverResult:
    Feed.objects.filter(pk=feed.pk).update(
        last_status=fetch_error.status if fetch_error else None,
        last_error=reason,
        last_checked_at=now,
    )
    # A 429/503 Retry-After tells the source's backoff how long to wait.
    record_failure(
        feed.source_id,
        f"feed {feed.url}: {reason}",
        retry_after=fetch_error.retry_after if fetch_error else None,
    )
    log.warning("source %s: feed %s: %s", feed.source.name, feed.url, reason)
    return DiscoverResult(feed.pk, 0, 0, error=reason)


def _requests(feed_ids: Iterator[int]) -> Iterator[FetchRequest]:
    while chunk := list(islice(feed_ids, CHUNK)):
        feeds = Feed.objects.filter(pk__in=chunk).only("url", "etag", "last_modified")
        by_id = {feed.pk: feed for feed in feeds}
        for feed in (by_id[feed_id] for feed_id in chunk if feed_id in by_id):
            yield FetchRequest(
                feed.url,
                key=feed.pk,
                etag=feed.etag,
                last_modified=feed.last_modified,
                accept=FEED_ACCEPT,
            )


def entries_to_record(
    parsed: ParsedFeed, seen_urls: set[str], now: datetime
) -> tuple[int, list[FeedEntry]]:
    """How many entries the document(s) listed, and those worth recording this pass.

    Feeds are taken whole (they list recent items by nature); sitemaps only within the recent
    window. Everything is deduplicated by canonical URL and capped per pass.
    """
    cutoff = _cutoff(now)
    if parsed.kind == Feed.Kind.SITEMAP_INDEX:
        listed, entries = _follow_index(parsed.sitemaps, seen_urls, cutoff)
    elif parsed.kind == Feed.Kind.SITEMAP:
        listed, entries = len(parsed.entries) + parsed.skipped, recent(parsed.entries, cutoff)
    else:
        listed, entries = len(parsed.entries), parsed.entries
    unique: dict[str, FeedEntry] = {}
    for entry in entries:
        unique.setdefault(entry.url, entry)
    return listed, list(unique.values())[: settings.NEWSDESK_DISCOVER_MAX_URLS]


def _cutoff(now: datetime) -> datetime:
    return now - timedelta(hours=settings.NEWSDESK_DISCOVER_MAX_AGE_HOURS)


def recent(entries: list[FeedEntry], cutoff: datetime) -> list[FeedEntry]:
    """Sitemap entries dated within the window, newest first, then a capped few undated ones."""
    dated = sorted(
        (e for e in entries if e.published_at is not None and e.published_at >= cutoff),
        key=lambda e: e.published_at or cutoff,
        reverse=True,
    )
    undated = [e for e in entries if e.published_at is None]
    return dated + undated[: settings.NEWSDESK_DISCOVER_MAX_UNDATED]


def _follow_index(
    refs: tuple[SitemapRef, ...], seen_urls: set[str], cutoff: datetime
) -> tuple[int, list[FeedEntry]]:
    """Read an index's child sitemaps, newest first, within the per-pass budget.

    A child whose lastmod is older than the window holds nothing recent and is skipped; URLs
    already read (the index itself, a child listing its parent) are never read twice.
    """
    # Child URLs are canonical; so must the ones they are compared with be.
    seen = {clean_url(url, url) or url for url in seen_urls}
    queue = [(ref, 1) for ref in newest_first(refs, cutoff)]
    budget = settings.NEWSDESK_DISCOVER_MAX_SITEMAPS
    entries: list[FeedEntry] = []
    failures: list[str] = []
    listed = read = 0
    while queue and budget > 0 and len(entries) < settings.NEWSDESK_DISCOVER_MAX_URLS:
        ref, depth = queue.pop(0)
        if ref.url in seen:
            continue
        seen.add(ref.url)
        budget -= 1
        try:
            result = fetch(ref.url, accept=FEED_ACCEPT)
            child = read_document(result.content, result.final_url, since=cutoff)
        except FetchDeferred:
            break  # the host asks for a pause: the other children wait for the next pass
        except (FetchError, InvalidFeed) as exc:
            failures.append(f"{ref.url}: {exc.reason if isinstance(exc, FetchError) else exc}")
            continue
        read += 1
        seen.add(clean_url(result.final_url, result.final_url) or result.final_url)
        if child.kind == Feed.Kind.SITEMAP_INDEX:
            if depth < MAX_INDEX_DEPTH:
                queue[:0] = [(r, depth + 1) for r in newest_first(child.sitemaps, cutoff)]
            continue
        listed += len(child.entries) + child.skipped
        entries.extend(recent(child.entries, cutoff))
    if failures and not read:
        raise InvalidFeed(f"sitemap index: no child sitemap could be read ({failures[0]})")
    for failure in failures:
        log.warning("sitemap index: child sitemap %s", failure)
    return listed, entries


def newest_first(refs: tuple[SitemapRef, ...], cutoff: datetime) -> list[SitemapRef]:
    """Children by lastmod, newest first, those older than the window left out; undated last."""
    dated = sorted(
        (r for r in refs if r.lastmod is not None and r.lastmod >= cutoff),
        key=lambda r: r.lastmod or cutoff,
        reverse=True,
    )
    return dated + [r for r in refs if r.lastmod is None]


def _record(feed: Feed, entries: list[FeedEntry]) -> int:
    """Store the entries not known yet as pending Links; returns how many were new."""
    urls = [entry.url for entry in entries]
    known: set[str] = set()
    for start in range(0, len(urls), KNOWN_URLS_BATCH):
        batch = urls[start : start + KNOWN_URLS_BATCH]
        known.update(Link.objects.filter(url__in=batch).values_list("url", flat=True))
    fresh = [
        Link(
            url=entry.url,
            source_id=feed.source_id,
            feed_id=feed.pk,
            feed_title=entry.title,
            feed_published_at=entry.published_at,
            feed_categories=list(entry.categories),
        )
        for entry in entries
        if entry.url not in known
    ]
    # ignore_conflicts makes a concurrent or repeated discovery harmless.
    Link.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=KNOWN_URLS_BATCH)
    return len(fresh)
