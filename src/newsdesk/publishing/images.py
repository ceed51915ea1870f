"""The images of an article: downloaded images of its reports, one per report, at most four."""

from __future__ import annotations

from django.db import transaction

from newsdesk.publishing.models import Article, ArticleImage
from newsdesk.reports.models import Report, ReportImage
from newsdesk.stories.models import Story

MAX_IMAGES = 4


def refresh_images(article_id: int) -> bool:
    """Give an article the images of its reports that were downloaded after it was written.

    Images are downloaded in a stage of their own, so one may arrive a pass after its article;
    the article shows it at once, without a rewrite. Returns whether the images changed.
    """
    with transaction.atomic():
        article = Article.objects.get(pk=article_id)
        # The same lock as publish_revision: a rewrite under way finishes first.
        Story.objects.select_for_update().filter(pk=article.story_id).first()
        before = list(article.images.order_by("position").values_list("image_id", flat=True))
        reports = list(
            Report.objects.filter(story=article.story_id, kind=Report.Kind.NEWS).order_by(
                "published_at", "id"
            )
        )
        chosen = choose_images(reports)
        if [image.pk for image in chosen] == before:
            return False
        set_images(article, chosen)
    return True


def store_images(article: Article, reports: list[Report]) -> None:
    set_images(article, choose_images(reports))


def set_images(article: Article, chosen: list[ReportImage]) -> None:
    article.images.all().delete()
    ArticleImage.objects.bulk_create(
        ArticleImage(article=article, image=image, position=i) for i, image in enumerate(chosen)
    )


def choose_images(reports: list[Report]) -> list[ReportImage]:
    """Downloaded images only (one not yet downloaded would show broken), one per report."""
    chosen: list[ReportImage] = []
    seen_files: set[str] = set()
    images = (
        ReportImage.objects.filter(report__in=reports, state=ReportImage.State.DONE)
        .exclude(file="")
        .order_by("report__published_at", "report_id", "position")
    )
    for image in images:
        if image.file in seen_files or any(c.report_id == image.report_id for c in chosen):
            continue
        seen_files.add(image.file)
        chosen.append(image)
        if len(chosen) >= MAX_IMAGES:
            break
    return chosen
