"""Stage 2, fetch: download a discovered page and keep it for extraction."""

from __future__ import annotations

import gzip
import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from newsdesk.reports.models import Link
from newsdesk.sources.http import FetchError, fetch

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4... minutes, capped at an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def fetch_link(link_id: int) -> Link.State:
    """Fetch one pending link. Idempotent: a link that is no longer pending is left alone."""
    link = Link.objects.select_related("source").get(pk=link_id)
    if link.state != Link.State.PENDING:
        return Link.State(link.state)
    attempts = link.attempts + 1
    try:
        result = fetch(link.url)
        content_type = result.content_type.split(";")[0].strip().lower()
        if content_type and content_type not in HTML_TYPES:
            raise FetchError(f"not an HTML page ({content_type})", transient=False)
    except FetchError as exc:
        give_up = not exc.transient or attempts >= settings.NEWSDESK_FETCH_MAX_ATTEMPTS
        state = Link.State.FAILED if give_up else Link.State.PENDING
        Link.objects.filter(pk=link.pk, state=Link.State.PENDING).update(
            state=state,
            attempts=attempts,
            error=exc.reason,
            http_status=exc.status,
            next_attempt_at=None if give_up else timezone.now() + retry_delay(attempts),
        )
        log.warning("source %s: page %s: %s", link.source.name, link.url, exc.reason)
        return state
    # The conditional UPDATE is the claim: a second worker's copy of this step changes nothing.
    Link.objects.filter(pk=link.pk, state=Link.State.PENDING).update(
        state=Link.State.FETCHED,
        attempts=attempts,
        error="",
        http_status=result.status,
        final_url=result.final_url[:2000],
        content_type=result.content_type[:200],
        body=gzip.compress(result.content, compresslevel=5),
        fetched_at=timezone.now(),
    )
    return Link.State.FETCHED
