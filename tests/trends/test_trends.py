from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.trends.models import ArticleViews
from newsdesk.trends.trends import record_view, trending
from tests.site.factories import make_article

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_views_are_counted_per_hour() -> None:
    article = make_article()
    for minute in (1, 20, 59):
        record_view(article.pk, at=NOW.replace(minute=minute))
    record_view(article.pk, at=NOW + timedelta(hours=1))
    assert list(ArticleViews.objects.order_by("hour").values_list("count", flat=True)) == [3, 1]


def test_recent_reads_outweigh_older_ones() -> None:
    old_hit, fresh = make_article(headline="Old hit"), make_article(headline="Fresh")
    for _ in range(10):
        record_view(old_hit.pk, at=NOW - timedelta(hours=30))
    for _ in range(4):
        record_view(fresh.pk, at=NOW - timedelta(hours=1))
    assert [a.headline for a in trending(limit=2, now=NOW)] == ["Fresh", "Old hit"]


def test_unread_articles_fill_the_list() -> None:
    read = make_article(headline="Read")
    make_article(headline="Unread")
    record_view(read.pk, at=NOW)
    assert [a.headline for a in trending(limit=5, now=NOW)] == ["Read", "Unread"]
