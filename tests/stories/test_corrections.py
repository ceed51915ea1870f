"""Merges, moves and the wire-copy trap, through the real clusterer on the test database."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from newsdesk.publishing.publish import independent_outlets
from newsdesk.reports.models import Report
from newsdesk.sources.models import Source
from newsdesk.stories.cluster import cluster_report
from newsdesk.stories.corrections import live_story_id, merge_stories, move_report
from newsdesk.stories.models import Story, StoryKey, TermFrequency
from tests.stories.test_cluster import ELECTION, QUAKE_A, QUAKE_A2, QUAKE_B, add, outlets

__all__ = ["outlets"]

QUAKE_A3 = (
    "Peru's Arequipa inspects cathedral after magnitude 6.1 earthquake",
    "Engineers in Arequipa checked the cathedral for cracks on Wednesday, a day after the "
    "magnitude 6.1 earthquake in southern Peru. Mayor Lucia Paredes said 40,000 homes had power "
    "again and that the three people injured in Arequipa and Camana were recovering.",
)


def live(report: Report) -> int:
    story_id = Report.objects.get(pk=report.pk).story_id
    assert story_id is not None
    return story_id


def test_two_stories_of_one_event_merge_when_the_evidence_arrives(
    outlets: list[Source], settings: Settings
) -> None:
    # Nothing joins or merges: each report starts a story.
    settings.NEWSDESK_CLUSTER_THRESHOLD = settings.NEWSDESK_CLUSTER_MERGE_THRESHOLD = 0.99
    first = add(outlets[0], *QUAKE_A)
    second = add(outlets[1], *QUAKE_A2, hours=2)
    a, b = cluster_report(first.pk), cluster_report(second.pk)
    assert a != b
    settings.NEWSDESK_CLUSTER_THRESHOLD = 0.2
    settings.NEWSDESK_CLUSTER_MERGE_THRESHOLD = 0.2
    third = add(outlets[2], *QUAKE_A3, hours=4)
    survivor = cluster_report(third.pk)
    assert live(first) == live(second) == live(third) == survivor
    absorbed = Story.objects.get(pk=b if survivor == a else a)
    assert absorbed.merged_into_id == survivor and absorbed.report_count == 0
    assert live_story_id(absorbed.pk) == survivor
    story = Story.objects.get(pk=survivor)
    assert story.report_count == 3 and story.vector_count == 3
    assert not StoryKey.objects.filter(story=absorbed).exists()
    assert Story.objects.filter(merged_into__isnull=True).count() == 1


def test_merging_twice_changes_nothing(outlets: list[Source]) -> None:
    a = cluster_report(add(outlets[0], *QUAKE_A).pk)
    b = cluster_report(add(outlets[1], *ELECTION, hours=1).pk)
    assert a is not None and b is not None and a != b
    assert merge_stories(a, b) == a
    revision = Story.objects.get(pk=a).revision
    assert merge_stories(a, b) == a
    assert Story.objects.get(pk=a).revision == revision
    assert Story.objects.get(pk=a).report_count == 2


def test_a_misplaced_report_moves_to_the_story_it_fits(
    outlets: list[Source], settings: Settings
) -> None:
    from newsdesk.stories.cluster import _place, report_vector
    from newsdesk.stories.index import report_keys

    peru = add(outlets[0], *QUAKE_A)
    japan = add(outlets[1], *QUAKE_B, hours=1)
    peru_story = cluster_report(peru.pk)
    # An early mistake: the Japanese quake is put in Peru's story.
    vector, fresh = report_vector(japan)
    assert _place(japan, peru_story, vector, report_keys(vector), fresh)[0] == peru_story
    settings.NEWSDESK_CLUSTER_THRESHOLD = 0.2
    settings.NEWSDESK_CLUSTER_MERGE_THRESHOLD = 0.9
    japan_again = add(
        outlets[2],
        "Hokkaido quake of magnitude 5.8 halts trains to Sapporo",
        "Bullet trains to Sapporo stopped after a magnitude 5.8 earthquake off Hokkaido, the "
        "Japan Meteorological Agency said, adding there was no tsunami risk. Kushiro officials "
        "reported broken windows and one person slightly hurt in Kushiro.",
        hours=3,
    )
    cluster_report(japan_again.pk)
    assert live(japan) == live(japan_again) != live(peru)
    peru_story = Story.objects.get(pk=live(peru))
    assert peru_story.report_count == 1 and peru_story.vector_count == 1


def test_moving_a_report_takes_its_wire_copies_and_empties_into_a_tombstone(
    outlets: list[Source],
) -> None:
    original = add(outlets[0], *QUAKE_A)
    copy = add(outlets[1], "Quake hits Peru", QUAKE_A[1], duplicate_of=original)
    other = add(outlets[2], *ELECTION, hours=1)
    source_story = cluster_report(original.pk)
    cluster_report(copy.pk)
    target = cluster_report(other.pk)
    assert source_story is not None and target is not None
    move_report(original.pk, target)
    assert live(original) == live(copy) == target
    emptied = Story.objects.get(pk=source_story)
    assert emptied.merged_into_id == target and emptied.report_count == 0


def test_wire_copies_count_once_and_add_no_weight(outlets: list[Source]) -> None:
    original = add(outlets[0], *QUAKE_A)
    story = cluster_report(original.pk)
    copies = [
        add(outlets[0], f"Peru quake (wire {n})", QUAKE_A[1], duplicate_of=original)
        for n in range(3)
    ]
    for copy in copies:
        assert cluster_report(copy.pk) == story
    placed = Story.objects.get(pk=story)
    assert placed.report_count == 4 and placed.vector_count == 1
    reports = list(Report.objects.filter(story_id=story))
    assert independent_outlets(reports) == 1
    # The copies leave the term statistics alone: one report counted.
    assert TermFrequency.objects.get(language="en", term="").count == 1


def test_a_loud_wire_story_stays_one_voice_and_apart(outlets: list[Source]) -> None:
    # Three outlets running one agency report make it loud, not another event's story.
    peru = add(outlets[0], *QUAKE_A)
    japan = add(outlets[1], *QUAKE_B, hours=1)
    cluster_report(peru.pk)
    cluster_report(japan.pk)
    for n in range(2, 4):
        copy = add(outlets[n], QUAKE_B[0], QUAKE_B[1], hours=2, duplicate_of=japan)
        assert cluster_report(copy.pk) == live(japan)
    cluster_report(add(outlets[3], *QUAKE_A2, hours=3).pk)
    japan_reports = list(Report.objects.filter(story_id=live(japan)))
    assert len(japan_reports) == 3 and independent_outlets(japan_reports) == 1
    assert Report.objects.filter(story_id=live(peru)).count() == 2


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0), (1, 3, 0, 2)])
def test_results_are_deterministic_for_one_input_order(
    outlets: list[Source], order: tuple[int, ...]
) -> None:
    texts = [QUAKE_A, QUAKE_B, QUAKE_A2, ELECTION]
    runs = []
    for _ in range(2):
        Report.objects.all().delete()
        Story.objects.all().delete()
        TermFrequency.objects.all().delete()
        reports = [add(outlets[i], *texts[i], hours=i) for i in order]
        for report in reports:
            cluster_report(report.pk)
        groups: dict[int, list[str]] = {}
        for report in reports:
            groups.setdefault(live(report), []).append(report.title)
        runs.append(sorted(sorted(g) for g in groups.values()))
    assert runs[0] == runs[1]
    assert len(runs[0]) == 3  # Peru's two reports together, Japan and Estonia apart


def test_a_report_scored_against_a_story_merged_since_joins_the_survivor(
    outlets: list[Source],
) -> None:
    from newsdesk.stories.cluster import _place, report_vector

    a = cluster_report(add(outlets[0], *QUAKE_A).pk)
    b = cluster_report(add(outlets[1], *ELECTION, hours=1).pk)
    assert a is not None and b is not None
    late = add(outlets[2], *QUAKE_A2, hours=2)
    vector, fresh = report_vector(late)
    merge_stories(b, a)  # another worker merges a away after late was scored against it
    assert _place(late, a, vector, fresh=fresh)[0] == b
    assert live(late) == b and Story.objects.get(pk=a).report_count == 0


def test_stories_of_headlines_merge_by_their_centroids(
    outlets: list[Source], settings: Settings
) -> None:
    # Each headline starts a story, and nothing merges.
    settings.NEWSDESK_CLUSTER_SHORT_THRESHOLD = 0.99
    settings.NEWSDESK_CLUSTER_SHORT_MERGE_THRESHOLD = 0.99
    first = add(outlets[0], "Arequipa quake damages cathedral in southern Peru", "")
    second = add(outlets[1], "Peru counts damage after Arequipa earthquake", "", hours=1)
    a, b = cluster_report(first.pk), cluster_report(second.pk)
    assert a != b
    settings.NEWSDESK_CLUSTER_SHORT_THRESHOLD = 0.1
    settings.NEWSDESK_CLUSTER_SHORT_MERGE_THRESHOLD = 0.3
    third = add(outlets[2], "Arequipa earthquake: Peru cathedral damaged", "", hours=2)
    cluster_report(third.pk)
    assert live(first) == live(second) == live(third)
    assert Story.objects.filter(merged_into__isnull=True).count() == 1
