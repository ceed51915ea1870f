"""write_story / publish_revision: revisions keyed on the story revision, published in order;
the model writer behind settings, its failures and the gate's decisions kept for editors;
stories in other languages with and without a backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from newsdesk.publishing.models import Article, ArticleRevision, ArticleSentence
from newsdesk.publishing.publish import publish_revision, publish_story, write_story
from newsdesk.sources.models import Source
from newsdesk.writing.gate import check
from newsdesk.writing.models import ReportTranslation
from tests.llmserver import ModelServer, chat, down_url, model_server, scripted_article
from tests.publishing.test_publish import FIRST, SECOND, add_report

pytestmark = pytest.mark.django_db

ARABIC = (
    "استئناف رحلات العبارات بين سبليت وأنكونا بعد انتهاء الإضراب",
    "استؤنفت رحلات العبارات بين مدينة سبليت في كرواتيا وأنكونا في إيطاليا يوم الثلاثاء بعد "
    "إضراب استمر ثلاثة أيام نفذه عمال الميناء.\n"
    "وقالت الشركة المشغلة إن 14 رحلة ستسير هذا الأسبوع لنقل نحو 6000 مسافر عالقين.\n"
    "وأوضحت رئيسة النقابة إيفانا ماريتش أن الاتفاق يرفع الأجور بنسبة 7 في المئة على مدى عامين.",
)
INVENTED = "Pirates seized the Golan Star ferry near Ancona on Friday, taking 95 hostages."


@pytest.fixture
def outlets() -> list[Source]:
    return [
        Source.objects.create(name="Adriatic Daily", slug="adriatic-daily"),
        Source.objects.create(name="Coastal Wire", slug="coastal-wire"),
        Source.objects.create(name="Al Bahr", slug="al-bahr", language="ar"),
    ]


@pytest.fixture
def model(settings: Settings) -> Iterator[ModelServer]:
    with model_server(scripted_article([INVENTED])) as server:
        settings.NEWSDESK_LLM_BASE_URL = server.base_url
        settings.NEWSDESK_LLM_MODEL = "scripted-7b"
        settings.NEWSDESK_LLM_TIMEOUT = 3.0
        yield server


def test_write_story_is_idempotent_per_story_revision(outlets: list[Source]) -> None:
    report = add_report(outlets[0], *FIRST)
    story_id = report.story_id
    assert story_id is not None
    first = write_story(story_id)
    assert first is not None and write_story(story_id) == first
    assert ArticleRevision.objects.count() == 1
    assert not Article.objects.exists()  # written, not yet live
    article_id = publish_revision(first)
    assert article_id is not None and publish_revision(first) == article_id
    article = Article.objects.get(pk=article_id)
    assert article.live_revision_id == first and article.revision_count == 1


def test_an_older_revision_is_ignored(outlets: list[Source]) -> None:
    report = add_report(outlets[0], *FIRST)
    story_id = report.story_id
    assert story_id is not None
    old = write_story(story_id)
    add_report(outlets[1], *SECOND, hours=3)
    new = write_story(story_id)
    assert old is not None and new is not None and new != old
    article_id = publish_revision(new)
    assert publish_revision(old) is None  # arrives late: the newer one stays live
    article = Article.objects.get(pk=article_id)
    assert article.live_revision_id == new and article.revision_count == 1


def test_rewrite_shows_updated_and_the_list_of_revisions(
    outlets: list[Source], client: Client
) -> None:
    first = add_report(outlets[0], *FIRST)
    story_id = first.story_id
    assert story_id is not None
    article = publish_story(story_id)
    assert article is not None
    slug = article.slug
    add_report(outlets[1], *SECOND, hours=3)
    rewritten = publish_story(story_id)
    assert rewritten is not None and rewritten.slug == slug
    numbers = list(
        ArticleRevision.objects.filter(story_id=story_id).values_list("number", flat=True)
    )
    assert numbers == [1, 2]
    page = client.get(rewritten.get_absolute_url()).content.decode()
    assert "Updated" in page and 'id="revisions-title"' in page
    assert 'id="revision-1"' in page and 'id="revision-2"' in page
    assert "adding Coastal Wire" in page


def test_model_article_is_gated_and_its_decisions_kept(
    outlets: list[Source], model: ModelServer, client: Client
) -> None:
    add_report(outlets[0], *FIRST)
    report = add_report(outlets[1], *SECOND, hours=1)
    assert report.story_id is not None
    article = publish_story(report.story_id)
    assert article is not None and article.writer == "scripted-7b"
    revision = article.live_revision
    assert revision is not None and revision.fallback_reason == ""
    dropped = [d for d in revision.gate if d["part"] == "sentence" and not d["kept"]]
    assert [d["text"] for d in dropped] == [INVENTED]
    sentences = ArticleSentence.objects.filter(section__article=article)
    assert sentences and not any(s.verbatim for s in sentences)
    for sentence in sentences:
        assert "Golan" not in sentence.rendered
        cited = [s.report.text[s.start : s.end] for s in sentence.sources.all()]
        assert check(sentence.text, cited).supported
    page = client.get(article.get_absolute_url()).content.decode()
    assert "the model scripted-7b" in page
    assert "For editors: the faithfulness check" in page and "Golan Star" in page


@pytest.mark.parametrize("where", ["down", "refusing"])
def test_backend_failure_publishes_the_extractive_article_with_the_reason(
    outlets: list[Source], settings: Settings, where: str
) -> None:
    settings.NEWSDESK_LLM_MODEL = "absent-model"
    settings.NEWSDESK_LLM_TIMEOUT = 3.0
    report = add_report(outlets[0], *FIRST)
    assert report.story_id is not None
    if where == "down":
        settings.NEWSDESK_LLM_BASE_URL = down_url()
        article = publish_story(report.story_id)
    else:
        with model_server(lambda _: chat("I'm sorry, I can't write that.")) as server:
            settings.NEWSDESK_LLM_BASE_URL = server.base_url
            article = publish_story(report.story_id)
    assert article is not None and article.writer == "extractive"
    assert article.live_revision is not None
    reason = article.live_revision.fallback_reason
    assert reason.startswith("down: cannot connect" if where == "down" else "refused")
    for sentence in ArticleSentence.objects.filter(section__article=article):
        source = sentence.sources.get(rank=0)
        assert report.text[source.start : source.end] == sentence.text


def test_all_foreign_story_without_backend_is_published_untranslated(
    outlets: list[Source], client: Client
) -> None:
    report = add_report(outlets[2], *ARABIC)
    report.language = "ar"
    report.save()
    assert report.story_id is not None
    article = publish_story(report.story_id)
    assert article is not None
    assert article.language == "ar" and article.direction == "rtl" and article.untranslated
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'lang="ar" dir="rtl"' in page and "Untranslated" in page


def test_all_foreign_story_with_backend_is_translated(
    outlets: list[Source], model: ModelServer
) -> None:
    report = add_report(outlets[2], *ARABIC)
    report.language = "ar"
    report.save()
    assert report.story_id is not None
    Article.objects.filter(story_id=report.story_id).delete()
    revision_id = write_story(report.story_id)
    assert revision_id is not None
    revision = ArticleRevision.objects.get(pk=revision_id)
    assert revision.language == "en" and revision.translated_from == ["ar"]
    assert not revision.untranslated
    translation = ReportTranslation.objects.get(report=report)
    assert translation.source_language == "ar" and translation.model == "scripted-7b"
    # The translation is kept: a rewrite does not ask for it again.
    asked = len(model.requests)
    ArticleRevision.objects.all().delete()
    write_story(report.story_id)
    assert len(model.requests) == asked + 1  # the article only


def test_mixed_story_without_backend_is_written_from_site_language_reports(
    outlets: list[Source],
) -> None:
    english = add_report(outlets[0], *FIRST)
    arabic = add_report(outlets[2], *ARABIC, hours=1)
    arabic.language = "ar"
    arabic.story_id = english.story_id
    arabic.save()
    assert english.story_id is not None
    article = publish_story(english.story_id)
    assert article is not None and article.language == "en" and not article.untranslated
    primaries = set(
        ArticleSentence.objects.filter(section__article=article, sources__rank=0).values_list(
            "sources__report_id", flat=True
        )
    )
    assert primaries == {english.pk}
    assert set(article.refs.values_list("report_id", flat=True)) == {english.pk, arabic.pk}
