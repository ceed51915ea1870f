"""Merged stories: the absorbed story's article address leads (301) to the surviving article."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import IO

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from newsdesk.pipeline.runner import stories_to_publish
from newsdesk.publishing.models import Article, ArticleRedirect
from newsdesk.publishing.publish import publish_story
from newsdesk.publishing.redirects import live_story, redirect_target, retire_article
from newsdesk.publishing.slugs import make_slug
from newsdesk.reports.dedupe import content_hash
from newsdesk.reports.models import Report
from newsdesk.sources.models import Source
from newsdesk.stories.corrections import merge_stories, move_report
from newsdesk.stories.models import Story

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 18, 7, 0, tzinfo=UTC)

# One fictional event told by three outlets; each report starts a story of its own, as an
# online clusterer may do before the stories turn out to be one event.
TRAM = (
    "Lisbon tram 28 halted after landslip near Graça",
    "Tram line 28 in Lisbon stopped running on Wednesday after a landslip covered the track "
    "below the Graça viewpoint.\n"
    "City transport officials said about 40 metres of rail were buried under soil and stones "
    "washed down by overnight rain.\n"
    "Engineer Rui Tavares said crews expected to reopen the line within four days once the "
    "retaining wall above the track had been checked.",
)
TRAM_WIRE = (
    "Heavy rain buries Lisbon tram track, line 28 suspended",
    "Overnight rain in Lisbon loosened a slope above the Graça district and sent soil across "
    "the rails of tram line 28 early on Wednesday.\n"
    "The city's transport company replaced the trams with buses between Martim Moniz and "
    "Prazeres while the track is cleared.\n"
    "Residents said the retaining wall above the street had shown cracks for several months.",
)
TRAM_LOCAL = (
    "Buses replace Lisbon's tram 28 while landslip is cleared",
    "Buses carried passengers along the route of Lisbon's tram 28 on Wednesday after soil from "
    "a landslip blocked the track near Graça.\n"
    "Transport officials said the replacement service would run every twelve minutes until "
    "the line reopens.\n"
    "Shop owners on the route said tourists had started to walk the hill instead.",
)


class _NoFollow(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> None:
        return None


def http_get(url: str) -> tuple[int, str, str]:
    """Status, Location header and body of a real HTTP GET, redirects not followed."""
    opener = urllib.request.build_opener(_NoFollow)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read().decode()


def story_of(outlet: str, title: str, text: str, hours: float = 0) -> Story:
    """A story holding one report of ``outlet``, as clustering would have stored it."""
    source = Source.objects.create(name=outlet, slug=outlet.lower().replace(" ", "-"))
    when = T0 + timedelta(hours=hours)
    story = Story.objects.create(
        first_seen_at=when, last_updated_at=when, event_time=when, latest_time=when, report_count=1
    )
    Report.objects.create(
        source=source,
        story=story,
        url=f"http://{source.slug}.test/{content_hash(title)[:8]}",
        title=title,
        text=text,
        published_at=when,
        fetched_at=timezone.now(),
        language="en",
        content_hash=content_hash(text),
    )
    return story


def published(story: Story) -> Article:
    article = publish_story(story.pk)
    assert article is not None
    return article


def publish_pass() -> None:
    """The publishing stage of a pass: what the runner lists, in its order."""
    for story_id in stories_to_publish():
        publish_story(story_id)


def url_of(story: Story) -> str:
    return Article.objects.get(story=story).get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_the_absorbed_article_redirects_to_the_survivor_over_http(live_server: LiveServer) -> None:
    survivor = story_of("Tagus Post", *TRAM)
    absorbed = story_of("Atlantic Wire", *TRAM_WIRE, hours=1)
    old = published(absorbed)
    published(survivor)
    assert http_get(live_server.url + old.get_absolute_url())[0] == 200

    merge_stories(survivor.pk, absorbed.pk)
    publish_pass()

    new = Article.objects.get(story=survivor)
    status, location, _ = http_get(live_server.url + old.get_absolute_url())
    assert status == 301
    assert location == new.get_absolute_url()
    status, _, html = http_get(live_server.url + location)
    assert status == 200 and new.headline in html
    # The surviving article now tells the event from both outlets' reports.
    assert set(new.refs.values_list("report__source__name", flat=True)) == {
        "Tagus Post",
        "Atlantic Wire",
    }
    assert not Article.objects.filter(story=absorbed).exists()


@pytest.mark.parametrize("publish_between", [True, False], ids=["publish-between", "one-pass"])
def test_a_chain_of_merges_redirects_straight_to_the_last_survivor(
    client: Client, publish_between: bool
) -> None:
    a = story_of("Tagus Post", *TRAM)
    b = story_of("Atlantic Wire", *TRAM_WIRE, hours=1)
    c = story_of("Graça Herald", *TRAM_LOCAL, hours=2)
    publish_pass()
    url_a, url_b = url_of(a), url_of(b)

    merge_stories(b.pk, a.pk)
    if publish_between:
        publish_pass()
        assert client.get(url_a)["Location"] == url_of(b)
    merge_stories(c.pk, b.pk)
    publish_pass()

    url_c = url_of(c)
    for old in (url_a, url_b):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == url_c
    # Every row points at the live story, so no redirect is resolved through a hop.
    assert set(ArticleRedirect.objects.values_list("story_id", flat=True)) == {c.pk}
    assert live_story(a.pk) == c and client.get(url_c).status_code == 200


def test_publishing_again_changes_nothing(client: Client) -> None:
    survivor = story_of("Tagus Post", *TRAM)
    absorbed = story_of("Atlantic Wire", *TRAM_WIRE, hours=1)
    publish_pass()
    old_url = url_of(absorbed)
    merge_stories(survivor.pk, absorbed.pk)
    publish_pass()
    kept = Article.objects.get(story=survivor)

    assert stories_to_publish() == []
    publish_pass()
    assert publish_story(absorbed.pk) is None
    retire_article(Story.objects.get(pk=absorbed.pk))

    assert list(ArticleRedirect.objects.values_list("slug", "story_id")) == [
        (old_url.strip("/").split("/")[-1], survivor.pk)
    ]
    assert list(Article.objects.values_list("pk", "story_revision")) == [
        (kept.pk, kept.story_revision)
    ]
    assert client.get(old_url)["Location"] == kept.get_absolute_url()


def test_the_retired_article_is_gone_from_every_list(client: Client) -> None:
    survivor = story_of("Tagus Post", *TRAM)
    absorbed = story_of("Atlantic Wire", *TRAM_WIRE, hours=1)
    publish_pass()
    old = Article.objects.get(story=absorbed)
    pages = ["/", f"/section/{old.section.lower()}/"]
    pages += [f"/place/{slug}/" for slug in old.places.values_list("slug", flat=True)]
    assert all(old.get_absolute_url() in client.get(page).content.decode() for page in pages)

    merge_stories(survivor.pk, absorbed.pk)
    publish_pass()

    new_url = url_of(survivor)
    for page in pages:
        html = client.get(page).content.decode()
        assert old.get_absolute_url() not in html, page
    assert new_url in client.get("/").content.decode()


def test_a_redirect_whose_live_story_has_no_article_yet_is_a_404(client: Client) -> None:
    absorbed = story_of("Atlantic Wire", *TRAM_WIRE, hours=1)
    old_url = published(absorbed).get_absolute_url()
    survivor = story_of("Tagus Post", *TRAM)  # not published yet
    merge_stories(survivor.pk, absorbed.pk)

    assert publish_story(absorbed.pk) is None  # retired before the survivor is written
    assert ArticleRedirect.objects.filter(story=survivor).count() == 1
    assert client.get(old_url).status_code == 404

    publish_pass()
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == url_of(survivor)


def test_a_story_emptied_by_moves_redirects_where_its_reports_went(client: Client) -> None:
    target = story_of("Tagus Post", *TRAM)
    emptied = story_of("Atlantic Wire", *TRAM_WIRE, hours=1)
    publish_pass()
    old_url = url_of(emptied)

    move_report(Report.objects.get(story=emptied).pk, target.pk)
    assert Story.objects.get(pk=emptied.pk).merged_into_id == target.pk
    publish_pass()

    assert client.get(old_url)["Location"] == url_of(target)


def test_tombstones_are_listed_only_while_they_hold_an_article() -> None:
    empty = story_of("Graça Herald", *TRAM_LOCAL, hours=1)
    absorbed = story_of("Atlantic Wire", *TRAM_WIRE, hours=-1)
    survivor = story_of("Tagus Post", *TRAM)
    publish_pass()
    merge_stories(survivor.pk, empty.pk)
    Article.objects.filter(story=empty).delete()  # as if retired already
    merge_stories(survivor.pk, absorbed.pk)

    # The survivor is written before the tombstone's article is retired, so that the old
    # address leads somewhere at once, though by event time and id the tombstone comes first.
    assert Story.objects.get(pk=survivor.pk).event_time == T0 - timedelta(hours=1)
    assert stories_to_publish() == [survivor.pk, absorbed.pk]
    publish_pass()
    assert stories_to_publish() == []


def test_merges_that_loop_keep_the_article() -> None:
    a = story_of("Tagus Post", *TRAM)
    b = story_of("Atlantic Wire", *TRAM_WIRE, hours=1)
    publish_pass()
    # A corrupted chain; merge_stories never makes one, but the reader must not hang on it.
    Story.objects.filter(pk=a.pk).update(merged_into=b, revision=F("revision") + 1)
    Story.objects.filter(pk=b.pk).update(merged_into=a, revision=F("revision") + 1)

    assert live_story(a.pk) is None and live_story(b.pk) is None
    assert publish_story(a.pk) is None
    assert Article.objects.count() == 2 and not ArticleRedirect.objects.exists()
    ArticleRedirect.objects.create(slug="gone-1", story=a)
    assert redirect_target("gone-1") is None


def test_a_retired_slug_is_never_given_to_a_new_article() -> None:
    story = story_of("Tagus Post", *TRAM)
    ArticleRedirect.objects.create(slug=f"tram-line-closed-{story.pk}", story=story)
    slug = make_slug("Tram line closed", story.pk)
    assert slug == f"tram-line-closed-{story.pk}-2"
    assert redirect_target("no-such-slug") is None
