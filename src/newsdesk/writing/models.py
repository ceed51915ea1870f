"""What the writer keeps between runs: translations of reports by the model backend."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from newsdesk.reports.models import Report


class ReportTranslation(models.Model):
    """A report's sentences in another language, as the model backend translated them.

    Kept per sentence, with the sentence's span in the original text, so a published sentence
    that rests on a translated passage still points at the original words it came from.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="translations")
    source_language = models.CharField(max_length=12)
    language = models.CharField(max_length=12)  # the language translated into
    model = models.CharField(max_length=100)
    # {"title": str, "rejected": int, "sentences": [{"start", "end", "text"}]}: spans in the
    # original text, in its order; "rejected" counts translations that changed a number.
    sentences = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "language", "model"], name="unique_report_translation"
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.report_id} {self.source_language}->{self.language} ({self.model})"
