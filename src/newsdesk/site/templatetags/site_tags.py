"""Filters and tags the public pages share: times, media and section URLs, the section nav."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from django import template
from django.conf import settings
from django.urls import reverse

from newsdesk.publishing.models import RTL_LANGUAGES
from newsdesk.site.queries import section_names, section_slug

register = template.Library()


@register.filter
def isoz(value: datetime | None) -> str:
    """An ISO 8601 UTC timestamp to the second: 2026-11-18T07:47:20Z."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


@register.filter
def media_url(path: str) -> str:
    """The public URL of a file stored under MEDIA_ROOT."""
    return f"{settings.MEDIA_URL}{quote(path.replace('\\', '/').lstrip('/'))}"


@register.filter
def section_url(name: str) -> str:
    return reverse("site:section", kwargs={"slug": section_slug(name)})


@register.filter
def text_direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


@register.inclusion_tag("site/_nav.html")
def section_nav(current: str = "") -> dict[str, object]:
    links = [(name, section_url(name)) for name in section_names()]
    return {"links": links, "current": current}
