"""Adding sources: the curated default list, and a homepage or feed URL given by a person."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from lxml import etree
from lxml import html as lxml_html

from newsdesk.sources.discover import FEED_ACCEPT, InvalidFeed, read_feed
from newsdesk.sources.http import fetch
from newsdesk.sources.models import Feed, Source
from newsdesk.sources.urlnorm import is_http_url, normalize_url

DEFAULTS = Path(__file__).parent / "data" / "default_sources.json"
FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
}


@dataclass(frozen=True)
class FoundSource:
    name: str
    homepage: str
    feeds: tuple[str, ...]
    language: str


def install_default_sources(path: Path = DEFAULTS) -> int:
    entries = json.loads(path.read_text(encoding="utf-8"))
    added = 0
    for entry in entries:
        _, created = save_source(
            FoundSource(entry["name"], entry["homepage"], tuple(entry["feeds"]), entry["language"]),
            country=entry.get("country", ""),
            section=entry.get("section", "World"),
        )
        added += created
    return added


@transaction.atomic
def save_source(
    found: FoundSource, country: str = "", section: str = "World"
) -> tuple[Source, bool]:
    slug = slugify(found.name) or slugify(found.homepage)
    source, created = Source.objects.get_or_create(
        slug=slug,
        defaults={
            "name": found.name,
            "homepage": found.homepage,
            "language": found.language,
            "country": country.upper()[:2],
            "default_section": section,
        },
    )
    for url in found.feeds:
        Feed.objects.get_or_create(url=url, defaults={"source": source})
    return source, created


def find_source(url: str) -> FoundSource:
    """What a URL offers: a feed itself, or a homepage announcing its feeds. Raises ValueError."""
    if not is_http_url(url):
        raise ValueError(f"not an http(s) URL: {url}")
    result = fetch(url, accept=FEED_ACCEPT + ", text/html;q=0.8")
    try:
        feed = read_feed(result.content, result.final_url)
    except InvalidFeed:
        pass
    else:
        return FoundSource(
            feed.title or result.final_url,
            feed.link or result.final_url,
            (normalize_url(result.final_url),),
            feed.language,
        )
    try:
        tree = lxml_html.document_fromstring(result.content)
    except (etree.ParserError, ValueError):
        raise ValueError(f"{url} is neither a feed nor an HTML page") from None
    feeds = tuple(
        normalize_url(link.get("href", ""), result.final_url)
        for link in tree.iterfind(".//link[@rel='alternate']")
        if (link.get("type") or "").lower() in FEED_TYPES and link.get("href")
    )
    if not feeds:
        raise ValueError(f'no feed announced on {url} (no <link rel="alternate"> to RSS or Atom)')
    title_node = tree.find(".//title")
    name = " ".join((title_node.text_content() if title_node is not None else url).split())
    language = (tree.get("lang") or "").split("-")[0].lower()
    return FoundSource(name, normalize_url(result.final_url), tuple(dict.fromkeys(feeds)), language)
