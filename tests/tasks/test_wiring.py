"""What follows what: images download beside clustering, and a write waits for its images."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.reports.dedupe import content_hash
from newsdesk.reports.models import Link, Report, ReportImage
from newsdesk.sources.models import Source
from newsdesk.stories.models import Story
from newsdesk.tasks import stages
from newsdesk.tasks.stages import Later, Written
from newsdesk.tasks.wiring import Work, follow_ups
from tests.publishing.test_publish import FIRST, add_report

pytestmark = pytest.mark.django_db


def _extracted(with_image: bool) -> tuple[Link, Report]:
    source = Source.objects.create(name="Adriatic Daily", slug="adriatic-daily")
    title, text = FIRST
    report = Report.objects.create(
        source=source,
        url="http://adriatic-daily.test/ferry",
        title=title,
        text=text,
        published_at=timezone.now(),
        fetched_at=timezone.now(),
        language="en",
        content_hash=content_hash(text),
    )
    if with_image:
        ReportImage.objects.create(report=report, position=0, url="http://img.test/ferry.jpg")
    link = Link.objects.create(url=report.url, source=source, state=Link.State.DONE, report=report)
    return link, report


def test_a_report_with_images_is_placed_while_they_download() -> None:
    link, report = _extracted(with_image=True)
    assert follow_ups("extract", link.pk, Link.State.DONE) == [
        Work("cluster", report.pk),
        Work("images", report.pk),
    ]
    # The download triggers nothing: the story's write is waiting for it already.
    assert follow_ups("images", report.pk, 1) == []


def test_a_report_without_images_goes_to_clustering_only() -> None:
    link, report = _extracted(with_image=False)
    assert follow_ups("extract", link.pk, Link.State.DONE) == [Work("cluster", report.pk)]


def test_a_patient_write_waits_for_its_reports_due_images() -> None:
    report = add_report(Source.objects.create(name="Coastal Wire", slug="coastal-wire"), *FIRST)
    assert report.story_id is not None
    image = ReportImage.objects.create(report=report, position=0, url="http://img.test/a.jpg")
    settled = timezone.now() - timedelta(seconds=10)  # past the settle time, within the wait
    Story.objects.filter(pk=report.story_id).update(last_updated_at=settled)

    assert isinstance(stages.write(report.story_id, patient=True), Later)

    # An image not due yet (a retry later) does not hold the article back...
    ReportImage.objects.filter(pk=image.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    written = stages.write(report.story_id, patient=True)
    assert isinstance(written, Written) and written.revision_id is not None


def test_a_write_waits_no_longer_than_the_bound() -> None:
    report = add_report(Source.objects.create(name="Coastal Wire", slug="coastal-wire"), *FIRST)
    assert report.story_id is not None
    ReportImage.objects.create(report=report, position=0, url="http://img.test/a.jpg")
    long_ago = timezone.now() - timedelta(hours=1)
    Story.objects.filter(pk=report.story_id).update(last_updated_at=long_ago)
    written = stages.write(report.story_id, patient=True)
    assert isinstance(written, Written) and written.revision_id is not None
