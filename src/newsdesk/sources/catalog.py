"""Adding sources: the curated default list, and a homepage or feed URL given by a person."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from newsdesk.sources.autodiscover import autodiscover
from newsdesk.sources.models import Feed, Source
from newsdesk.sources.urlnorm import is_http_url, normalize_url

log = logging.getLogger(__name__)

DEFAULTS = Path(__file__).parent / "data" / "default_sources.json"
# Every entry of the default list has these; "section" is optional (default "World").
REQUIRED_FIELDS = ("name", "homepage", "feeds", "language", "country")


@dataclass(frozen=True)
class FoundSource:
    name: str
    homepage: str
    feeds: tuple[str, ...]
    language: str
    # Feed URL -> the kind it was found to be (Feed.Kind), when it was read.
    kinds: dict[str, str] = field(default_factory=dict, compare=False)


def load_default_sources(path: Path = DEFAULTS) -> list[object]:
    """The entries of a default-source file; raises ValueError when the file is unreadable."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read the source list {path}: {exc}") from None
    if not isinstance(entries, list):
        raise ValueError(f"the source list {path} is not a JSON list of sources")
    return entries


def default_source_problems(entry: object) -> list[str]:
    """What is wrong with one entry of the default list (nothing when it is usable)."""
    if not isinstance(entry, dict):
        return ["not a JSON object"]
    problems = [f"no {key}" for key in REQUIRED_FIELDS if not entry.get(key)]
    feeds = entry.get("feeds")
    if feeds and (not isinstance(feeds, list) or not all(isinstance(f, str) for f in feeds)):
        problems.append("feeds is not a list of URLs")
    elif feeds:
        problems += [f"not an http(s) URL: {f}" for f in feeds if not is_http_url(f)]
    homepage = entry.get("homepage")
    if homepage and not (isinstance(homepage, str) and is_http_url(homepage)):
        problems.append(f"homepage is not an http(s) URL: {homepage}")
    for key, length in (("language", (2, 3)), ("country", (2, 2))):
        value = entry.get(key)
        if value and not (
            isinstance(value, str) and value.isalpha() and length[0] <= len(value) <= length[1]
        ):
            problems.append(f"{key} is not an ISO code: {value}")
    return problems


def install_default_sources(path: Path = DEFAULTS) -> int:
    """Add the sources of the list not known yet; a bad entry is skipped with a warning."""
    added = 0
    for number, entry in enumerate(load_default_sources(path), start=1):
        problems = default_source_problems(entry)
        if problems or not isinstance(entry, dict):
            log.warning("%s: entry %d skipped: %s", path.name, number, "; ".join(problems))
            continue
        _, created = save_source(
            FoundSource(entry["name"], entry["homepage"], tuple(entry["feeds"]), entry["language"]),
            country=entry["country"],
            section=entry.get("section", "World"),
        )
        added += created
    return added


@transaction.atomic
def save_source(
    found: FoundSource, country: str = "", section: str = "World"
) -> tuple[Source, bool]:
    """The source with its feeds, created unless one of that name (or slug) exists."""
    name = found.name.strip()[:200]
    # A name in Arabic script slugifies to nothing; the host names the source then.
    host = (urlsplit(found.homepage).hostname or "").removeprefix("www.")
    slug = slugify(name) or slugify(host.replace(".", "-")) or "source"
    source = Source.objects.filter(Q(slug=slug) | Q(name=name)).first()
    created = source is None
    if source is None:
        source = Source.objects.create(
            name=name,
            slug=slug,
            homepage=found.homepage,
            language=found.language,
            country=country.upper()[:2],
            default_section=section,
        )
    for url in found.feeds:
        Feed.objects.get_or_create(
            url=url, defaults={"source": source, "kind": found.kinds.get(url, "")}
        )
    return source, created


def find_source(url: str) -> FoundSource:
    """What a URL offers: a feed or sitemap itself, or a homepage with its feeds.

    Raises ValueError (NoFeedFound) with a readable reason, or FetchError.
    """
    if not is_http_url(url):
        raise ValueError(f"not an http(s) URL: {url}")
    found = autodiscover(url)
    first = found.feeds[0]
    parts = urlsplit(found.url)
    host = parts.hostname or found.url
    if found.is_feed:
        name = first.title or host
        homepage = first.link or f"{parts.scheme}://{parts.netloc}/"
    else:
        name = found.site_name or first.title or host
        homepage = found.url
    language = found.language or next((f.language for f in found.feeds if f.language), "")
    return FoundSource(
        name,
        normalize_url(homepage),
        tuple(feed.url for feed in found.feeds),
        language,
        kinds={feed.url: feed.kind for feed in found.feeds},
    )
