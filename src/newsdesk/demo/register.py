"""The demo outlets as newsdesk sources, pointing at the loopback demo server."""

from __future__ import annotations

from urllib.parse import urlsplit

from newsdesk.demo.corpus import Corpus, answer_key
from newsdesk.demo.scoring import BCubed, b_cubed
from newsdesk.reports.models import Report
from newsdesk.sources.models import Feed, Source


def register_demo_sources(corpus: Corpus, base_url: str) -> list[int]:
    """Create or refresh one source per demo outlet; idempotent."""
    base = base_url.rstrip("/")
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
