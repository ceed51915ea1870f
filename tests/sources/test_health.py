"""Source health: backoff after failures, automatic pause and probes, pause/resume by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pytest_django.fixtures import Settings

from newsdesk.pipeline.runner import feeds_to_poll, run_pass
from newsdesk.sources.backoff import backoff_delay
from newsdesk.sources.health import record_failure, record_success
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.sources import feeds

pytestmark = pytest.mark.django_db


def test_backoff_doubles_with_jitter_up_to_its_cap() -> None:
    for attempts, full in [(1, 10), (2, 20), (3, 40), (4, 80), (9, 100), (500, 100)]:
        delays = [backoff_delay(attempts, base=10, cap=100) for _ in range(200)]
        assert all(full / 2 <= d <= full for d in delays), attempts
        assert max(delays) - min(delays) > full / 10  # jittered, not one value
    assert backoff_delay(0, base=10, cap=100) == 0


def source(name: str = "Lakeside Gazette", url: str = "http://127.0.0.1:9/feed.xml") -> Source:
    created = Source.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    Feed.objects.create(source=created, url=url)
    return created


def test_each_failure_puts_the_source_off_for_longer(settings: Settings) -> None:
    settings.NEWSDESK_POLL_INTERVAL = 600
    lakeside = source()
    previous = 0.0
    for failures in range(1, 5):
        before = timezone.now()
        record_failure(lakeside.pk, "HTTP 500")
        lakeside.refresh_from_db()
        wait = (lakeside.next_check_at - before).total_seconds()
        full = 600 * 2 ** (failures - 1)
        assert full / 2 - 1 <= wait <= full + 1 and lakeside.consecutive_failures == failures
        assert wait > previous / 2
        previous = wait
    assert lakeside.paused_at is None and lakeside.last_error == "HTTP 500"


def test_retry_after_longer_than_the_backoff_is_honoured() -> None:
    lakeside = source()
    before = timezone.now()
    record_failure(lakeside.pk, "HTTP 429", retry_after=6 * 3600)
    lakeside.refresh_from_db()
    assert lakeside.next_check_at >= before + timedelta(hours=6)


def test_many_failures_pause_the_source_until_a_probe_succeeds(settings: Settings) -> None:
    settings.NEWSDESK_SOURCE_PAUSE_AFTER = 3
    settings.NEWSDESK_SOURCE_PROBE_HOURS = 6
    lakeside = source()
    for _ in range(3):
        record_failure(lakeside.pk, "cannot connect")
    lakeside.refresh_from_db()
    assert lakeside.paused_at is not None
    probe = lakeside.next_check_at - timezone.now()
    assert timedelta(hours=5, minutes=59) < probe <= timedelta(hours=6)
    # A failed probe waits for the next one; it does not unpause.
    record_failure(lakeside.pk, "cannot connect")
    lakeside.refresh_from_db()
    assert lakeside.paused_at is not None and lakeside.consecutive_failures == 4
    record_success(lakeside.pk)
    lakeside.refresh_from_db()
    assert lakeside.paused_at is None and lakeside.next_check_at is None
    assert lakeside.consecutive_failures == 0 and lakeside.last_success_at is not None


def test_only_due_sources_are_polled() -> None:
    now = timezone.now()
    fresh = source("Fresh")
    waiting = source("Waiting", "http://127.0.0.1:9/w.xml")
    due = source("Due Again", "http://127.0.0.1:9/d.xml")
    paused = source("Paused", "http://127.0.0.1:9/p.xml")
    probe = source("Probe Due", "http://127.0.0.1:9/q.xml")
    disabled = source("Disabled", "http://127.0.0.1:9/x.xml")
    Source.objects.filter(pk=waiting.pk).update(next_check_at=now + timedelta(minutes=5))
    Source.objects.filter(pk=due.pk).update(next_check_at=now - timedelta(minutes=5))
    Source.objects.filter(pk=paused.pk).update(
        paused_at=now, next_check_at=now + timedelta(hours=20)
    )
    Source.objects.filter(pk=probe.pk).update(
        paused_at=now - timedelta(days=1), next_check_at=now - timedelta(seconds=1)
    )
    Source.objects.filter(pk=disabled.pk).update(active=False)
    polled = set(Feed.objects.filter(pk__in=feeds_to_poll()).values_list("source_id", flat=True))
    assert polled == {fresh.pk, due.pk, probe.pk}
    assert feeds_to_poll([waiting.pk, due.pk]) == list(due.feeds.values_list("id", flat=True))


def test_a_failing_source_is_left_alone_by_the_next_pass_and_a_probe_resumes_it(
    web: FixtureServer, settings: Settings
) -> None:
    settings.NEWSDESK_SOURCE_PAUSE_AFTER = 2
    web.routes["/feed.xml"] = Route(b"down", status=503, content_type="text/plain")
    lakeside = source(url=web.url("/feed.xml"))
    run_pass(source_ids=[lakeside.pk])
    asked = len(web.requests)
    run_pass(source_ids=[lakeside.pk])  # backing off: not asked
    assert len(web.requests) == asked
    lakeside.refresh_from_db()
    assert lakeside.consecutive_failures == 1 and lakeside.paused_at is None
    # Its time comes; it fails again and pauses.
    Source.objects.filter(pk=lakeside.pk).update(next_check_at=timezone.now())
    run_pass(source_ids=[lakeside.pk])
    lakeside.refresh_from_db()
    assert lakeside.paused_at is not None and lakeside.consecutive_failures == 2
    # The probe time comes and the site is back: one success resumes it.
    web.routes["/feed.xml"] = Route(
        feeds.render(feeds.RSS2, web.base_url), content_type="application/rss+xml"
    )
    Source.objects.filter(pk=lakeside.pk).update(next_check_at=timezone.now())
    run_pass(source_ids=[lakeside.pk])
    lakeside.refresh_from_db()
    assert lakeside.paused_at is None and lakeside.consecutive_failures == 0
    assert lakeside.last_status == "ok" and lakeside.links.count() == 2


def test_sources_pause_resume_and_list_show_the_state(
    capsys: pytest.CaptureFixture[str], settings: Settings
) -> None:
    settings.NEWSDESK_SOURCE_PROBE_HOURS = 12
    lakeside = source()
    source("Harbour Times", "http://127.0.0.1:9/h.xml")
    record_failure(Source.objects.get(name="Harbour Times").pk, "HTTP 500")
    call_command("sources", "pause", "lakeside-gazette")
    lakeside.refresh_from_db()
    assert lakeside.paused_at is not None
    assert lakeside.next_check_at > timezone.now() + timedelta(hours=11)
    call_command("sources", "list")
    listing = capsys.readouterr().out
    assert "paused since" in listing and "next probe" in listing
    assert "backing off until" in listing and "HTTP 500" in listing
    call_command("sources", "resume", "Lakeside Gazette")
    lakeside.refresh_from_db()
    assert lakeside.paused_at is None and lakeside.next_check_at is None
    assert "Lakeside Gazette: never polled" in capsys.readouterr().out
    assert lakeside.pk in set(
        Feed.objects.filter(pk__in=feeds_to_poll()).values_list("source_id", flat=True)
    )
    with pytest.raises(CommandError, match="no source named"):
        call_command("sources", "pause", "nobody")
