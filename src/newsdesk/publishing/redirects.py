"""Old article addresses after a merge: the absorbed story's URL leads to the surviving article.

A merged story is kept as a tombstone (``Story.merged_into``). Its article is retired: the slug
is recorded as an ArticleRedirect and the article itself removed, so the event is told once.
Redirects are resolved along ``merged_into`` when read, so a chain A -> B -> C sends A's
readers straight to C whatever order the merges and retirements happened in.
"""

from __future__ import annotations

import logging

from django.db import transaction

from newsdesk.publishing.models import Article, ArticleRedirect
from newsdesk.stories.models import Story

log = logging.getLogger(__name__)

# Far longer than any real chain of merges; only a corrupted loop would reach it.
MAX_CHAIN = 100


def live_story(story_id: int) -> Story | None:
    """The story the reports of ``story_id`` now belong to, following merges.

    None when the story does not exist or its merges run in a loop (then no story of the
    loop is live, and none may be chosen arbitrarily as the target).
    """
    seen: set[int] = set()
    current: int | None = story_id
    while current is not None and current not in seen and len(seen) < MAX_CHAIN:
        story = Story.objects.filter(pk=current).first()
        if story is None:
            return None
        if story.merged_into_id is None:
            return story
        seen.add(current)
        current = story.merged_into_id
    log.warning("story %s: merges loop or run too long, no live story", story_id)
    return None


def retire_article(story: Story) -> None:
    """Turn a tombstone's article into a redirect to the live story. Idempotent."""
    with transaction.atomic():
        # The lock publish_story takes: no rewrite of this story's article runs meanwhile.
        Story.objects.select_for_update().filter(pk=story.pk).first()
        live = live_story(story.pk)
        if live is None or live.pk == story.pk:
            # Not a tombstone (any more), or its merges loop: keep the article rather than
            # send readers nowhere.
            return
        # Older addresses that led here now lead on, so no redirect is resolved via a hop.
        ArticleRedirect.objects.filter(story_id=story.pk).update(story=live)
        article = Article.objects.filter(story_id=story.pk).first()
        if article is None:
            return
        ArticleRedirect.objects.update_or_create(slug=article.slug, defaults={"story": live})
        article.delete()
    log.info("retired %s: story %s merged into %s", article.slug, story.pk, live.pk)


def redirect_target(slug: str) -> str | None:
    """The URL an old article address now leads to, or None when there is none (yet)."""
    story_id = ArticleRedirect.objects.filter(slug=slug).values_list("story_id", flat=True).first()
    if story_id is None:
        return None
    live = live_story(story_id)
    if live is None:
        return None
    article = Article.objects.filter(story=live).only("slug").first()
    if article is None or article.slug == slug:
        return None
    return article.get_absolute_url()
