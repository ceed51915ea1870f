"""What a fetched document is, told from its content: never from its URL or declared type.

Servers label feeds text/html, sitemaps application/octet-stream and JSON Feeds text/plain, and
the same URL can change format; so the bytes decide. Gzip-compressed documents (sitemap.xml.gz)
are inflated first, within the page size limit.
"""

from __future__ import annotations

import re
import zlib
from datetime import datetime

from django.conf import settings

from newsdesk.sources.entries import InvalidFeed, ParsedFeed
from newsdesk.sources.jsonfeed import read_json_feed
from newsdesk.sources.sitemaps import INDEX, URLSET, read_sitemap
from newsdesk.sources.syndication import read_syndication
from newsdesk.sources.xmlsafe import InvalidXML, local_name, parse_xml

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 65536
SYNDICATION_ROOTS = {"rss", "rdf", "feed", "channel"}
SITEMAP_ROOTS = {URLSET.lower(), INDEX.lower()}
# What precedes the root element: the XML declaration, processing instructions, comments, the
# DOCTYPE with its internal subset, whitespace.
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S | re.I)
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def read_document(content: bytes, base_url: str, since: datetime | None = None) -> ParsedFeed:
    """Any feed or sitemap, with ParsedFeed.kind saying which; raises InvalidFeed otherwise.

    `since` leaves out sitemap URLs dated before it (counted in ParsedFeed.skipped); feeds are
    always read whole.
    """
    if content[:2] == GZIP_MAGIC:
        content = inflate(content, settings.NEWSDESK_FETCH_MAX_BYTES)
    head = content[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise InvalidFeed("invalid feed: the document is empty")
    if head[:1] in (b"{", b"["):
        return read_json_feed(content, base_url)
    root_name = sniff_root(head)
    if root_name in SYNDICATION_ROOTS:
        try:
            return read_syndication(content, base_url)
        except InvalidFeed as exc:
            # libxml2 says where a feed breaks more plainly than feedparser's expat does.
            raise InvalidFeed(_syntax_error(content) or str(exc)) from None
    if root_name == "html":
        raise InvalidFeed("not a feed: an HTML page")
    try:
        root = parse_xml(content)
    except InvalidXML as exc:
        return _read_broken(content, base_url, root_name, exc, since)
    name = local_name(root).lower()
    if name in SITEMAP_ROOTS:
        return read_sitemap(root, base_url, since)
    if name == "html":
        raise InvalidFeed("not a feed: an HTML page")
    # Whatever else is XML: feedparser knows the odd old variants, or says it is no feed.
    return read_syndication(content, base_url)


def sniff_root(head: bytes) -> str:
    """The root element's local name, lower-cased, from the document's first bytes ("" if none)."""
    position = 0
    while match := _PROLOG.match(head, position):
        position = match.end()
    root = _ROOT.match(head[position:].lstrip())
    return root.group(2).decode("ascii").lower() if root else ""


def _read_broken(
    content: bytes, base_url: str, root_name: str, error: InvalidXML, since: datetime | None
) -> ParsedFeed:
    """A document that is not well-formed XML: used if what can be read of it lists URLs."""
    if root_name in SITEMAP_ROOTS:
        try:
            parsed = read_sitemap(parse_xml(content, recover=True), base_url, since)
        except (InvalidXML, InvalidFeed):
            parsed = None
        if parsed is not None and (parsed.entries or parsed.sitemaps or parsed.skipped):
            return parsed
        raise InvalidFeed(f"invalid sitemap: {error}")
    try:
        return read_syndication(content, base_url)
    except InvalidFeed:
        raise InvalidFeed(f"invalid feed: {error}") from None


def _syntax_error(content: bytes) -> str:
    try:
        parse_xml(content)
    except InvalidXML as exc:
        return f"invalid feed: {exc}"
    return ""


def inflate(content: bytes, limit: int) -> bytes:
    """Gunzip within `limit` bytes of output, so a gzip bomb costs nothing."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(content, limit + 1)
    except zlib.error as exc:
        raise InvalidFeed(f"invalid feed: broken gzip data ({exc})") from None
    if len(data) > limit:
        raise InvalidFeed(f"invalid feed: gzip-compressed document inflates past {limit} bytes")
    return data
