from django.contrib import admin
from django.utils.html import format_html, format_html_join

from newsdesk.publishing.models import (
    Article,
    ArticlePlace,
    ArticleRef,
    ArticleRevision,
    ArticleSection,
)


class ArticlePlaceInline(admin.TabularInline):
    model = ArticlePlace
    extra = 0


class ArticleSectionInline(admin.TabularInline):
    model = ArticleSection
    extra = 0


class ArticleRefInline(admin.TabularInline):
    model = ArticleRef
    extra = 0
    raw_id_fields = ("report",)


def gate_table(revision: ArticleRevision | None) -> str:
    """The faithfulness gate's decisions, one row each, for editors."""
    if revision is None or not revision.gate:
        return "no model article was checked"
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                d.get("part", ""),
                "kept" if d.get("kept") else "dropped",
                d.get("text", ""),
                ", ".join(str(c) for c in d.get("cites", [])),
                "; ".join(d.get("problems", [])),
            )
            for d in revision.gate
        ),
    )
    return format_html(
        "<table><thead><tr><th>part</th><th>decision</th><th>text</th><th>cites</th>"
        "<th>problems</th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = (
        "story",
        "story_revision",
        "number",
        "writer",
        "headline",
        "dropped_sentences",
        "fallback_reason",
        "created_at",
        "published_at",
    )
    list_filter = ("writer", "language", "untranslated")
    search_fields = ("headline", "fallback_reason")
    # The body and the raw decisions are long JSON: the table below says what an editor needs.
    readonly_fields = (
        *(f.name for f in ArticleRevision._meta.fields if f.name not in ("id", "gate", "body")),
        "gate_decisions",
    )
    fields = readonly_fields

    @admin.display(description="faithfulness gate")
    def gate_decisions(self, revision: ArticleRevision) -> str:
        return gate_table(revision)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "headline",
        "section",
        "language",
        "writer",
        "published_at",
        "updated_at",
        "revision_count",
    )
    list_filter = ("section", "language", "writer", "untranslated")
    search_fields = ("headline", "summary")
    readonly_fields = (
        "slug",
        "story",
        "writer",
        "story_revision",
        "live_revision",
        "fallback_reason",
        "gate_decisions",
    )
    inlines = [ArticlePlaceInline, ArticleSectionInline, ArticleRefInline]

    @admin.display(description="why the model's article was not used")
    def fallback_reason(self, article: Article) -> str:
        revision = article.live_revision
        return revision.fallback_reason if revision is not None else ""

    @admin.display(description="faithfulness gate")
    def gate_decisions(self, article: Article) -> str:
        return gate_table(article.live_revision)
