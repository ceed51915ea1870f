from django.contrib import admin

from newsdesk.sources.models import Feed, Source


class FeedInline(admin.TabularInline):
    model = Feed
    extra = 0
    readonly_fields = ("etag", "last_modified", "last_status", "last_error", "last_checked_at")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "language",
        "country",
        "default_section",
        "active",
        "last_status",
        "last_success_at",
        "consecutive_failures",
    )
    list_filter = ("active", "language", "last_status")
    search_fields = ("name", "homepage")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [FeedInline]
