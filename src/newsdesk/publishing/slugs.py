"""Article slugs: chosen once from the first headline, unique, never changed afterwards.

A slug retired by a merge lives on as a redirect and is never given to another article.
"""

from __future__ import annotations

from django.utils.text import slugify

from newsdesk.publishing.models import Article, ArticleRedirect

MAX_WORDS = 10


def make_slug(headline: str, story_id: int) -> str:
    words = slugify(headline, allow_unicode=False).split("-")[:MAX_WORDS]
    base = "-".join(word for word in words if word)[:100].strip("-")
    # Headlines in scripts slugify() drops (Arabic) still get a readable, stable slug.
    base = base or "story"
    slug = f"{base}-{story_id}"
    suffix = 2
    while _taken(slug):
        slug = f"{base}-{story_id}-{suffix}"
        suffix += 1
    return slug


def _taken(slug: str) -> bool:
    return (
        Article.objects.filter(slug=slug).exists()
        or ArticleRedirect.objects.filter(slug=slug).exists()
    )
