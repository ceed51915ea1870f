"""Source health: what `sources list` shows and what tells a dead source from a live one."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from newsdesk.sources.models import Source


def record_success(source_id: int) -> None:
    now = timezone.now()
    Source.objects.filter(pk=source_id).update(
        last_status="ok",
        last_error="",
        last_checked_at=now,
        last_success_at=now,
        consecutive_failures=0,
    )


def record_failure(source_id: int, reason: str) -> None:
    Source.objects.filter(pk=source_id).update(
        last_status="error",
        last_error=reason[:2000],
        last_checked_at=timezone.now(),
        consecutive_failures=F("consecutive_failures") + 1,
    )
