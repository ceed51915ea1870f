"""The reports a large story's writer reads: bounded, deterministic, and the ones it needs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytest_django.fixtures import Settings

from newsdesk.publishing.models import ArticleRevision
from newsdesk.publishing.publish import write_story
from newsdesk.sources.models import Source
from newsdesk.writing.draft import SourceReport, draft_from_json
from newsdesk.writing.working_set import working_set
from newsdesk.writing.writer import write_article
from tests.publishing.test_publish import FIRST, SECOND, add_report
from tests.writing.stories import T0


def report(
    number: int, outlet: str, hours: float, language: str = "en", copy_of: int | None = None
) -> SourceReport:
    return SourceReport(
        id=number,
        outlet=outlet,
        title=f"Report {number}",
        text=f"Sentence {number} of the report.",
        published_at=T0 + timedelta(hours=hours),
        language=language,
        duplicate_of=copy_of,
    )


def ids(reports: list[SourceReport]) -> list[int]:
    return [r.id for r in reports]


def test_a_story_that_fits_is_read_whole_in_its_order() -> None:
    reports = [report(3, "A", 2), report(1, "B", 0), report(2, "A", 1)]
    assert ids(working_set(reports, "en", 3)) == [3, 1, 2]
    assert ids(working_set(reports, "en", 0)) == [3, 1, 2]  # 0: no bound


def test_the_break_the_newest_and_every_outlet_come_before_a_second_report_of_one() -> None:
    # Outlet A filed hourly; B and C once each, early; the first report is A's.
    reports = [report(n, "A", n) for n in range(1, 11)]
    reports += [report(11, "B", 1.5), report(12, "C", 2.5)]
    chosen = ids(working_set(reports, "en", 4))
    assert chosen == [1, 10, 11, 12]  # the break, A's newest, then B and C
    # Then the outlets' next newest reports, round by round.
    assert ids(working_set(reports, "en", 6)) == [1, 8, 9, 10, 11, 12]


def test_reports_in_the_article_language_and_originals_are_read_first() -> None:
    reports = [
        report(1, "A", 0),
        report(2, "Al Bahr", 5, language="ar"),
        report(3, "Wire copy", 6, copy_of=1),
        report(4, "B", 1),
        report(5, "C", 2),
    ]
    assert ids(working_set(reports, "en", 3)) == [1, 4, 5]
    assert ids(working_set(reports, "en", 4)) == [1, 3, 4, 5]
    assert ids(working_set(reports, "ar", 2)) == [1, 2]


def test_the_selection_does_not_depend_on_the_order_it_is_given() -> None:
    reports = [report(n, "ABC"[n % 3], n % 5) for n in range(1, 30)]
    forward = ids(working_set(reports, "en", 7))
    backward = ids(working_set(list(reversed(reports)), "en", 7))
    assert sorted(forward) == sorted(backward) and len(forward) == 7


@pytest.mark.django_db
def test_a_large_story_is_written_from_its_working_set_and_refs_every_report(
    settings: Settings,
) -> None:
    outlets = [Source.objects.create(name=f"Outlet {n}", slug=f"outlet-{n}") for n in range(5)]
    reports = [
        add_report(outlets[n], *(FIRST if n % 2 == 0 else SECOND), hours=n) for n in range(5)
    ]
    story_ids = {r.story_id for r in reports}
    assert len(story_ids) == 1
    story_id = story_ids.pop()
    assert story_id is not None
    settings.NEWSDESK_WRITE_MAX_REPORTS = 3
    revision = ArticleRevision.objects.get(pk=write_story(story_id))
    assert revision.report_ids == [r.pk for r in reports]  # the refs: every report
    cited = {
        s.report_id
        for sentence in draft_from_json(revision.body).sentences()
        for s in sentence.support
    }
    # The break and the newest two outlets' reports, and nothing else, were read.
    assert cited <= {reports[0].pk, reports[3].pk, reports[4].pk}
    assert reports[4].pk in cited or reports[3].pk in cited
    assert revision.outlet_count == 5


def test_writing_from_the_working_set_cites_only_what_it_read() -> None:
    reports = [
        SourceReport(
            id=n,
            outlet=f"Outlet {n}",
            title=FIRST[0] if n % 2 else SECOND[0],
            text=FIRST[1] if n % 2 else SECOND[1],
            published_at=T0 + timedelta(hours=n),
            language="en",
        )
        for n in range(1, 9)
    ]
    chosen = working_set(reports, "en", 4)
    draft = write_article(chosen, "en")
    cited = {s.report_id for sentence in draft.sentences() for s in sentence.support}
    assert cited and cited <= set(ids(chosen))
