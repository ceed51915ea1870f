from django.contrib import admin

from newsdesk.reports.models import Link, Report, ReportImage


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ("url", "source", "state", "attempts", "http_status", "error")
    list_filter = ("state", "source")
    search_fields = ("url",)
    exclude = ("body",)


class ReportImageInline(admin.TabularInline):
    model = ReportImage
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "published_at", "language", "kind", "story", "duplicate_of")
    list_filter = ("source", "language", "kind")
    search_fields = ("title", "url")
    raw_id_fields = ("story", "duplicate_of")
    inlines = [ReportImageInline]
