"""The demo's update wave: reports published after a first pass rewrite the articles they join."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from newsdesk.publishing.models import Article, ArticleRevision, ArticleSentence

pytestmark = pytest.mark.django_db(transaction=True)


def test_updated_demo_articles_show_their_revisions(client: Client) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", "--source-port", "0", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["b3_f1"] == 1.0 and result["updated"] >= 2
    updated = list(Article.objects.filter(revision_count__gt=1))
    assert len(updated) == result["updated"]
    for article in updated:
        revisions = ArticleRevision.objects.filter(story=article.story, number__isnull=False)
        assert [r.number for r in revisions.order_by("number")] == [1, 2]
        first = revisions.get(number=1)
        assert article.slug.endswith(str(article.story_id))  # chosen at first, kept
        assert len(article.live_revision.report_ids) > len(first.report_ids)  # type: ignore[union-attr]
        page = client.get(article.get_absolute_url()).content.decode()
        assert "Updated" in page and 'id="revision-2"' in page and "rewritten from" in page
        # Provenance: every sentence is a verbatim span of a report in the refs.
        refs = set(article.refs.values_list("report_id", flat=True))
        for sentence in ArticleSentence.objects.filter(section__article=article):
            source = sentence.sources.select_related("report").get(rank=0)
            assert source.report.text[source.start : source.end] == sentence.text
            assert source.report_id in refs
        assert page.count('class="fn"') >= 5
    news_not_what_it_overtook()


def article_text(article: Article) -> str:
    sentences = ArticleSentence.objects.filter(section__article=article).order_by("id")
    return " ".join([article.headline, article.summary, *(s.text for s in sentences)])


def news_not_what_it_overtook() -> None:
    """The updated articles state the news, not the figures and announcements it overtook."""
    typhoon = Article.objects.get(revision_count__gt=1, headline__contains="Kalin")
    text = article_text(typhoon)
    assert "23" in typhoon.headline
    # Earlier tolls ("rose to nine", "to 14", "at least three") are not stated beside 23.
    for overtaken in ("rose to nine", "toll to 14", "At least 14 people", "at least three people"):
        assert overtaken not in text, overtaken
    convoy = Article.objects.get(revision_count__gt=1, headline__contains="convoy")
    text = article_text(convoy)
    assert "reached El Fasher" in convoy.summary
    # The truce began on 20 November: the update no longer says it is to begin.
    for overtaken in ("is set to begin", "is scheduled to start", "is due to take effect"):
        assert overtaken not in text, overtaken
    for article in (typhoon, convoy):
        headings = list(article.sections.values_list("heading", flat=True))
        assert all(not any(c.isdigit() for c in h) for h in headings), headings
        assert article.headline not in headings
