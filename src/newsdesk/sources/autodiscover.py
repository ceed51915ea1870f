"""Feed autodiscovery: from a homepage to the feeds or sitemaps that list its reports.

In order: the URL may itself be a feed or sitemap; else the page's <link rel="alternate">
announcements; else the usual feed paths (/feed, /rss...); else robots.txt's Sitemap: lines and
the usual sitemap paths. Every candidate is fetched and kept only if it really reads as a feed
or sitemap, whatever its URL or declared type suggests.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from newsdesk.sources.discover import FEED_ACCEPT
from newsdesk.sources.documents import SNIFF_BYTES, read_document, sniff_root
from newsdesk.sources.entries import InvalidFeed, ParsedFeed, clean_url, language_code, plain_text
from newsdesk.sources.http import FetchError, FetchResult, fetch
from newsdesk.sources.models import Feed

PAGE_ACCEPT = FEED_ACCEPT.replace("*/*;q=0.5", "text/html;q=0.8, */*;q=0.5")
# Declared types of announced feeds; application/json is also WordPress's REST API, which the
# check by content then drops.
FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "application/xml",
    "text/xml",
}
WELL_KNOWN_FEEDS = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
)
WELL_KNOWN_SITEMAPS = ("/sitemap_news.xml", "/news-sitemap.xml", "/sitemap.xml")
SITEMAP_KINDS = {Feed.Kind.SITEMAP, Feed.Kind.SITEMAP_INDEX}
# Bounds on how many candidates one `sources add` fetches.
MAX_ANNOUNCED = 10
MAX_ROBOTS_SITEMAPS = 10


class NoFeedFound(ValueError):
    pass


@dataclass(frozen=True)
class FoundFeed:
    url: str
    kind: str
    title: str
    language: str
    # The site the feed says it belongs to.
    link: str
    news: bool = False


@dataclass(frozen=True)
class Discovery:
    # The page or document given, after redirects.
    url: str
    # The site's name and language as the page declares them ("" when it was a feed).
    site_name: str
    language: str
    feeds: tuple[FoundFeed, ...]
    # The URL given was itself a feed or sitemap.
    is_feed: bool


@dataclass(frozen=True)
class Page:
    site_name: str
    language: str
    announced: tuple[str, ...]


def autodiscover(url: str) -> Discovery:
    """What `url` offers; raises FetchError when it cannot be read, NoFeedFound when it has none."""
    result = fetch(url, accept=PAGE_ACCEPT)
    try:
        parsed = read_document(result.content, result.final_url)
    except InvalidFeed as exc:
        not_a_feed = str(exc)
    else:
        itself = _found(result.final_url, parsed)
        return Discovery(itself.url, "", parsed.language, (itself,), is_feed=True)
    if not _is_html(result):
        raise NoFeedFound(f"{url} is neither a feed, a sitemap nor an HTML page ({not_a_feed})")
    page = read_page(result.content, result.final_url)
    tried: dict[str, str] = {}
    feeds = [feed for href in page.announced if (feed := _check(href, tried)) is not None]
    if not feeds:
        feeds = _probe(_origin(result.final_url), tried)
    if not feeds:
        raise NoFeedFound(_nothing_found(url, page, tried))
    return Discovery(result.final_url, page.site_name, page.language, tuple(feeds), is_feed=False)


def read_page(content: bytes, base_url: str) -> Page:
    """The site name, language and announced feed URLs of an HTML page."""
    try:
        tree = lxml_html.document_fromstring(content)
    except (etree.ParserError, ValueError):
        return Page("", "", ())
    base = tree.find(".//base[@href]")
    if base is not None:
        base_url = clean_url(base.get("href", ""), base_url) or base_url
    announced: list[str] = []
    comments: list[str] = []
    for link in tree.iter("link"):
        rel = set((link.get("rel") or "").lower().split())
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        announces = ("alternate" in rel and kind in FEED_TYPES) or ("feed" in rel and not kind)
        url = clean_url(link.get("href") or "", base_url) if announces else None
        if url is None or "stylesheet" in rel:
            continue
        # WordPress and co. announce a comments feed beside the articles feed.
        is_comments = "comment" in (link.get("title") or "").lower() or "/comments" in url
        (comments if is_comments else announced).append(url)
    urls = list(dict.fromkeys(announced or comments))[:MAX_ANNOUNCED]
    return Page(_site_name(tree), _page_language(tree), tuple(urls))


def robots_sitemaps(origin: str) -> list[str]:
    """The Sitemap: lines of the site's robots.txt (none when it cannot be read)."""
    try:
        result = fetch(origin + "/robots.txt", accept="text/plain")
    except FetchError:
        return []
    urls: list[str] = []
    for line in result.content.decode("utf-8", errors="replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and (url := clean_url(value.strip(), origin)):
            urls.append(url)
    return list(dict.fromkeys(urls))[:MAX_ROBOTS_SITEMAPS]


def _probe(origin: str, tried: dict[str, str]) -> list[FoundFeed]:
    """The first feed at a usual path; failing that, news sitemaps, or else one sitemap."""
    sitemaps: list[FoundFeed] = []
    for path in WELL_KNOWN_FEEDS:
        feed = _check(origin + path, tried)
        if feed is not None and feed.kind not in SITEMAP_KINDS:
            return [feed]
        if feed is not None:
            sitemaps.append(feed)
    candidates = [*robots_sitemaps(origin), *(origin + path for path in WELL_KNOWN_SITEMAPS)]
    for url in candidates:
        feed = _check(url, tried)
        if feed is not None:
            sitemaps.append(feed)
    news = [feed for feed in sitemaps if feed.news]
    return news or sitemaps[:1]


def _check(url: str, tried: dict[str, str]) -> FoundFeed | None:
    """The candidate as a feed, or None (the reason kept in `tried`); each URL is read once."""
    if url in tried:
        return None
    try:
        result = fetch(url, accept=FEED_ACCEPT)
        parsed = read_document(result.content, result.final_url)
    except FetchError as exc:
        tried[url] = exc.reason
        return None
    except InvalidFeed as exc:
        tried[url] = str(exc)
        return None
    tried[url] = "ok"
    final = clean_url(result.final_url, result.final_url) or url
    # /rss redirecting to /feed/ already found under /feed is the same feed.
    if final != url and tried.get(final) == "ok":
        return None
    tried[final] = "ok"
    return _found(final, parsed)


def _found(url: str, parsed: ParsedFeed) -> FoundFeed:
    return FoundFeed(
        url=clean_url(url, url) or url,
        kind=parsed.kind,
        title=parsed.title,
        language=parsed.language,
        link=parsed.link,
        news=parsed.news,
    )


def _is_html(result: FetchResult) -> bool:
    if "html" in result.content_type.lower():
        return True
    head = result.content[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    return sniff_root(head) in {"html", "head", "body"}


def _site_name(tree: lxml_html.HtmlElement) -> str:
    for xpath in ('.//meta[@property="og:site_name"]', './/meta[@name="application-name"]'):
        node = tree.find(xpath)
        if node is not None and (name := plain_text(node.get("content") or "")):
            return name[:200]
    title = tree.find(".//title")
    return plain_text(title.text_content() if title is not None else "")[:200]


def _page_language(tree: lxml_html.HtmlElement) -> str:
    # The HTML parser keeps xml:lang as a plain attribute name.
    declared = [tree.get("lang") or tree.get("xml:lang") or ""]
    for meta in tree.iter("meta"):
        names = {(meta.get(a) or "").lower() for a in ("http-equiv", "property", "name")}
        if names & {"content-language", "og:locale"}:
            declared.append(meta.get("content") or "")
    return next((code for value in declared if (code := language_code(value))), "")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _nothing_found(url: str, page: Page, tried: dict[str, str]) -> str:
    if page.announced:
        failures = "; ".join(f"{href}: {tried.get(href, 'not read')}" for href in page.announced)
        announced = f"the feeds it announces cannot be read ({failures})"
    else:
        announced = 'no feed announced (no <link rel="alternate"> to RSS, Atom or JSON Feed)'
    paths = ", ".join((*WELL_KNOWN_FEEDS, *WELL_KNOWN_SITEMAPS))
    nowhere = f"and no feed or sitemap in robots.txt or at {paths}"
    return f"no feed found on {url}: {announced}, {nowhere}"
