"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read by hand: the format is small.

Every field is checked for its type, since a hostile or careless feed can put anything anywhere;
an item that makes no sense is skipped and the rest are used.
"""

from __future__ import annotations

import json
from typing import Any

from newsdesk.sources.entries import (
    FeedEntry,
    InvalidFeed,
    ParsedFeed,
    clean_url,
    language_code,
    make_entry,
    parse_w3c_datetime,
    plain_text,
)


def read_json_feed(content: bytes, base_url: str) -> ParsedFeed:
    try:
        # json.loads refuses a UTF-8 byte order mark, which some servers prepend.
        document = json.loads(content.removeprefix(b"\xef\xbb\xbf"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidFeed(f"invalid JSON Feed: not JSON ({exc})") from None
    except RecursionError:
        raise InvalidFeed("invalid JSON Feed: nested too deeply") from None
    if not isinstance(document, dict):
        raise InvalidFeed("invalid JSON Feed: the document is not a JSON object")
    version = document.get("version")
    # 1.0 feeds sometimes say http://; the version is checked on its path only.
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version:
        raise InvalidFeed("not a JSON Feed: no jsonfeed.org version")
    items = document.get("items")
    if not isinstance(items, list):
        raise InvalidFeed("invalid JSON Feed: no list of items")
    feed_language = _str(document.get("language"))
    entries = [
        entry
        for item in items
        if isinstance(item, dict) and (entry := _entry(item, base_url, feed_language)) is not None
    ]
    return ParsedFeed(
        title=plain_text(_str(document.get("title"))),
        link=clean_url(_str(document.get("home_page_url")), base_url) or "",
        language=language_code(feed_language),
        entries=entries,
        kind="json",
    )


def _entry(item: dict[str, Any], base_url: str, feed_language: str) -> FeedEntry | None:
    # url is the item's own page; external_url is what it links to (a link post).
    url = _str(item.get("url")) or _str(item.get("external_url"))
    published = parse_w3c_datetime(_str(item.get("date_published"))) or parse_w3c_datetime(
        _str(item.get("date_modified"))
    )
    tags = item.get("tags")
    return make_entry(
        url,
        base_url,
        title=_str(item.get("title")),
        published_at=published,
        categories=[tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else (),
        summary=_str(item.get("summary")) or _str(item.get("content_text")),
        language=_str(item.get("language")) or feed_language,
    )


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
