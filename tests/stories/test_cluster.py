from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from newsdesk.reports.dedupe import content_hash
from newsdesk.reports.models import Report
from newsdesk.sources.models import Source
from newsdesk.stories.cluster import cluster_report
from newsdesk.stories.features import report_features
from newsdesk.stories.models import Story

T0 = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)

QUAKE_A = (
    "Earthquake of magnitude 6.1 shakes Arequipa in southern Peru",
    "An earthquake of magnitude 6.1 struck near Arequipa in southern Peru on Tuesday, damaging "
    "colonial churches and cutting power to 40,000 homes. Peru's civil defence institute said "
    "three people were injured in Arequipa and the nearby town of Camana. Mayor Lucia Paredes said "
    "engineers were inspecting the cathedral in Arequipa for cracks.",
)
QUAKE_A2 = (
    "Arequipa counts damage after magnitude 6.1 quake",
    "Residents of Arequipa spent the night outdoors after a magnitude 6.1 earthquake hit southern "
    "Peru. Power was restored to most of the 40,000 homes that lost it, the utility said. Mayor "
    "Lucia Paredes told reporters that the cathedral of Arequipa had minor cracks. In Camana, "
    "three injured people were treated in hospital.",
)
QUAKE_B = (
    "Magnitude 5.8 earthquake rattles Hokkaido in northern Japan",
    "A magnitude 5.8 earthquake struck off Hokkaido in northern Japan on Wednesday, briefly "
    "halting bullet trains to Sapporo. The Japan Meteorological Agency said there was no tsunami "
    "risk. Kushiro city officials reported broken windows and one person slightly hurt in Kushiro.",
)
ELECTION = (
    "Voters in Estonia elect new parliament",
    "Estonians voted on Sunday in a parliamentary election dominated by energy prices and defence. "
    "Turnout in Tallinn reached 61 percent by evening, the electoral committee said. "
    "Prime minister Kaspar Lind conceded that his party had lost seats in Tartu and Tallinn.",
)


@pytest.fixture
def outlets(db: None) -> list[Source]:
    return [Source.objects.create(name=f"Outlet {i}", slug=f"outlet-{i}") for i in range(4)]


def add(
    source: Source, title: str, text: str, hours: float = 0, url: str = "", **extra: object
) -> Report:
    return Report.objects.create(
        source=source,
        url=url or f"http://{source.slug}.test/{abs(hash(title))}",
        title=title,
        text=text,
        published_at=T0 + timedelta(hours=hours),
        fetched_at=timezone.now(),
        language="en",
        content_hash=content_hash(text),
        **extra,
    )


def test_reports_on_one_event_share_a_story(outlets: list[Source]) -> None:
    first = cluster_report(add(outlets[0], *QUAKE_A).pk)
    second = cluster_report(add(outlets[1], *QUAKE_A2, hours=5).pk)
    assert first is not None and first == second
    story = Story.objects.get(pk=first)
    assert story.report_count == 2 and story.revision == 2
    assert story.event_time == T0


def test_same_kind_events_stay_apart(outlets: list[Source]) -> None:
    peru = cluster_report(add(outlets[0], *QUAKE_A).pk)
    japan = cluster_report(add(outlets[1], *QUAKE_B, hours=20).pk)
    peru_again = cluster_report(add(outlets[2], *QUAKE_A2, hours=22).pk)
    assert peru != japan
    assert peru_again == peru


def test_unrelated_events_stay_apart(outlets: list[Source]) -> None:
    quake = cluster_report(add(outlets[0], *QUAKE_A).pk)
    vote = cluster_report(add(outlets[1], *ELECTION, hours=1).pk)
    assert quake != vote and Story.objects.count() == 2


def test_reports_far_apart_in_time_do_not_join(outlets: list[Source], settings: Settings) -> None:
    settings.NEWSDESK_CLUSTER_WINDOW_HOURS = 48
    old = cluster_report(add(outlets[0], *QUAKE_A).pk)
    new = cluster_report(add(outlets[1], *QUAKE_A2, hours=24 * 10).pk)
    assert old != new


def test_a_wire_copy_joins_its_original_story(outlets: list[Source]) -> None:
    original = add(outlets[0], *QUAKE_A)
    copy = add(
        outlets[1], "Quake hits Peru", QUAKE_A[1], url="http://copy.test/1", duplicate_of=original
    )
    story = cluster_report(original.pk)
    assert cluster_report(copy.pk) == story
    assert Story.objects.get().report_count == 2


def test_opinion_is_never_a_story(outlets: list[Source]) -> None:
    column = add(outlets[0], *QUAKE_A, kind=Report.Kind.OPINION)
    assert cluster_report(column.pk) is None
    assert Story.objects.count() == 0
    assert Report.objects.get().clustered_at is not None


def test_clustering_twice_changes_nothing(outlets: list[Source]) -> None:
    report = add(outlets[0], *QUAKE_A)
    story = cluster_report(report.pk)
    assert cluster_report(report.pk) == story
    assert Story.objects.get().report_count == 1 and Story.objects.get().revision == 1


def test_title_names_and_numbers_weigh_more_than_common_words() -> None:
    features = report_features(
        "Quake in Arequipa", "The town of Arequipa was shaken. Reporters saw 40 homes hit."
    )
    assert features.words["arequipa"] > features.words["town"]
    assert "the" not in features.words
    assert "@arequipa" in features.entities and "#40" in features.entities
    # A capital after a full stop is grammar, not a name.
    assert "@reporter" not in features.entities


def test_title_case_headlines_are_not_read_as_names() -> None:
    features = report_features("Fed Official Says Weak Data Caused By Weather", "")
    assert not any(term.startswith("@") for term in features.entities)


def test_a_number_run_into_letters_is_a_name_and_an_ordinal_its_number() -> None:
    features = report_features(
        "", "Fans of the Philadelphia 76ers met on the 15th, and 15 of them won 3,000 tickets."
    )
    # "76ers" is the team, not the number 76 (numbers weigh double as evidence of an event).
    assert "@76er" in features.entities and "#76" not in features.entities
    assert "er" not in features.words and "ers" not in features.words
    # "the 15th" and "15" are one day of the month, one feature.
    assert features.entities["#15"] > features.entities["#3,000"]
    assert "#15th" not in features.entities


def test_headlines_of_two_same_kind_events_in_one_week_are_two_stories(
    outlets: list[Source],
) -> None:
    headlines = [
        ("Magnitude 6.1 earthquake hits Arequipa in southern Peru", 0),
        ("Arequipa earthquake damages cathedral, Peru says", 1),
        ("Magnitude 5.8 earthquake rattles Hokkaido in northern Japan", 30),
        ("Hokkaido earthquake halts bullet trains to Sapporo", 31),
        ("Peru's Arequipa counts earthquake damage", 2),
    ]
    stories = [
        cluster_report(add(outlets[n % 4], title, "", hours=hours).pk)
        for n, (title, hours) in enumerate(headlines)
    ]
    peru = {stories[0], stories[1], stories[4]}
    japan = {stories[2], stories[3]}
    assert len(peru) == 1 and len(japan) == 1 and peru != japan


def test_a_headline_a_news_day_away_decays_faster_than_a_body(settings: Settings) -> None:
    from newsdesk.stories.scoring import time_factor

    settings.NEWSDESK_CLUSTER_TIME_SCALE_HOURS = 48
    settings.NEWSDESK_CLUSTER_SHORT_TIME_SCALE_HOURS = 12
    day_later = T0 + timedelta(hours=24)
    body = time_factor(day_later, T0, T0)
    headline = time_factor(day_later, T0, T0, short=True)
    assert body == pytest.approx(1 / 1.5) and headline == pytest.approx(0.1353, abs=1e-4)
