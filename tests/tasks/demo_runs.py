"""The demo corpus ingested one way or another, and what came out, comparable across runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.test import override_settings

from newsdesk.demo.corpus import Corpus
from newsdesk.demo.register import register_demo_sources
from newsdesk.demo.server import DemoServer
from newsdesk.publishing.models import Article, ArticleRef, ArticleRevision
from newsdesk.reports.models import Link, Report
from newsdesk.sources.models import Feed
from newsdesk.stories.models import Story

# One pass over the demo feeds (the ids of the feeds), however it is run.
Pass = Callable[[list[int], list[int]], object]


@dataclass(frozen=True)
class Outcome:
    reports: int
    links_done: int
    stories: frozenset[frozenset[str]]
    # Each article as the paths of its story's reports -> its headline.
    articles: frozenset[tuple[frozenset[str], str]]
    copies: frozenset[tuple[str, str]]
    updated: int


def _path(url: str) -> str:
    return urlsplit(url).path


def outcome() -> Outcome:
    members: dict[int, set[str]] = {}
    for story_id, url in Report.objects.filter(story__isnull=False).values_list("story_id", "url"):
        members.setdefault(story_id, set()).add(_path(url))
    articles = frozenset(
        (frozenset(members.get(story_id, set())), headline)
        for story_id, headline in Article.objects.values_list("story_id", "headline")
    )
    copies = frozenset(
        (_path(url), _path(original))
        for url, original in Report.objects.filter(duplicate_of__isnull=False).values_list(
            "url", "duplicate_of__url"
        )
    )
    return Outcome(
        reports=Report.objects.count(),
        links_done=Link.objects.filter(state=Link.State.DONE).count(),
        stories=frozenset(
            frozenset(paths)
            for story_id, paths in members.items()
            if Story.objects.filter(pk=story_id, merged_into__isnull=True).exists()
        ),
        articles=articles,
        copies=copies,
        updated=Article.objects.filter(revision_count__gt=1).count(),
    )


def assert_no_duplicates() -> None:
    """Every unit of work took effect once: one report per URL and per link, one article per
    live story and none for merged ones, one revision per story revision, refs once each."""
    assert Report.objects.values("url").distinct().count() == Report.objects.count()
    linked = Link.objects.filter(report__isnull=False)
    assert linked.values("report").distinct().count() == linked.count()
    assert Article.objects.values("story").distinct().count() == Article.objects.count()
    assert not Article.objects.filter(story__merged_into__isnull=False).exists()
    revisions = ArticleRevision.objects.values("story", "story_revision").distinct().count()
    assert revisions == ArticleRevision.objects.count()
    refs = ArticleRef.objects.values("article", "report").distinct().count()
    assert refs == ArticleRef.objects.count()
    assert not Report.objects.filter(clustered_at__isnull=True).exists()


def ingest_demo(corpus: Corpus, one_pass: Pass) -> Outcome:
    """Both waves of the demo through `one_pass(source ids, feed ids)`; what came out."""
    server = DemoServer(host="127.0.0.1", port=0, wave=1)
    base_url = server.start()
    loopback = override_settings(
        NEWSDESK_FETCH_ALLOWED_ADDRESSES=["127.0.0.1"], NEWSDESK_FETCH_HOST_DELAY=0.0
    )
    try:
        with loopback:
            source_ids = register_demo_sources(corpus, base_url)
            feed_ids = list(
                Feed.objects.filter(source_id__in=source_ids).values_list("id", flat=True)
            )
            one_pass(source_ids, feed_ids)
            if corpus.waves > 1:
                server.release(None)
                one_pass(source_ids, feed_ids)
    finally:
        server.stop()
    return outcome()
