"""The publish threshold on clustered stories: N reports from M independent outlets."""

from __future__ import annotations

from pytest_django.fixtures import Settings

from newsdesk.publishing.publish import publish_story
from newsdesk.sources.models import Source
from newsdesk.stories.cluster import cluster_report
from newsdesk.stories.models import Story
from tests.stories.test_cluster import QUAKE_A, QUAKE_A2, add, outlets
from tests.stories.test_corrections import QUAKE_A3

__all__ = ["outlets"]


def test_a_story_waits_for_n_reports_from_m_independent_outlets(
    outlets: list[Source], settings: Settings
) -> None:
    settings.NEWSDESK_PUBLISH_MIN_REPORTS = 3
    settings.NEWSDESK_PUBLISH_MIN_OUTLETS = 2
    first = add(outlets[0], *QUAKE_A)
    story = cluster_report(first.pk)
    assert story is not None
    assert publish_story(story) is None  # one report
    # Two more reports, but one is the first outlet's own and one a wire copy of it on
    # another outlet: three reports, still one independent outlet.
    own = add(outlets[0], *QUAKE_A2, hours=1)
    copy = add(outlets[1], "Peru quake (agency)", QUAKE_A[1], hours=1, duplicate_of=first)
    assert cluster_report(own.pk) == cluster_report(copy.pk) == story
    assert Story.objects.get(pk=story).report_count == 3
    assert publish_story(story) is None
    held = Story.objects.get(pk=story)
    assert held.held_revision == held.revision and "threshold" in held.held_reason
    # An outlet reporting on its own makes two independent outlets.
    assert cluster_report(add(outlets[2], *QUAKE_A3, hours=3).pk) == story
    assert publish_story(story) is not None


def test_the_default_publishes_a_single_authoritative_report(outlets: list[Source]) -> None:
    story = cluster_report(add(outlets[0], *QUAKE_A).pk)
    assert story is not None and publish_story(story) is not None
