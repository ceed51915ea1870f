"""The candidate index on the test database (SQLite, and PostgreSQL in the suite's second run)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.stories import index
from newsdesk.stories.models import Story, StoryKey

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _story() -> Story:
    return Story.objects.create(
        first_seen_at=NOON, last_updated_at=NOON, event_time=NOON, latest_time=NOON, language="en"
    )


def _stamps(story: Story) -> dict[str, datetime]:
    return dict(StoryKey.objects.filter(story=story).values_list("key", "event_time"))


def test_keys_are_stored_once_each_with_their_newest_time() -> None:
    story = _story()
    index.add_keys(story.pk, "en", ["@arequipa", "quak", "@arequipa", "#6.1"], NOON)
    assert _stamps(story) == dict.fromkeys(["#6.1", "@arequipa", "quak"], NOON)
    later = NOON + timedelta(hours=30)
    index.add_keys(story.pk, "en", ["@arequipa", "cathedr"], later)
    # An older report arriving late does not make a key look older than it is.
    index.add_keys(story.pk, "en", ["@arequipa", "quak"], NOON - timedelta(days=2))
    assert _stamps(story) == {
        "#6.1": NOON,
        "@arequipa": later,
        "cathedr": later,
        "quak": NOON,
    }


def test_a_report_finds_the_stories_sharing_most_of_its_keys_in_its_window() -> None:
    near, nearer, old = _story(), _story(), _story()
    index.add_keys(near.pk, "en", ["@arequipa", "quak"], NOON)
    index.add_keys(nearer.pk, "en", ["@arequipa", "quak", "#6.1"], NOON)
    index.add_keys(old.pk, "en", ["@arequipa", "quak", "#6.1"], NOON - timedelta(days=30))
    keys = ["@arequipa", "quak", "#6.1", "cathedr"]
    assert index.candidate_ids(keys, "en", NOON + timedelta(hours=5)) == [nearer.pk, near.pk]
    assert index.candidate_ids(keys, "ar", NOON) == []
