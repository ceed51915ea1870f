"""What a source is: an outlet we watch, and the feeds through which we discover its reports."""

from __future__ import annotations

from django.db import models

from newsdesk.tagging.sections import SECTIONS

SECTION_CHOICES = [(name, name) for name in SECTIONS]


class Source(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(max_length=2000, blank=True)
    language = models.CharField(max_length=12, default="en")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    default_section = models.CharField(max_length=32, choices=SECTION_CHOICES, default="World")
    active = models.BooleanField(default=True)
    # Fetch health, updated by every discovery pass.
    last_status = models.CharField(max_length=16, blank=True)
    last_error = models.TextField(blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # Backoff: after a failure the source is not polled again before this time (with jitter).
    next_check_at = models.DateTimeField(null=True, blank=True)
    # Set when the source failed too many times in a row; a paused source is only probed
    # now and then, and one success (or `sources resume`) clears it.
    paused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Feed(models.Model):
    class Kind(models.TextChoices):
        UNKNOWN = "", "not read yet"
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"
        JSON = "json", "JSON Feed"
        SITEMAP = "sitemap", "sitemap"
        SITEMAP_INDEX = "sitemapindex", "sitemap index"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    # What the document turned out to be the last time it was read (detected, not declared).
    kind = models.CharField(max_length=16, choices=Kind.choices, blank=True, default="")
    # Conditional GET state: sent back on the next poll so unchanged feeds cost a 304.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    entries_seen = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url
