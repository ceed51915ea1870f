"""Editors see the writer's decisions in the admin: the gate's verdicts and fallback reasons."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

from newsdesk.publishing.publish import publish_story
from newsdesk.sources.models import Source
from tests.llmserver import model_server, scripted_article
from tests.publishing.test_publish import FIRST, SECOND, add_report

pytestmark = pytest.mark.django_db

INVENTED = "Officials in Zagreb said 4,000 sailors had joined the strike on Sunday."


def test_gate_decisions_are_shown_in_the_admin(client: Client, settings: Settings) -> None:
    first = add_report(Source.objects.create(name="Adriatic Daily", slug="ad"), *FIRST)
    add_report(Source.objects.create(name="Coastal Wire", slug="cw"), *SECOND, hours=1)
    assert first.story_id is not None
    with model_server(scripted_article([INVENTED])) as server:
        settings.NEWSDESK_LLM_BASE_URL = server.base_url
        settings.NEWSDESK_LLM_MODEL = "scripted-7b"
        article = publish_story(first.story_id)
    assert article is not None and article.live_revision is not None
    User.objects.create_superuser("editor", "editor@example.org", "pw")
    client.login(username="editor", password="pw")
    revision_page = client.get(
        f"/admin/publishing/articlerevision/{article.live_revision.pk}/change/"
    )
    assert revision_page.status_code == 200
    text = revision_page.content.decode()
    assert "faithfulness gate" in text.lower() and "dropped" in text and "Zagreb" in text
    article_page = client.get(f"/admin/publishing/article/{article.pk}/change/")
    assert article_page.status_code == 200 and "Zagreb" in article_page.content.decode()
    listing = client.get("/admin/publishing/articlerevision/")
    assert listing.status_code == 200 and "scripted-7b" in listing.content.decode()
