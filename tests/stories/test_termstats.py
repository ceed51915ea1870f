"""Story frequencies stay equal to a recount of the live stories, through merges and moves."""

from __future__ import annotations

from collections import Counter

from pytest_django.fixtures import Settings

from newsdesk.sources.models import Source
from newsdesk.stories import termstats
from newsdesk.stories.cluster import cluster_report
from newsdesk.stories.membership import merge_stories, move_report
from newsdesk.stories.models import Story, TermFrequency
from tests.stories.test_cluster import ELECTION, QUAKE_A, QUAKE_A2, QUAKE_B, add, outlets

__all__ = ["outlets"]


def recount() -> Counter[str]:
    counted: Counter[str] = Counter()
    for words, entities in Story.objects.filter(
        merged_into__isnull=True, vector_count__gt=0
    ).values_list("words", "entities"):
        counted[termstats.TOTAL] += 1
        counted.update([*words, *entities])
    return counted


def stored() -> Counter[str]:
    rows = TermFrequency.objects.filter(language="en").values_list("term", "stories")
    return Counter({term: stories for term, stories in rows if stories})


def test_story_frequencies_follow_placements_merges_and_moves(
    outlets: list[Source], settings: Settings
) -> None:
    settings.NEWSDESK_CLUSTER_THRESHOLD = settings.NEWSDESK_CLUSTER_MERGE_THRESHOLD = 0.99
    reports = [
        add(outlets[n], *text, hours=n)
        for n, text in enumerate([QUAKE_A, QUAKE_A2, QUAKE_B, ELECTION])
    ]
    stories = [cluster_report(report.pk) for report in reports]
    assert len(set(stories)) == 4 and stored() == recount()
    assert stories[0] is not None and stories[1] is not None and stories[2] is not None
    merge_stories(stories[0], stories[1])
    assert stored() == recount()
    move_report(reports[2].pk, stories[0])  # empties the Japanese story into a tombstone
    assert stored() == recount() and recount()[termstats.TOTAL] == 2
    assert TermFrequency.objects.get(language="en", term="").count == 4  # reports counted


def test_a_rare_word_weighs_more_than_one_spread_over_stories(outlets: list[Source]) -> None:
    for n, text in enumerate([QUAKE_A, QUAKE_B, ELECTION]):
        cluster_report(add(outlets[n], *text, hours=n).pk)
    counts = termstats.lookup("en", ["earthquak", "arequipa", "unseen"])
    # "earthquake" is in two stories, "Arequipa" in one, "unseen" in none.
    assert counts.weight("earthquak") < counts.weight("arequipa") < counts.weight("unseen")
