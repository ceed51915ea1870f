"""Sitemaps (urlset), sitemap indexes (sitemapindex) and Google news sitemaps (news:news).

Elements are matched by local name, so the sitemaps.org namespace, Google's older 0.84 one and
namespace-less sitemaps all read the same. Which URLs are recent enough to record, and how many
child sitemaps to follow, is decided by discovery; this module only reads.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from newsdesk.sources.entries import (
    FeedEntry,
    InvalidFeed,
    ParsedFeed,
    SitemapRef,
    clean_url,
    make_entry,
    parse_w3c_datetime,
)
from newsdesk.sources.xmlsafe import local_name, namespace, text_of

URLSET = "urlset"
INDEX = "sitemapindex"
# The protocol's own ceiling on URLs per sitemap; anything beyond is not read.
MAX_LOCS = 50_000


def read_sitemap(root: etree._Element, base_url: str, since: datetime | None = None) -> ParsedFeed:
    """A parsed urlset or sitemapindex root; raises InvalidFeed for anything else.

    URLs dated before `since` are counted but not read further: a sitemap of a site's archive
    would otherwise cost a URL normalisation for each of its many thousand old pages.
    """
    name = local_name(root)
    if name == INDEX:
        return _read_index(root, base_url)
    if name != URLSET:
        raise InvalidFeed(f"not a sitemap: the document is <{name}>")
    entries: list[FeedEntry] = []
    news = False
    skipped = 0
    for url in _children(root, "url"):
        fields = _fields(url)
        loc = text_of(fields.get("loc"))
        if not loc:
            continue
        lastmod = parse_w3c_datetime(text_of(fields.get("lastmod")))
        item = fields.get("news")
        is_news = item is not None and "sitemap-news" in namespace(item)
        news = news or is_news
        published = _news_date(item) if item is not None and is_news else None
        published = published or lastmod
        if since is not None and published is not None and published < since:
            skipped += 1
            continue
        if item is not None and is_news:
            entry = _news_entry(loc, base_url, item, published)
        else:
            entry = make_entry(loc, base_url, published_at=published)
        if entry is not None:
            entries.append(entry)
    language = next((e.language for e in entries if e.language), "")
    return ParsedFeed("", "", language, entries, kind="sitemap", news=news, skipped=skipped)


def _read_index(root: etree._Element, base_url: str) -> ParsedFeed:
    refs: dict[str, SitemapRef] = {}
    for sitemap in _children(root, "sitemap"):
        fields = _fields(sitemap)
        url = clean_url(text_of(fields.get("loc")) or "", base_url)
        if url and url not in refs:
            refs[url] = SitemapRef(url, parse_w3c_datetime(text_of(fields.get("lastmod"))))
    return ParsedFeed("", "", "", [], kind="sitemapindex", sitemaps=tuple(refs.values()))


def _news_date(item: etree._Element) -> datetime | None:
    return parse_w3c_datetime(text_of(_fields(item).get("publication_date")))


def _news_entry(
    loc: str, base_url: str, item: etree._Element, published: datetime | None
) -> FeedEntry | None:
    news = _fields(item)
    publication = news.get("publication")
    language = text_of(_fields(publication).get("language")) if publication is not None else ""
    keywords = text_of(news.get("keywords")) or ""
    return make_entry(
        loc,
        base_url,
        title=text_of(news.get("title")) or "",
        published_at=published,
        categories=[k.strip() for k in keywords.split(",")],
        language=language or "",
    )


def _children(root: etree._Element, name: str) -> list[etree._Element]:
    found = []
    for child in root:
        if local_name(child) == name:
            found.append(child)
            if len(found) >= MAX_LOCS:
                break
    return found


def _fields(element: etree._Element) -> dict[str, etree._Element]:
    """Child elements by local name; the first of each name wins."""
    fields: dict[str, etree._Element] = {}
    for child in element:
        fields.setdefault(local_name(child), child)
    return fields
