"""Dates as pages write them, read into timezone-aware datetimes; implausible ones refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from django.utils import timezone

# Nothing we ingest was published before the web carried news, and a page dated in the
# future is a template placeholder or a broken clock; a little slack covers clock skew.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)

_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")
_ZONE_NAMES = re.compile(r"\s*(?:Z|UTC|GMT)$", re.IGNORECASE)
_FRACTION = re.compile(r"(\.\d{1,6})\d*")
_EPOCH = re.compile(r"\d{10}(?:\d{3})?")
_WORDY_FORMATS = (
    "%B %d, %Y %I:%M %p",
    "%B %d, %Y %H:%M",
    "%B %d, %Y",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y",
    "%d %B %Y %H:%M",
    "%d %B %Y",
    "%d %b %Y %H:%M",
    "%d %b %Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y%m%d",
)


def parse_datetime(value: object) -> datetime | None:
    """A timezone-aware datetime from a page's date text, or None for garbage.

    Dates without a zone are taken as UTC: a page that does not say cannot be placed better.
    """
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text or len(text) > 64:
        return None
    parsed = _parse(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed if plausible(parsed) else None


def plausible(moment: datetime) -> bool:
    return EARLIEST <= moment <= timezone.now() + FUTURE_SLACK


def _parse(text: str) -> datetime | None:
    if _EPOCH.fullmatch(text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=UTC)
    iso = _iso(text)
    if iso is not None:
        return iso
    bare = _ZONE_NAMES.sub("", text)
    for pattern in _WORDY_FORMATS:
        try:
            return datetime.strptime(bare, pattern)
        except ValueError:
            continue
    try:
        # RFC 2822, as feeds and some meta tags write it: "Tue, 17 Nov 2026 08:00:00 GMT".
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _iso(text: str) -> datetime | None:
    candidate = _ZONE_NAMES.sub("+00:00", text) if text[:1].isdigit() else text
    candidate = _OFFSET.sub(r"\1\2:\3", candidate)
    candidate = _FRACTION.sub(r"\1", candidate, count=1)
    # "2026-11-17 08:00:00 +03:00": the space before the offset is common and not ISO.
    candidate = re.sub(r"\s+([+-]\d{2}:\d{2})$", r"\1", candidate)
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None
