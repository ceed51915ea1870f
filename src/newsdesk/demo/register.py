"""The demo outlets as newsdesk sources, pointing at the loopback demo server."""

from __future__ import annotations

from urllib.parse import urlsplit

from newsdesk.demo.corpus import Corpus, answer_key
from newsdesk.demo.scoring import BCubed, b_cubed
from newsdesk.reports.models import Report
from newsdesk.sources.models import Feed, Source


class DemoMoved(ValueError):
    """The demo was ingested here from another address; ingesting again would copy it."""


def register_demo_sources(corpus: Corpus, base_url: str) -> list[int]:
    """Create or refresh one source per demo outlet; idempotent.

    Report URLs include the demo server's address, so a demo already ingested from another
    address is refused rather than stored a second time under new URLs.
    """
    base = base_url.rstrip("/")
    elsewhere = (
        Report.objects.filter(source__slug__startswith="demo-")
        .exclude(url__startswith=base + "/")
        .values_list("url", flat=True)
        .first()
    )
    if elsewhere is not None:
        parts = urlsplit(elsewhere)
        raise DemoMoved(
            f"this database already holds the demo ingested from {parts.scheme}://{parts.netloc}; "
            f"run it again from there (--source-port {parts.port}) or use another NEWSDESK_HOME"
        )
    ids: list[int] = []
    for outlet in corpus.outlets.values():
        source, _ = Source.objects.update_or_create(
            slug=f"demo-{outlet.slug}",
            defaults={
                # Arabic outlets sign in Arabic: their name reads right in Arabic articles.
                "name": outlet.display_name,
                "homepage": base + outlet.home_path,
                "language": outlet.language,
                "country": outlet.country,
                "default_section": outlet.default_section,
            },
        )
        # Nothing was ingested from an older address: its feed can simply be replaced.
        source.feeds.exclude(url=base + outlet.feed_path).delete()
        Feed.objects.get_or_create(url=base + outlet.feed_path, defaults={"source": source})
        ids.append(source.pk)
    return ids


def demo_reports(source_ids: list[int]) -> list[Report]:
    return list(Report.objects.filter(source_id__in=source_ids).order_by("id"))


def score_demo(corpus: Corpus, source_ids: list[int]) -> tuple[BCubed, int, int]:
    """(B-cubed against the answer key, number of gold events, number of stories made)."""
    gold = answer_key(corpus)
    reports = demo_reports(source_ids)
    predicted = {urlsplit(r.url).path: r.story_id for r in reports if r.story_id is not None}
    stories = {r.story_id for r in reports if r.story_id is not None}
    return b_cubed(predicted, gold), len(set(gold.values())), len(stories)
