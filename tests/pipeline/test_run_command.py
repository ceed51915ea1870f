"""`newsdesk run`: a dead source is reported, backed off, and never stops the loop."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from newsdesk.reports.models import Report
from newsdesk.sources.models import Feed, Source
from tests.httpfixture import FixtureServer, Route
from tests.reports.pages import article_page
from tests.sources import feeds

pytestmark = pytest.mark.django_db


def test_run_keeps_polling_past_a_dead_source(
    web: FixtureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    live = Source.objects.create(name="Live Outlet", slug="live-outlet")
    Feed.objects.create(source=live, url=web.url("/feed.xml"))
    dead = Source.objects.create(name="Dead Outlet", slug="dead-outlet")
    Feed.objects.create(source=dead, url="http://127.0.0.1:9/feed.xml")
    web.routes["/feed.xml"] = Route(
        feeds.render(feeds.RSS2, web.base_url), content_type="application/rss+xml"
    )
    web.routes["/a/bridge.html"] = Route(article_page())
    web.routes["/a/harvest.html"] = Route(article_page(title="Harvest", paragraphs=["x " * 50]))

    call_command("run", passes=2, interval=1, no_serve=True)

    err = capsys.readouterr().err
    # Reported by the first pass, then left alone while it backs off; the loop goes on.
    assert err.count("Dead Outlet: http://127.0.0.1:9/feed.xml: cannot connect") == 1
    assert err.count("pass done") == 2
    assert Report.objects.filter(source=live).count() >= 1
    dead.refresh_from_db()
    assert dead.consecutive_failures == 1 and dead.last_status == "error"
    assert dead.next_check_at is not None and dead.next_check_at > timezone.now()


def test_run_refuses_a_nonsense_interval() -> None:
    Source.objects.create(name="Any", slug="any")
    with pytest.raises(CommandError, match="interval"):
        call_command("run", passes=1, interval=-5, no_serve=True)
