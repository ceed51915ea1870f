"""Stage 3, extract: turn a fetched page into a report (text, title, author, dates, images)."""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import trafilatura
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from newsdesk.reports.dedupe import content_hash, find_original
from newsdesk.reports.images import store_image
from newsdesk.reports.metadata import PageMetadata, read_metadata
from newsdesk.reports.models import Link, Report, ReportImage

log = logging.getLogger(__name__)

MIN_WORDS = 40
OPINION_MARKERS = {
    "opinion",
    "comment",
    "commentary",
    "op-ed",
    "oped",
    "editorial",
    "column",
    "analysis-opinion",
    "رأي",
    "مقالات",
    "آراء",
}


class Unextractable(ValueError):
    """A page that holds no article we can use; the message says why."""


@dataclass(frozen=True)
class Extracted:
    url: str
    title: str
    text: str
    author: str
    language: str
    meta: PageMetadata


def extract_page(content: bytes, page_url: str, fallback_language: str = "") -> Extracted:
    """Main text and metadata of an article page; raises Unextractable with the reason."""
    if not content.strip():
        raise Unextractable("empty page")
    try:
        tree = lxml_html.document_fromstring(content)
    except (etree.ParserError, ValueError) as exc:
        raise Unextractable(f"not parseable as HTML: {exc}") from None
    meta = read_metadata(tree, page_url)
    # The tree parsed once serves both; trafilatura prunes it, so metadata is read first.
    document = trafilatura.bare_extraction(
        tree,
        url=page_url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    text = getattr(document, "text", None) or ""
    if len(text.split()) < MIN_WORDS:
        raise Unextractable(f"no article text found ({len(text.split())} words)")
    title = meta.title or getattr(document, "title", None) or ""
    if not title:
        raise Unextractable("no title found")
    text = _without_headline(text, [title, getattr(document, "title", None) or ""])
    author = meta.author or getattr(document, "author", None) or ""
    return Extracted(
        url=meta.canonical_url or page_url,
        title=" ".join(title.split()),
        text=text.strip(),
        author=author[:300],
        language=meta.language or fallback_language,
        meta=meta,
    )


def _without_headline(text: str, titles: list[str]) -> str:
    """Pages repeat the headline above the body; the report's text starts after it."""
    first, _, rest = text.partition("\n")
    folded = {" ".join(t.split()).casefold() for t in titles if t}
    return rest if rest and " ".join(first.split()).casefold() in folded else text


def is_opinion(url: str, section: str, categories: list[str]) -> bool:
    path_parts = {part.lower() for part in urlsplit(url).path.split("/") if part}
    labels = {label.strip().lower() for label in [section, *categories] if label}
    return bool((path_parts | labels) & OPINION_MARKERS)


def extract_link(link_id: int) -> Link.State:
    """Extract one fetched link into a report. Idempotent: re-running finds the stored report."""
    link = Link.objects.select_related("source").get(pk=link_id)
    if link.state != Link.State.FETCHED:
        return Link.State(link.state)
    try:
        content = gzip.decompress(bytes(link.body or b""))
        page = extract_page(content, link.final_url or link.url, link.source.language)
    except (Unextractable, OSError) as exc:
        Link.objects.filter(pk=link.pk, state=Link.State.FETCHED).update(
            state=Link.State.FAILED, error=f"cannot extract: {exc}", body=None
        )
        log.warning("source %s: page %s: cannot extract: %s", link.source.name, link.url, exc)
        return Link.State.FAILED
    report = _store_report(link, page)
    _store_images(report, page.meta, link.source.name)
    Link.objects.filter(pk=link.pk).update(
        state=Link.State.DONE, report=report, body=None, error=""
    )
    return Link.State.DONE


def _store_report(link: Link, page: Extracted) -> Report:
    existing = Report.objects.filter(url=page.url).first()
    if existing is not None:
        return existing
    meta = page.meta
    published = meta.published_at or link.feed_published_at
    digest = content_hash(page.text)
    now = timezone.now()
    original = find_original(page.text, digest, published or now)
    section = meta.section or (link.feed_categories[0] if link.feed_categories else "")
    kind = (
        Report.Kind.OPINION
        if is_opinion(page.url, section, link.feed_categories)
        else Report.Kind.NEWS
    )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                source=link.source,
                url=page.url,
                title=page.title,
                text=page.text,
                author=page.author,
                published_at=published,
                modified_at=meta.modified_at,
                fetched_at=link.fetched_at or now,
                language=page.language,
                section_hint=section[:100],
                kind=kind,
                content_hash=digest,
                duplicate_of=original,
            )
    except IntegrityError:
        # Another worker stored the same canonical URL first: that report is ours too.
        return Report.objects.get(url=page.url)
    return report


def _store_images(report: Report, meta: PageMetadata, outlet: str) -> None:
    # Positions already stored are skipped, so a re-run after a crash only adds what is missing.
    stored_positions = set(report.images.values_list("position", flat=True))
    for position, image in enumerate(meta.images[: settings.NEWSDESK_IMAGES_PER_REPORT]):
        if position in stored_positions:
            continue
        stored = store_image(image.url)
        path, width, height = stored if stored else ("", None, None)
        ReportImage.objects.get_or_create(
            report=report,
            position=position,
            defaults={
                "url": image.url,
                "file": path,
                "caption": image.caption[:1000],
                "credit": image.credit or outlet,
                "width": width,
                "height": height,
            },
        )
