"""A story: the reports about one real-world event."""

from __future__ import annotations

from django.db import models


class Story(models.Model):
    first_seen_at = models.DateTimeField()
    last_updated_at = models.DateTimeField()
    # The event time: the earliest publication time among its reports.
    event_time = models.DateTimeField()
    language = models.CharField(max_length=12, default="en")
    # Weighted terms of the story so far, compared with each new report.
    terms = models.JSONField(default=dict)
    report_count = models.PositiveIntegerField(default=0)
    # Bumped whenever membership changes, so publishing knows the article is stale.
    revision = models.PositiveIntegerField(default=0)
    # The revision publishing last looked at without publishing (below the threshold, or no
    # sentence fit to publish), and why: it is not retried until the story changes.
    held_revision = models.PositiveIntegerField(null=True, blank=True)
    held_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_updated_at", "-id"]
        indexes = [models.Index(fields=["event_time"])]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"Story {self.pk} ({self.report_count} reports)"
