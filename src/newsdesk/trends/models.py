"""Page views, counted per article and hour: enough for a decaying "most read" score."""

from __future__ import annotations

from django.db import models

from newsdesk.publishing.models import Article


class ArticleViews(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="views")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="unique_article_hour"),
        ]
        indexes = [models.Index(fields=["hour"])]
        verbose_name_plural = "article views"
