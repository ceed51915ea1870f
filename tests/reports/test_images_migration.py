"""Images stored before download states were kept get a state that tells the truth."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from newsdesk.reports.models import ReportImage

BEFORE = [("reports", "0002_report_partial_nearduplicatekey")]
AFTER = [("reports", "0003_reportimage_state")]


@pytest.mark.django_db(transaction=True)
def test_existing_images_are_done_with_a_file_and_failed_without() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    source = old.get_model("sources", "Source").objects.create(name="Old Outlet", slug="old")
    report = old.get_model("reports", "Report").objects.create(
        source=source,
        url="http://old.test/a.html",
        title="An old report",
        text="Text.",
        fetched_at=timezone.now(),
        content_hash="0" * 64,
    )
    images = old.get_model("reports", "ReportImage").objects
    images.create(report=report, position=0, url="http://old.test/a.jpg", file="images/ab/a.jpg")
    images.create(report=report, position=1, url="http://old.test/b.jpg", file="")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    # The rest of the suite runs on the latest schema, whatever comes after.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept, missing = ReportImage.objects.order_by("position")
    assert (kept.state, kept.error) == (ReportImage.State.DONE, "")
    assert missing.state == ReportImage.State.FAILED and missing.error.startswith("not downloaded")
    assert kept.attempts == missing.attempts == 0
