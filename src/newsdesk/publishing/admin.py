from django.contrib import admin

from newsdesk.publishing.models import Article, ArticlePlace, ArticleRef, ArticleSection


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = (
        "headline",
        "section",
        "language",
        "published_at",
        "updated_at",
        "revision_count",
    )
    list_filter = ("section", "language")
    search_fields = ("headline", "summary")
    readonly_fields = ("slug", "story", "writer", "story_revision")
    inlines = [ArticlePlaceInline, ArticleSectionInline, ArticleRefInline]
