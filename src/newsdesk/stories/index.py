"""The candidate index: stories found through the keys they share with a report.

Keys are a report's heaviest features (names and numbers first, as they pin an event). A
story's keys are stamped with the newest time they were seen, so a lookup reads only the
index entries of its time window: the cost follows the news of those days, not the archive.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count

from newsdesk.stories.models import Story, StoryKey
from newsdesk.stories.scoring import Profile, ReportVector

KEYS_PER_REPORT = 12
# Stories sharing this many of a report's keys at most are scored; the rest cannot compete.
CANDIDATES = 8


def report_keys(vector: ReportVector) -> list[str]:
    weighted = [*vector.words.items(), *vector.entities.items()]
    ranked = sorted(weighted, key=lambda item: (-item[1], item[0]))
    keys: list[str] = []
    for term, _ in ranked:
        if term not in keys:
            keys.append(term)
        if len(keys) == KEYS_PER_REPORT:
            break
    return keys


def _window() -> timedelta:
    return timedelta(hours=settings.NEWSDESK_CLUSTER_WINDOW_HOURS)


def candidate_ids(keys: list[str], language: str, when: datetime | None) -> list[int]:
    """Live stories sharing keys with the report, most keys shared first, then newest."""
    postings = StoryKey.objects.filter(language=language, key__in=keys)
    if when is not None:
        postings = postings.filter(event_time__range=(when - _window(), when + _window()))
    # The database counts the shared keys: only the best few story ids come back.
    ranked = (
        postings.values("story_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "-story_id")
        .values_list("story_id", flat=True)
    )
    return list(ranked[:CANDIDATES])


_PROFILE_FIELDS = (
    "id",
    "words",
    "entities",
    "vector_count",
    "dense",
    "event_time",
    "latest_time",
    "short_count",
)


def profiles(story_ids: list[int]) -> list[Profile]:
    """The live stories among ``story_ids``, by id (plain rows: no model instances)."""
    rows = Story.objects.filter(pk__in=story_ids, merged_into__isnull=True, vector_count__gt=0)
    return [
        Profile(
            story_id=story_id,
            words=words,
            entities=entities,
            count=count,
            dense=dense or None,
            first=first,
            last=last or first,
            short_count=short_count,
        )
        for story_id, words, entities, count, dense, first, last, short_count in rows.order_by(
            "id"
        ).values_list(*_PROFILE_FIELDS)
    ]


def profile(story: Story) -> Profile:
    return Profile(
        story_id=story.pk,
        words=story.words,
        entities=story.entities,
        count=story.vector_count,
        dense=story.dense or None,
        first=story.event_time,
        last=story.latest_time or story.event_time,
        short_count=story.short_count,
    )


def _upsert(table: str) -> str:
    # Keep each key's newest time, so the story stays findable while it is in the news.
    return (
        f"ON CONFLICT (story_id, {_KEY}) DO UPDATE SET event_time = CASE WHEN "
        f"excluded.event_time > {table}.event_time THEN excluded.event_time "
        f"ELSE {table}.event_time END"
    )


_KEY = connection.ops.quote_name("key")


def add_keys(story_id: int, language: str, keys: list[str], when: datetime) -> None:
    if not keys:
        return
    table = connection.ops.quote_name(StoryKey._meta.db_table)
    stamp = StoryKey._meta.get_field("event_time").get_db_prep_value(when, connection)
    rows = sorted(set(keys))
    # One statement for all the keys (a dozen): it runs inside the serial clustering step.
    sql = (
        f"INSERT INTO {table} (story_id, {_KEY}, language, event_time) "
        f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(rows))} {_upsert(table)}"
    )
    params = [value for key in rows for value in (story_id, key, language, stamp)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def move_keys(source_id: int, target_id: int) -> None:
    """Give the absorbed story's keys to the survivor (newest time wins)."""
    table = connection.ops.quote_name(StoryKey._meta.db_table)
    sql = (
        f"INSERT INTO {table} (story_id, {_KEY}, language, event_time) "
        f"SELECT %s, {_KEY}, language, event_time FROM {table} WHERE story_id = %s "
        f"{_upsert(table)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [target_id, source_id])
    StoryKey.objects.filter(story_id=source_id).delete()
