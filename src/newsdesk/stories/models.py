"""A story: the reports about one real-world event."""

from __future__ import annotations

from django.db import models


class Story(models.Model):
    first_seen_at = models.DateTimeField()
    last_updated_at = models.DateTimeField()
    # The event time: the earliest publication time among its reports.
    event_time = models.DateTimeField()
    # The latest publication time among its reports: with event_time, the story's span.
    latest_time = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=12, default="en")
    # Sums of the unit vectors of its own-words members (see stories.vectors): their dot
    # product with a report, divided by vector_count, is the report's average similarity.
    words = models.JSONField(default=dict)
    entities = models.JSONField(default=dict)
    # Sum of the members' dense embeddings, when the embeddings backend is on.
    dense = models.JSONField(default=list)
    vector_count = models.PositiveIntegerField(default=0)
    # Members among vector_count too short to be compared by average link (headlines): a
    # story made only of them is compared by its centroid (see stories.scoring).
    short_count = models.PositiveIntegerField(default=0)
    report_count = models.PositiveIntegerField(default=0)
    # Set when another story turned out to tell the same event: this one is kept as a
    # tombstone so that its URL and any queued task still lead somewhere.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="absorbed"
    )
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


class StoryKey(models.Model):
    """Candidate index: the most telling features of a story's members, by story and time.

    A new report looks up its own keys here, so finding candidates costs the number of
    stories sharing a key in the time window, never a scan of every story.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=64)
    language = models.CharField(max_length=12)
    event_time = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "key"], name="storykey_story_key_unique")
        ]
        indexes = [models.Index(fields=["language", "key", "event_time"])]


class TermFrequency(models.Model):
    """How many live stories of a language hold a feature (see stories.termstats).

    The row of the empty term counts the reports (``count``) and the live stories; on the
    other rows ``count`` is no longer kept up to date (it counted reports once).
    """

    language = models.CharField(max_length=12)
    term = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)
    stories = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="termfrequency_unique")
        ]
