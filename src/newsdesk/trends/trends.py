"""Trends: the most read articles, with older views counting less (exponential decay)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsdesk.publishing.models import Article
from newsdesk.trends.models import ArticleViews

LOOKBACK = timedelta(days=3)


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def record_view(article_id: int, at: datetime | None = None) -> None:
    """Count one read; safe under concurrent requests (an UPDATE, then an INSERT if needed)."""
    hour = hour_of(at or timezone.now())
    if ArticleViews.objects.filter(article_id=article_id, hour=hour).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ArticleViews.objects.create(article_id=article_id, hour=hour, count=1)
    except IntegrityError:
        ArticleViews.objects.filter(article_id=article_id, hour=hour).update(count=F("count") + 1)


def trend_scores(now: datetime | None = None) -> dict[int, float]:
    now = now or timezone.now()
    half_life = settings.NEWSDESK_TRENDS_HALF_LIFE_HOURS
    scores: dict[int, float] = defaultdict(float)
    rows = ArticleViews.objects.filter(hour__gte=now - LOOKBACK).values_list(
        "article_id", "hour", "count"
    )
    for article_id, hour, count in rows:
        age_hours = max(0.0, (now - hour).total_seconds() / 3600)
        scores[article_id] += count * 0.5 ** (age_hours / half_life)
    return dict(scores)


def trending(limit: int = 6, now: datetime | None = None) -> list[Article]:
    """Most read first; with too few reads, the newest articles fill the list."""
    scores = trend_scores(now)
    ranked = sorted(scores, key=lambda article_id: (-scores[article_id], -article_id))[:limit]
    by_id = Article.objects.in_bulk(ranked)
    articles = [by_id[i] for i in ranked if i in by_id]
    if len(articles) < limit:
        # Unread yet: the stories most outlets cover are the likeliest to trend.
        fill = Article.objects.exclude(pk__in=ranked).order_by(
            "-story__report_count", "-updated_at", "-id"
        )
        articles.extend(fill[: limit - len(articles)])
    return articles
