"""Short members per story, and story frequencies of terms, backfilled from what is stored."""

from collections import Counter

from django.db import migrations, models

SHORT_REPORT_WORDS = 25  # stories.scoring.SHORT_REPORT_WORDS when this was written


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Story = apps.get_model("stories", "Story")
    Report = apps.get_model("reports", "Report")
    TermFrequency = apps.get_model("stories", "TermFrequency")
    short: Counter[int] = Counter()
    members = Report.objects.filter(story__isnull=False, duplicate_of__isnull=True)
    for story_id, vector in members.exclude(vector={}).values_list("story_id", "vector").iterator():
        if (vector.get("n") or 0) < SHORT_REPORT_WORDS:
            short[story_id] += 1
    for story_id, count in short.items():
        Story.objects.filter(pk=story_id).update(short_count=count)
    stories: Counter[tuple[str, str]] = Counter()
    live = Story.objects.filter(merged_into__isnull=True, vector_count__gt=0)
    for language, words, entities in live.values_list("language", "words", "entities").iterator():
        stories[(language, "")] += 1
        stories.update((language, term) for term in [*words, *entities])
    for (language, term), count in stories.items():
        TermFrequency.objects.update_or_create(
            language=language, term=term, defaults={"stories": count}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0002_clustering_index"),
        ("reports", "0004_clustering_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="short_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="termfrequency",
            name="stories",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
