"""What every kind of feed document yields, and the cleaning each entry goes through.

RSS, Atom, JSON Feed and sitemaps are read by their own modules; all of them hand back a
ParsedFeed whose entries passed through `make_entry`, so hostile input (script tags in titles,
javascript: links, endless category lists) is neutralised in one place.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree
from lxml import html as lxml_html

from newsdesk.sources.urlnorm import is_http_url, normalize_url

# Link.url is a URLField of 2000 characters; longer URLs are not articles anyway.
MAX_URL_LENGTH = 2000
MAX_TITLE_LENGTH = 1000
MAX_SUMMARY_LENGTH = 5000
MAX_CATEGORIES = 20
MAX_CATEGORY_LENGTH = 100
BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "td")


class InvalidFeed(ValueError):
    """A document that is not a readable feed or sitemap; the message says why, for people."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published_at: datetime | None
    categories: tuple[str, ...]
    summary: str = ""
    language: str = ""


@dataclass(frozen=True)
class SitemapRef:
    """A child sitemap listed by a sitemap index."""

    url: str
    lastmod: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    language: str
    entries: list[FeedEntry]
    # What the document turned out to be: one of Feed.Kind's values.
    kind: str = ""
    sitemaps: tuple[SitemapRef, ...] = ()
    # A Google news sitemap: its entries carry news:news metadata.
    news: bool = False
    # Entries left out unread as older than asked for (sitemaps only).
    skipped: int = 0


def make_entry(
    raw_url: str,
    base_url: str,
    *,
    title: str = "",
    published_at: datetime | None = None,
    categories: tuple[str, ...] | list[str] = (),
    summary: str = "",
    language: str = "",
) -> FeedEntry | None:
    """A clean entry, or None when its URL is not an http(s) article URL."""
    url = clean_url(raw_url, base_url)
    if url is None:
        return None
    cleaned = (plain_text(c)[:MAX_CATEGORY_LENGTH] for c in categories if isinstance(c, str))
    return FeedEntry(
        url=url,
        title=plain_text(title)[:MAX_TITLE_LENGTH],
        published_at=published_at,
        categories=tuple(dict.fromkeys(c for c in cleaned if c))[:MAX_CATEGORIES],
        summary=plain_text(summary)[:MAX_SUMMARY_LENGTH],
        language=language_code(language),
    )


def clean_url(raw_url: str, base_url: str) -> str | None:
    """The canonical absolute form of a listed URL; None for javascript:, data:, mailto: and co."""
    raw_url = raw_url.strip()
    if not raw_url or len(raw_url) > MAX_URL_LENGTH:
        return None
    try:
        url = normalize_url(raw_url, base_url)
    except ValueError:  # urlsplit refuses some malformed hosts ("http://[x")
        return None
    if not is_http_url(url) or len(url) > MAX_URL_LENGTH:
        return None
    return url


def plain_text(value: str) -> str:
    """Text with any markup removed (script and style with their content), spaces collapsed."""
    if not isinstance(value, str):
        return ""
    if "<" in value:
        try:
            fragment = lxml_html.fragment_fromstring(value, create_parent="div")
        except (etree.ParserError, ValueError):
            pass
        else:
            for node in list(fragment.iter("script", "style")):
                node.drop_tree()
            # "<p>One</p><p>Two</p>" reads "One Two", not "OneTwo".
            for node in fragment.iter(*BLOCK_TAGS):
                node.tail = " " + (node.tail or "")
            value = fragment.text_content()
    elif "&" in value:
        value = html.unescape(value)
    return " ".join(value.split())


def language_code(value: str) -> str:
    """ISO 639-1 part of a language tag: "en-GB", "en_gb" and "EN" are all "en"."""
    if not isinstance(value, str):
        return ""
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else ""


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """A W3C/RFC 3339 date or date-time (sitemaps, JSON Feed), in UTC; None when unreadable."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
