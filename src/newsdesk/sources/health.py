"""Source health: what `sources list` shows and what tells a dead source from a live one.

A failed poll puts the source off for an exponential, jittered delay (`next_check_at`); after
NEWSDESK_SOURCE_PAUSE_AFTER failures in a row it is paused and only probed every
NEWSDESK_SOURCE_PROBE_HOURS. Any success clears all of it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from newsdesk.sources.backoff import backoff_delay
from newsdesk.sources.models import Source


def record_success(source_id: int) -> None:
    now = timezone.now()
    Source.objects.filter(pk=source_id).update(
        last_status="ok",
        last_error="",
        last_checked_at=now,
        last_success_at=now,
        consecutive_failures=0,
        next_check_at=None,
        paused_at=None,
    )


def record_failure(source_id: int, reason: str, *, retry_after: float | None = None) -> None:
    """Count a failed poll and put the source off; `retry_after` is what the host asked for."""
    now = timezone.now()
    with transaction.atomic():
        Source.objects.filter(pk=source_id).update(
            last_status="error",
            last_error=reason[:2000],
            last_checked_at=now,
            consecutive_failures=F("consecutive_failures") + 1,
        )
        source = Source.objects.filter(pk=source_id).only("consecutive_failures", "paused_at")
        current = source.first()
        if current is None:
            return
        paused_at = current.paused_at
        if (
            paused_at is None
            and current.consecutive_failures >= settings.NEWSDESK_SOURCE_PAUSE_AFTER
        ):
            paused_at = now
        Source.objects.filter(pk=source_id).update(
            paused_at=paused_at,
            next_check_at=now + _put_off(current.consecutive_failures, paused_at, retry_after),
        )


def _put_off(failures: int, paused_at: datetime | None, retry_after: float | None) -> timedelta:
    probe = settings.NEWSDESK_SOURCE_PROBE_HOURS * 3600
    if paused_at is not None:
        seconds = probe
    else:
        seconds = backoff_delay(failures, base=settings.NEWSDESK_POLL_INTERVAL, cap=probe)
    return timedelta(seconds=max(seconds, retry_after or 0.0))


def pause(source_id: int) -> None:
    """Pause by hand: the source is then probed like one that paused itself."""
    now = timezone.now()
    probe = timedelta(hours=settings.NEWSDESK_SOURCE_PROBE_HOURS)
    Source.objects.filter(pk=source_id).update(paused_at=now, next_check_at=now + probe)


def resume(source_id: int) -> None:
    Source.objects.filter(pk=source_id).update(
        paused_at=None, next_check_at=None, consecutive_failures=0
    )


def due_sources(now: datetime | None = None) -> QuerySet[Source]:
    """Active sources whose backoff (or pause, until its next probe) is over."""
    now = now or timezone.now()
    return Source.objects.filter(
        Q(next_check_at__isnull=True) | Q(next_check_at__lte=now), active=True
    )


def state(source: Source, now: datetime | None = None) -> str:
    """One line for people: ok / backing off until T / paused... / disabled / never polled."""
    now = now or timezone.now()
    if not source.active:
        return "disabled"
    if source.paused_at is not None:
        probe = f"; next probe {_when(source.next_check_at)}" if source.next_check_at else ""
        return f"paused since {_when(source.paused_at)}{probe}"
    if source.next_check_at is not None and source.next_check_at > now:
        return f"backing off until {_when(source.next_check_at)}"
    if source.last_checked_at is None:
        return "never polled"
    return source.last_status or "ok"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
