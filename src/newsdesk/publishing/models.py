"""What we publish: an article per story, with the provenance of every sentence."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from newsdesk.reports.models import Report, ReportImage
from newsdesk.sources.models import SECTION_CHOICES
from newsdesk.stories.models import Story

RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps"}


class Article(models.Model):
    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="article")
    # Chosen once, at first publication: links to an article never break.
    slug = models.SlugField(max_length=120, unique=True)
    headline = models.CharField(max_length=200)
    summary = models.TextField()
    section = models.CharField(max_length=32, choices=SECTION_CHOICES, db_index=True)
    language = models.CharField(max_length=12, default="en")
    byline = models.CharField(max_length=200)
    writer = models.CharField(max_length=100, default="extractive")
    # News time: the newest report's time when first published, and when last rewritten, so an
    # archive ingested late still shows when things happened.
    published_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(db_index=True)
    # Machine time of the last rewrite, shown in "How this article was made".
    rewritten_at = models.DateTimeField()
    story_revision = models.PositiveIntegerField(default=0)
    revision_count = models.PositiveIntegerField(default=1)
    # The revision on the page now (None for articles published before revisions existed).
    live_revision = models.ForeignKey(
        "ArticleRevision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Published in its reports' language although the site has another: no translation was had.
    untranslated = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("site:article", kwargs={"slug": self.slug})

    @property
    def direction(self) -> str:
        return "rtl" if self.language.split("-")[0] in RTL_LANGUAGES else "ltr"

    @property
    def was_updated(self) -> bool:
        return self.revision_count > 1


class ArticleRevision(models.Model):
    """One written version of a story's article, from one revision of the story.

    ``write_story`` stores it (the expensive step: a writer and the faithfulness gate);
    ``publish_revision`` makes it the live Article. The body is kept whole here, so a revision
    can be published, or shown to an editor, without writing it again.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="article_revisions")
    story_revision = models.PositiveIntegerField()
    # Machine time of the write.
    created_at = models.DateTimeField(default=timezone.now)
    # News time: the newest report's time, capped at the write.
    news_time = models.DateTimeField()
    writer = models.CharField(max_length=100)  # "extractive" or the model's name
    language = models.CharField(max_length=12)
    untranslated = models.BooleanField(default=False)
    headline = models.CharField(max_length=200)
    summary = models.TextField()
    # writing.draft.draft_to_json: sections, paragraphs, sentences with their support.
    body = models.JSONField()
    report_ids = models.JSONField(default=list)
    outlet_count = models.PositiveIntegerField(default=0)
    # The faithfulness gate's decision on each part of a model's article (writing.gate).
    gate = models.JSONField(default=list, blank=True)
    # Why a model was asked and its article not used (down, slow, malformed, refused, budget,
    # too much dropped by the gate); empty when the configured writer's article was used.
    fallback_reason = models.TextField(blank=True)
    # Languages of the reports whose text the writer read in translation.
    translated_from = models.JSONField(default=list, blank=True)
    # Set when it became the live article; its place in the article's list of revisions.
    published_at = models.DateTimeField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["story_id", "story_revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "story_revision"], name="unique_story_revision_article"
            ),
        ]

    def __str__(self) -> str:
        return f"story {self.story_id} revision {self.story_revision}: {self.headline}"

    @property
    def dropped_sentences(self) -> int:
        return sum(1 for d in self.gate if d.get("part") == "sentence" and not d.get("kept"))


class ArticleRedirect(models.Model):
    """The address of an article retired by a merge, and the story its readers now go to.

    ``story`` is the story that was live when the article was retired; it may itself have
    merged since, so readers are sent along ``merged_into`` to the story live now.
    """

    # Unique here and, through make_slug, never reused by an Article: an old link stays put.
    slug = models.SlugField(max_length=120, unique=True)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.slug} -> story {self.story_id}"


class ArticlePlace(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="places")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=8)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, db_index=True)

    class Meta:
        ordering = ["article_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "slug"], name="unique_article_place"),
        ]

    def __str__(self) -> str:
        return self.name


class ArticleSection(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)

    class Meta:
        ordering = ["article_id", "position"]

    def __str__(self) -> str:
        return self.heading


class ArticleSentence(models.Model):
    section = models.ForeignKey(ArticleSection, on_delete=models.CASCADE, related_name="sentences")
    paragraph = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    # Verbatim source text; `rendered` adds the attribution shown to readers.
    text = models.TextField()
    rendered = models.TextField()
    attribution = models.CharField(max_length=200, blank=True)
    # False for a model's sentence: its sources support it, none of them is its exact text.
    verbatim = models.BooleanField(default=True)

    class Meta:
        ordering = ["section_id", "paragraph", "position"]

    def __str__(self) -> str:
        return self.rendered


class SentenceSource(models.Model):
    """Where a published sentence comes from: a report and the character span in its text."""

    sentence = models.ForeignKey(ArticleSentence, on_delete=models.CASCADE, related_name="sources")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(default=0)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["sentence_id", "rank"]


class ArticleRef(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="refs")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["article_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "report"], name="unique_article_ref"),
        ]


class ArticleImage(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(ReportImage, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["article_id", "position"]
