"""Settings every page shows: the site's name and the desk's byline."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_settings(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.NEWSDESK_SITE_NAME,
        "site_byline": settings.NEWSDESK_BYLINE,
        "site_language": settings.NEWSDESK_SITE_LANGUAGE,
    }
