"""Two events of one kind told as one story are split apart; one event is never split."""

from __future__ import annotations

from itertools import pairwise

from pytest_django.fixtures import Settings

from newsdesk.reports.models import Report
from newsdesk.sources.models import Source
from newsdesk.stories.cluster import cluster_report, report_vector
from newsdesk.stories.corrections import SPLIT_CHECKS
from newsdesk.stories.features import report_features
from newsdesk.stories.models import Story, StoryKey
from newsdesk.stories.scoring import ReportVector
from newsdesk.stories.two_events import MIN_HALF, second_event
from newsdesk.stories.vectors import unit
from tests.stories.test_cluster import add, outlets
from tests.stories.test_corrections import live

__all__ = ["outlets"]

# One club, two events of one kind a season apart: a manager sacked, then one appointed.
SACKED = [
    (
        "Harbourside Rovers sack manager Ivo Marek after ninth defeat",
        "Harbourside Rovers dismissed manager Ivo Marek on Sunday after a 3-0 loss to Eastfield "
        "left the club 19th in the league. Chairman Dara Quinn said the board had lost patience "
        "after nine defeats in eleven matches.",
    ),
    (
        "Ivo Marek leaves Harbourside Rovers with club 19th",
        "Ivo Marek's fourteen months at Harbourside Rovers ended after the defeat at Eastfield. "
        "The Czech coach won only two of his last eleven matches, and chairman Dara Quinn told "
        "supporters that a change was needed to avoid relegation.",
    ),
    (
        "Rovers part company with Marek after Eastfield loss",
        "Harbourside Rovers have parted company with Ivo Marek. The 3-0 defeat by Eastfield, "
        "their ninth in eleven games, was the last straw, according to Dara Quinn, who thanked "
        "Marek for reaching the cup quarter-final last spring.",
    ),
    (
        "Marek out as Harbourside slide towards relegation",
        "Ivo Marek was sacked by Harbourside Rovers a day after the loss at Eastfield. Assistant "
        "Lena Brandt will take training this week. Dara Quinn said Marek paid for nine defeats "
        "and a side 19th in the table.",
    ),
]
APPOINTED = [
    (
        "Harbourside Rovers appoint Sofia Okafor as head coach",
        "Harbourside Rovers named Sofia Okafor head coach on a three-year contract on Thursday. "
        "Okafor, 41, led Millbrook Town to promotion in 2025. The club finished seventh last "
        "season and owner Tomas Varga wants a place in Europe.",
    ),
    (
        "Okafor signs three-year deal to coach Rovers",
        "Sofia Okafor has signed a three-year deal at Harbourside Rovers, leaving Millbrook Town, "
        "whom she took up in 2025. Owner Tomas Varga said Okafor's pressing style won over the "
        "board after interviews with five candidates.",
    ),
    (
        "Millbrook's Sofia Okafor takes Harbourside job",
        "Millbrook Town confirmed that Sofia Okafor is leaving for Harbourside Rovers. The "
        "41-year-old won promotion with Millbrook in 2025 and will bring assistant Kemal Aydin "
        "with her, Tomas Varga told a news conference.",
    ),
    (
        "Rovers owner Varga hails Okafor appointment",
        "Tomas Varga called Sofia Okafor the best young coach in the country after she agreed a "
        "three-year contract with Harbourside Rovers. Okafor starts on Monday with Kemal Aydin as "
        "her assistant; her first match is at home to Millbrook Town.",
    ),
]


def vector(title: str, text: str) -> ReportVector:
    features = report_features(title, text)
    return ReportVector(
        words=unit(features.words), entities=unit(features.entities), size=features.size
    )


def test_two_events_in_one_story_fall_into_their_halves() -> None:
    interleaved = [item for pair in zip(SACKED, APPOINTED, strict=True) for item in pair]
    members = [vector(*item) for item in interleaved]
    # The first member (a sacking) keeps its half; the appointments are the second event.
    assert second_event(members) == [1, 3, 5, 7]
    assert second_event(list(reversed(members))) == [1, 3, 5, 7]


def test_one_event_with_varied_reports_has_no_second() -> None:
    # Eight reports of one event: all share its core; each adds a detail of its own.
    core = {"@rovers": 0.5, "@marek": 0.5, "#19": 0.4, "@quinn": 0.3}
    members = [
        ReportVector(
            words=unit({"sack": 1.0, "defeat": 0.8, f"detail{i}": 0.9}),
            entities=unit({**core, f"@witness{i}": 0.6}),
            size=40,
        )
        for i in range(8)
    ]
    assert second_event(members) is None


def test_an_outlier_or_a_small_story_is_not_a_second_event() -> None:
    sacked = [vector(*item) for item in SACKED]
    # Fewer members than two halves need.
    assert second_event([*sacked, vector(*APPOINTED[0])]) is None
    assert len(sacked) + 1 < 2 * MIN_HALF
    # Seven of one event and one of another: the one is an outlier, not an event.
    seven = [*sacked, *sacked[:3]]
    assert second_event([*seven, vector(*APPOINTED[0])]) is None


def test_split_checks_start_where_two_halves_fit_and_thin_out() -> None:
    sizes = sorted(SPLIT_CHECKS)
    assert sizes[0] == 2 * MIN_HALF
    assert sizes[:6] == [8, 10, 12, 15, 19, 24]
    # Each a quarter bigger than the last: a few dozen checks up to a million reports.
    assert all(b >= 1.2 * a for a, b in pairwise(sizes[4:]))
    assert len([size for size in sizes if size <= 1_000_000]) < 60


def test_the_clusterer_splits_two_glued_events_when_the_story_reaches_a_check(
    outlets: list[Source], settings: Settings
) -> None:
    # Every report joins whatever story it is offered: the two events glue from the start.
    settings.NEWSDESK_CLUSTER_THRESHOLD = 0.001
    reports = []
    for n, item in enumerate(pair for both in zip(SACKED, APPOINTED, strict=True) for pair in both):
        reports.append(add(outlets[n % 4], *item, hours=n))
        cluster_report(reports[-1].pk)
        if n < 7:
            # Below the first check, the story holds both events.
            assert len({live(r) for r in reports}) == 1
    sacked, appointed = reports[0::2], reports[1::2]
    first_story = live(sacked[0])
    assert {live(r) for r in sacked} == {first_story}
    second_story = live(appointed[0])
    assert second_story != first_story
    assert {live(r) for r in appointed} == {second_story}
    for story_id in (first_story, second_story):
        story = Story.objects.get(pk=story_id)
        assert story.merged_into_id is None
        assert story.vector_count == story.report_count == 4
        assert StoryKey.objects.filter(story=story).exists()
    # The sums follow the members: the split-off story is made of the appointments only.
    split = Story.objects.get(pk=second_story)
    assert "@okafor" in split.entities and "@marek" not in split.entities
    # Placing the reports again changes nothing.
    for report in reports:
        assert cluster_report(report.pk) == live(report)
    assert Story.objects.filter(merged_into__isnull=True).count() == 2


def test_the_clusterer_keeps_one_event_in_one_story(
    outlets: list[Source], settings: Settings
) -> None:
    settings.NEWSDESK_CLUSTER_THRESHOLD = 0.001
    follow_ups = [
        (f"{title}: reaction", f"{text} Supporters gathered outside the ground on Monday.")
        for title, text in SACKED
    ]
    reports = [add(outlets[n % 4], *item, hours=n) for n, item in enumerate(SACKED + follow_ups)]
    for report in reports:
        cluster_report(report.pk)
    assert len({live(r) for r in reports}) == 1
    vectors = [report_vector(Report.objects.get(pk=r.pk))[0] for r in reports]
    assert second_event(vectors) is None


def test_a_report_split_off_with_its_event_is_told_its_new_story(
    outlets: list[Source], settings: Settings
) -> None:
    settings.NEWSDESK_CLUSTER_THRESHOLD = 0.001
    first = add(outlets[0], *SACKED[0])
    cluster_report(first.pk)
    for n, item in enumerate([*SACKED[1:], *APPOINTED[:3]], 1):
        cluster_report(add(outlets[n % 4], *item, hours=n).pk)
    # The eighth report reaches the first check and leaves with the other appointments.
    last = add(outlets[0], *APPOINTED[3], hours=8)
    returned = cluster_report(last.pk)
    assert returned == live(last) != live(first)
    assert Story.objects.get(pk=returned).report_count == 4
