"""Stage 2, fetch: download discovered pages and keep them for extraction.

Two ways in, one way to record: `fetch_link` downloads one link (a worker task's unit), and
`fetch_pending` downloads many concurrently; either way `record_fetch` writes the outcome, with a
conditional UPDATE that only a still-pending link accepts, so a repeated or concurrent fetch of
the same link changes nothing.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from newsdesk.reports.models import Link
from newsdesk.sources.backoff import backoff_delay
from newsdesk.sources.http import (
    FetchDeferred,
    FetchError,
    FetchRequest,
    FetchResult,
    Outcome,
    fetch,
    fetch_keyed,
)

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Link retries: a minute after the first failure, doubling, at most an hour apart.
RETRY_BASE_SECONDS = 60.0
RETRY_CAP_SECONDS = 3600.0
# A server asking for longer than this (Retry-After) is retried after this long anyway.
RETRY_AFTER_CAP_SECONDS = 24 * 3600.0
# The body lives only until extraction reads it, usually seconds later: compress fast.
BODY_GZIP_LEVEL = 1
# Pending links are read from the database this many at a time, as the fetcher asks for more.
CHUNK = 200


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """Backoff with jitter after the `attempts`-th failure; a server's Retry-After is honoured."""
    seconds = backoff_delay(attempts, RETRY_BASE_SECONDS, RETRY_CAP_SECONDS)
    if retry_after is not None:
        seconds = max(seconds, min(retry_after, RETRY_AFTER_CAP_SECONDS))
    return timedelta(seconds=seconds)


def fetch_link(link_id: int) -> Link.State:
    """Fetch one pending link. Idempotent: a link that is no longer pending is left alone."""
    link = _pending(link_id)
    if link is None:
        return _state(link_id)
    try:
        outcome: Outcome = fetch(link.url)
    except FetchError as exc:
        outcome = exc
    return record_fetch(link.pk, outcome)


def fetch_pending(
    link_ids: Iterable[int], *, concurrency: int | None = None
) -> Iterator[tuple[int, Outcome]]:
    """Download links concurrently; yields (link id, outcome) as each completes, unrecorded.

    The caller records each outcome with `record_fetch` (and may extract the page at once).
    Links are read in chunks only as the fetcher needs more, and all database access stays in
    the caller's thread. Closing the iterator early stops the downloads still under way.
    """
    return fetch_keyed(_requests(iter(link_ids)), concurrency=concurrency)


def record_fetch(link_id: int, outcome: Outcome) -> Link.State:
    """Store the outcome of fetching a link: the page (FETCHED), a retry later, or FAILED.

    Only a still-pending link takes it, so recording the same fetch twice changes nothing.
    """
    if isinstance(outcome, FetchResult):
        content_type = outcome.content_type.split(";")[0].strip().lower()
        if content_type and content_type not in HTML_TYPES:
            outcome = FetchError(f"not an HTML page ({content_type})", transient=False)
    if isinstance(outcome, FetchResult):
        # One statement, and the claim itself: a second worker's copy of this step changes
        # nothing.
        claimed = Link.objects.filter(pk=link_id, state=Link.State.PENDING).update(
            state=Link.State.FETCHED,
            attempts=F("attempts") + 1,
            error="",
            http_status=outcome.status,
            final_url=outcome.final_url[:2000],
            content_type=outcome.content_type[:200],
            body=gzip.compress(outcome.content, compresslevel=BODY_GZIP_LEVEL),
            fetched_at=timezone.now(),
        )
        return Link.State.FETCHED if claimed else _state(link_id)
    link = _pending(link_id)
    if link is None:
        return _state(link_id)
    if isinstance(outcome, FetchDeferred):
        # Never sent (the host asked us to wait): not an attempt, just a later turn.
        Link.objects.filter(pk=link.pk, state=Link.State.PENDING).update(
            error=outcome.reason,
            next_attempt_at=timezone.now() + timedelta(seconds=outcome.retry_after or 0),
        )
        return Link.State.PENDING
    attempts = link.attempts + 1
    give_up = not outcome.transient or attempts >= settings.NEWSDESK_FETCH_MAX_ATTEMPTS
    state = Link.State.FAILED if give_up else Link.State.PENDING
    retry_at = None if give_up else timezone.now() + retry_delay(attempts, outcome.retry_after)
    Link.objects.filter(pk=link.pk, state=Link.State.PENDING).update(
        state=state,
        attempts=attempts,
        error=outcome.reason,
        http_status=outcome.status,
        next_attempt_at=retry_at,
    )
    log.warning("source %s: page %s: %s", link.source.name, link.url, outcome.reason)
    return state


def _pending(link_id: int) -> Link | None:
    link = (
        Link.objects.select_related("source")
        .only("id", "url", "state", "attempts", "source__name")
        .get(pk=link_id)
    )
    return link if link.state == Link.State.PENDING else None


def _state(link_id: int) -> Link.State:
    return Link.State(Link.objects.values_list("state", flat=True).get(pk=link_id))


def _requests(link_ids: Iterator[int]) -> Iterator[FetchRequest]:
    while chunk := list(islice(link_ids, CHUNK)):
        urls = dict(
            Link.objects.filter(pk__in=chunk, state=Link.State.PENDING).values_list("id", "url")
        )
        for link_id in chunk:
            if link_id in urls:
                yield FetchRequest(urls[link_id], key=link_id)
