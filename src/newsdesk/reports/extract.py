"""Stage 3, extract: turn a fetched page into a report (text, title, author, dates, images)."""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import trafilatura
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from lxml import etree

from newsdesk.reports.body import extract_body
from newsdesk.reports.body.text import reading_words
from newsdesk.reports.dedupe import (
    adopt_copies,
    find_original,
    fingerprint,
    published_first,
    store_keys,
)
from newsdesk.reports.metadata import PageMetadata, read_metadata
from newsdesk.reports.models import Link, Report, ReportImage
from newsdesk.reports.paywall import is_partial, strip_prompt
from newsdesk.sources.charset import parse_html
from newsdesk.tasks.leases import transaction_lock

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
    "opinions",
    "columns",
    "columnists",
    "editorials",
    "commentisfree",
    "op-eds",
    "مقال-رأي",
    "مقالات-رأي",
    "اراء",
    "أراء",
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
        tree = parse_html(content)
    except (etree.ParserError, ValueError) as exc:
        raise Unextractable(f"not parseable as HTML: {exc}") from None
    meta = read_metadata(tree, page_url)
    # The tree parsed once serves both; body extraction changes it, so metadata is read first.
    text = extract_body(tree, page_url, [meta.title])
    words = reading_words(text)
    if words < MIN_WORDS:
        raise Unextractable(f"no article text found ({words} words)")
    title, author = meta.title, meta.author
    if not title or not author:
        # trafilatura also reads bylines and <title>; it costs a pass, so only when needed.
        fallback = trafilatura.extract_metadata(tree, page_url)
        title = title or fallback.title or ""
        author = author or fallback.author or ""
    if not title:
        raise Unextractable("no title found")
    return Extracted(
        url=meta.canonical_url or page_url,
        title=" ".join(title.split()),
        text=text.strip(),
        author=author[:300],
        language=meta.language or fallback_language,
        meta=meta,
    )


def is_opinion(url: str, section: str, categories: list[str], marked: bool = False) -> bool:
    """Opinion by the page's own markup, its section or feed category, or its URL path."""
    if marked:
        return True
    path_parts = {unquote(part).lower() for part in urlsplit(url).path.split("/") if part}
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
        return save_extraction(link, exc)
    return save_extraction(link, page)


def save_extraction(link: Link, page: Extracted | Unextractable | OSError) -> Link.State:
    """Store what `extract_page` made of a fetched link: its report (DONE) or why not (FAILED).

    Split from `extract_link` so the CPU-bound `extract_page` can run in another process while
    the storing, which must see every earlier report (copies), stays in one place.
    """
    if isinstance(page, Exception):
        Link.objects.filter(pk=link.pk, state=Link.State.FETCHED).update(
            state=Link.State.FAILED, error=f"cannot extract: {page}", body=None
        )
        log.warning("source %s: page %s: cannot extract: %s", link.source.name, link.url, page)
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
    partial = is_partial(meta.paywall, page.text)
    # A paywall's "subscribe to continue reading" is not the outlet's reporting.
    text, _ = strip_prompt(page.text)
    published = meta.published_at or link.feed_published_at
    now = timezone.now()
    sketch = fingerprint(text)
    section = (
        meta.section
        or (link.feed_categories[0] if link.feed_categories else "")
        or meta.path_section
    )
    kind = (
        Report.Kind.OPINION
        if is_opinion(page.url, section, link.feed_categories, meta.opinion)
        else Report.Kind.NEWS
    )
    try:
        with transaction.atomic():
            # Workers store reports at once: a copy and its original must see each other, so
            # the lookup and the insert are serialised (a PostgreSQL advisory lock).
            transaction_lock("dedupe")
            existing = Report.objects.filter(url=page.url).first()
            if existing is not None:
                return existing
            original = find_original(text, sketch.digest, published or now, precomputed=sketch)
            # Of a copy and its original, the original is the one published first (ties: the
            # smaller URL), whichever was stored first: several workers store in any order.
            replaced = (
                original
                if original is not None and published_first(published or now, page.url, original)
                else None
            )
            report = Report.objects.create(
                source=link.source,
                url=page.url,
                title=page.title,
                text=text,
                author=page.author,
                published_at=published,
                modified_at=meta.modified_at,
                fetched_at=link.fetched_at or now,
                language=page.language,
                section_hint=section[:100],
                kind=kind,
                partial=partial,
                content_hash=sketch.digest,
                duplicate_of=None if replaced is not None else original,
            )
            # In the same transaction: an original is never stored without its band keys.
            if original is None or replaced is not None:
                store_keys(report.pk, sketch.keys)
            if replaced is not None:
                adopt_copies(report, replaced)
    except IntegrityError:
        # Another worker stored the same canonical URL first: that report is ours too.
        return Report.objects.get(url=page.url)
    return report


def _store_images(report: Report, meta: PageMetadata, outlet: str) -> None:
    # Only recorded: the images stage downloads them after the pages, concurrently and politely,
    # so extraction never waits on a picture. Positions already stored are kept, so a re-run
    # after a crash only adds what is missing.
    # A longer URL does not fit the column (PostgreSQL would refuse the whole report).
    usable = [image for image in meta.images if len(image.url) <= 2000]
    ReportImage.objects.bulk_create(
        [
            ReportImage(
                report=report,
                position=position,
                url=image.url,
                caption=image.caption[:1000],
                credit=(image.credit or outlet)[:300],
            )
            for position, image in enumerate(usable[: settings.NEWSDESK_IMAGES_PER_REPORT])
        ],
        ignore_conflicts=True,
    )
