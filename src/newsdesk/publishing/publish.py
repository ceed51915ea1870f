"""Stage 7, publish: write a story's article and make it live; rewrite it when the story changes.

Two steps, each idempotent and taking an ID, so that queue workers can run them apart:
``write_story(story_id)`` (the expensive one: writer and faithfulness gate, stored as an
ArticleRevision) and ``publish_revision(revision_id)`` (the cheap one: that revision becomes the
live Article). ``publish_story`` runs both, as the embedded runner does.
"""

from __future__ import annotations

from newsdesk.publishing.images import refresh_images
from newsdesk.publishing.live import publish_revision
from newsdesk.publishing.models import Article
from newsdesk.publishing.redirects import retire_article
from newsdesk.publishing.write import independent_outlets, is_publishable, write_story
from newsdesk.stories.models import Story

__all__ = [
    "independent_outlets",
    "is_publishable",
    "publish_revision",
    "publish_story",
    "refresh_images",
    "write_story",
]


def publish_story(story_id: int) -> Article | None:
    """Publish or refresh the story's article; the article now live, or None.

    An unchanged story is left alone (its article is returned). A story merged into another is
    never written: its article, if any, is retired to a redirect to the survivor's.
    """
    story = Story.objects.get(pk=story_id)
    if story.merged_into_id is not None:
        retire_article(story)
        return None
    revision_id = write_story(story_id)
    if revision_id is not None:
        publish_revision(revision_id)
    article = Article.objects.filter(story_id=story_id).first()
    if article is None or (article.story_revision < story.revision and revision_id is None):
        return None
    return article
