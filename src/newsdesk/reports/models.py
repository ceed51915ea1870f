"""What a report is: one source article, and the link through which we found it."""

from __future__ import annotations

from datetime import datetime

from django.db import models

from newsdesk.sources.models import Feed, Source


class Link(models.Model):
    """A URL discovered in a feed: the unit of work for fetch and extract."""

    class State(models.TextChoices):
        PENDING = "pending", "waiting to be fetched"
        FETCHED = "fetched", "fetched, waiting to be extracted"
        DONE = "done", "extracted into a report"
        FAILED = "failed", "given up, see error"

    url = models.URLField(max_length=2000, unique=True)
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="links")
    feed = models.ForeignKey(Feed, on_delete=models.SET_NULL, null=True, blank=True)
    # What the feed said about the entry: hints for extraction and tagging.
    feed_title = models.TextField(blank=True)
    feed_published_at = models.DateTimeField(null=True, blank=True)
    feed_categories = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    # The fetched page, gzip-compressed, kept until extraction has used it.
    body = models.BinaryField(null=True, blank=True)
    discovered_at = models.DateTimeField(auto_now_add=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    report = models.ForeignKey(
        "Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="links"
    )

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.url


class Report(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "news"
        OPINION = "opinion", "opinion"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="reports")
    url = models.URLField("canonical URL", max_length=2000, unique=True)
    title = models.TextField()
    text = models.TextField()
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    modified_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField()
    language = models.CharField(max_length=12, blank=True)
    section_hint = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NEWS)
    # A teaser or paywalled page: what we hold is not the whole article.
    partial = models.BooleanField(default=False)
    content_hash = models.CharField(max_length=64, db_index=True)
    # A syndicated copy of another report: same story, never a sentence source of its own.
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    story = models.ForeignKey(
        "stories.Story", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    clustered_at = models.DateTimeField(null=True, blank=True)
    # Unit feature vectors ({"w": words, "e": entities}) computed once, used by clustering.
    vector = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["published_at", "id"]
        indexes = [models.Index(fields=["clustered_at"]), models.Index(fields=["published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def when(self) -> datetime:
        """The report's publication time, or when we fetched it if the page gave none."""
        return self.published_at or self.fetched_at


class ReportImage(models.Model):
    """An image of a report: recorded by extraction, downloaded by the images stage."""

    class State(models.TextChoices):
        PENDING = "pending", "waiting to be downloaded"
        DONE = "done", "downloaded"
        FAILED = "failed", "given up, see error"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=2000)
    # Path under MEDIA_ROOT of our copy; set exactly when the state is done.
    file = models.CharField(max_length=300, blank=True)
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=300, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["report_id", "position"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="unique_report_image"),
        ]

    def __str__(self) -> str:
        return self.url


class NearDuplicateKey(models.Model):
    """One LSH band of a report's MinHash signature: reports sharing a key are copy candidates."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="near_keys")
    # The band number and the band's hash folded into one signed 64-bit value.
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"])]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="unique_report_near_key"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.key}"
