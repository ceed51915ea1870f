from django.contrib import admin

from newsdesk.stories.models import Story


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("id", "event_time", "language", "report_count", "revision", "last_updated_at")
    exclude = ("words", "entities")
