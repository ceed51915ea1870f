"""Page metadata that trafilatura does not give precisely: canonical URL, times, images...

Each field is read from the most deliberate markup first: JSON-LD and meta tags that the
publisher writes for search engines and social cards, then microdata and ``<time>`` elements,
then what the URL itself says. Values that are not plausible (a canonical pointing to the
homepage or another site, a date in 1970, an author that is a profile URL) are skipped in
favour of the next source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from newsdesk.reports.dates import parse_datetime
from newsdesk.reports.language import page_language
from newsdesk.reports.paywall import PaywallSignal, markup_signal
from newsdesk.sources.urlnorm import is_http_url, normalize_url

__all__ = ["PageImage", "PageMetadata", "parse_datetime", "path_section", "read_metadata"]


@dataclass(frozen=True)
class PageImage:
    url: str
    caption: str = ""
    credit: str = ""


@dataclass
class PageMetadata:
    canonical_url: str = ""
    title: str = ""
    author: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    # The section the page's markup names; ``path_section`` is the URL's guess, a last resort.
    section: str = ""
    path_section: str = ""
    language: str = ""
    images: list[PageImage] = field(default_factory=list)
    # The page's markup calls it opinion (schema.org type or genre).
    opinion: bool = False
    # What in the markup says the page is a teaser or paywalled; None when nothing does.
    paywall: PaywallSignal | None = None


ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "scholarlyarticle",
        "techarticle",
    }
)
OPINION_TYPES = frozenset({"opinionnewsarticle"})
OPINION_GENRES = frozenset({"opinion", "commentary", "editorial", "op-ed", "column", "رأي"})

PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "citation_publication_date",
    "date",
)
MODIFIED_KEYS = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "modified_time",
    "datemodified",
    "lastmod",
    "last-modified",
    "dc.date.modified",
    "dcterms.modified",
    "sailthru.lastmodified",
)
AUTHOR_KEYS = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "citation_author",
)
SECTION_KEYS = ("article:section", "parsely-section", "section", "og:section", "sailthru.section")

# Path segments that are not sections: formats, languages, generic containers.
_GENERIC_SEGMENTS = frozenset(
    {
        "news",
        "article",
        "articles",
        "story",
        "stories",
        "post",
        "posts",
        "content",
        "amp",
        "live",
        "video",
        "videos",
        "index",
        "page",
        "pages",
        "item",
        "items",
        "node",
        "www",
        "home",
        "latest",
        "breaking",
        "html",
        "detail",
        "details",
        "read",
        "view",
        "doc",
        "id",
        "topic",
        "topics",
        "tag",
        "tags",
        "category",
        "categories",
        "section",
        "sections",
        "أخبار",
        "اخبار",
        "الأخبار",
        "خبر",
    }
)
# More than a report could use (NEWSDESK_IMAGES_PER_REPORT keeps a few): galleries stop here.
MAX_INLINE_IMAGES = 20
_LOCALE = re.compile(r"[a-z]{2}[-_][a-z]{2}")
_SEGMENT = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_NAME_SPLIT = re.compile(r"\s*(?:;|\||,|،|&|\band\b|\bو\s)\s*")
_BY = re.compile(r"^(?:by|from|written by|بقلم|كتب|كتبت)\s*:?\s+", re.IGNORECASE)
_ROLE_WORDS = re.compile(
    r"\b(?:staff|correspondent|editor|reporter|writer|contributor|agencies|desk|team|"
    r"updated|published)\b",
    re.IGNORECASE,
)
_CREDIT_CLASS = re.compile(
    r"credit|copyright|photographer|attribution|byline|source|author", re.IGNORECASE
)
# "Photo: X", "(Photograph by X)", "Credit: X", "© X", "صورة: X", "تصوير: X".
_CREDIT_MARKER = re.compile(
    r"\(?\s*(?:\b(?:photo(?:graph)?s?|picture|pic|image|credit|illustration)\s*(?::|\bby\b)"
    r"|(?:حقوق الصورة|مصدر الصورة|الصورة|صورة|تصوير)\s*:|©)\s*",
    re.IGNORECASE,
)
_SIDE_CONTENT = re.compile(
    r"related|recommend|promo|teaser|sidebar|most-?read|popular|newsletter|advert|\bads?\b|"
    r"author-?(?:photo|image|avatar)|avatar|logo|share|social|comment",
    re.IGNORECASE,
)


def read_metadata(tree: lxml_html.HtmlElement, page_url: str) -> PageMetadata:
    """Everything the page's markup says about the article; run before trafilatura prunes it."""
    props, multi = _meta_tags(tree)
    ld_items = list(_json_ld_items(tree))
    article = next((item for item in ld_items if _types(item) & ARTICLE_TYPES), {})
    meta = PageMetadata()
    root = _article_root(tree)
    meta.canonical_url = _canonical(tree, props, page_url)
    meta.title = _title(props, article)
    meta.authors = _authors(tree, props, multi, article)
    meta.author = ", ".join(meta.authors)
    # Later sources are only searched when the earlier ones give no plausible date.
    meta.published_at = _first_date(
        lambda: [article.get("datePublished"), *(props.get(k) for k in PUBLISHED_KEYS)],
        lambda: [_parsely(props).get("pub_date")],
        lambda: _microdata_date(tree, "datePublished"),
        lambda: _time_element(root),
    )
    meta.modified_at = _first_date(
        lambda: [article.get("dateModified"), *(props.get(k) for k in MODIFIED_KEYS)],
        lambda: _microdata_date(tree, "dateModified"),
    )
    if meta.modified_at and meta.published_at and meta.modified_at < meta.published_at:
        meta.modified_at = None
    meta.section = _section(props, article)
    meta.path_section = path_section(meta.canonical_url or page_url)
    meta.language = page_language(
        [
            tree.get("lang") or "",
            tree.get("xml:lang") or "",
            props.get("content-language", ""),
            props.get("dc.language", ""),
            props.get("language", ""),
            props.get("og:locale", ""),
            _string(article.get("inLanguage")),
        ],
        _text_sample(tree, meta.title),
    )
    meta.images = _images(root, props, article, page_url)
    genre = {g.strip().lower() for g in _strings(article.get("genre"))}
    meta.opinion = bool(_types(article) & OPINION_TYPES or genre & OPINION_GENRES)
    meta.paywall = markup_signal(tree, root, props, ld_items)
    return meta


# --- sources of values ---------------------------------------------------------------


def _meta_tags(tree: lxml_html.HtmlElement) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Meta tags by name: the first value of each, and every value (authors can repeat)."""
    first: dict[str, str] = {}
    every: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        key = (
            node.get("property")
            or node.get("name")
            or node.get("itemprop")
            or node.get("http-equiv")
            or ""
        )
        key = key.strip().lower()
        content = " ".join((node.get("content") or "").split())
        if key and content:
            first.setdefault(key, content)
            every.setdefault(key, []).append(content)
    return first, every


def _json_ld_items(tree: lxml_html.HtmlElement) -> Iterator[dict[str, object]]:
    """Every object in the page's JSON-LD, lists and ``@graph`` unfolded."""
    for node in tree.iter("script"):
        if (node.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (node.text or "").strip()
        # Some templates wrap the data in an HTML comment or CDATA for old browsers.
        raw = re.sub(r"^(?:<!--|//\s*<!\[CDATA\[)|(?:-->|//\s*\]\]>)$", "", raw).strip()
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        yield from _unfold(data)


def _unfold(data: object, depth: int = 0) -> Iterator[dict[str, object]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _unfold(entry, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _unfold(data["@graph"], depth + 1)
        else:
            yield data
            main = data.get("mainEntity")
            if isinstance(main, dict | list):
                yield from _unfold(main, depth + 1)


def _types(item: dict[str, object]) -> set[str]:
    return {t.strip().lower() for t in _strings(item.get("@type"))}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _string(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _parsely(props: dict[str, str]) -> dict[str, object]:
    try:
        data = json.loads(props.get("parsely-page", "") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _text(node: etree._Element | None) -> str:
    return " ".join(node.text_content().split()) if node is not None else ""


# --- fields --------------------------------------------------------------------------


def _canonical(tree: lxml_html.HtmlElement, props: dict[str, str], page_url: str) -> str:
    """rel=canonical, then og:url, when they name this page on this site; else the page URL."""
    page = normalize_url(page_url)
    hrefs = [
        node.get("href", "")
        for node in tree.iter("link")
        if "canonical" in (node.get("rel") or "").lower().split()
    ]
    for href in [*hrefs, props.get("og:url", "")]:
        href = href.strip()
        if not href or any(ch.isspace() for ch in href):
            continue
        url = normalize_url(href, page_url)
        if _plausible_canonical(url, page):
            return url
    return page


def _plausible_canonical(url: str, page: str) -> bool:
    if not is_http_url(url):
        return False
    target, here = urlsplit(url), urlsplit(page)
    host = target.hostname or ""
    if not re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+|localhost", host):
        return False
    # A canonical on another site would merge two outlets' reports into one; a canonical to
    # the homepage is a template default, not this article.
    if _site(host) != _site(here.hostname or ""):
        return False
    return target.path.strip("/") != "" or here.path.strip("/") == ""


def _site(host: str) -> str:
    """The registrable part of a host, near enough: "www.bbc.co.uk" -> "bbc.co.uk"."""
    if re.fullmatch(r"[\d.]+", host):
        return host
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def _title(props: dict[str, str], article: dict[str, object]) -> str:
    for value in (
        props.get("og:title", ""),
        _string(article.get("headline")),
        props.get("twitter:title", ""),
        props.get("parsely-title", ""),
        props.get("dc.title", ""),
    ):
        title = " ".join(value.split())
        site = props.get("og:site_name", "")
        if site and title.endswith(site):
            title = re.sub(r"\s*[|\-–—:·]\s*$", "", title[: -len(site)]) or title
        if title:
            return title
    return ""


def _authors(
    tree: lxml_html.HtmlElement,
    props: dict[str, str],
    multi: dict[str, list[str]],
    article: dict[str, object],
) -> list[str]:
    raw: list[str] = []
    ld_author = article.get("author") or article.get("creator")
    for entry in ld_author if isinstance(ld_author, list) else [ld_author]:
        raw.append(_string(entry))
    if not any(raw):
        for key in AUTHOR_KEYS:
            raw.extend(multi.get(key, []))
        raw.extend(_parsely_authors(props))
    if not any(raw):
        for node in tree.xpath("//*[@itemprop='author']"):
            name = node.find(".//*[@itemprop='name']")
            raw.append(name.get("content") or _text(name) if name is not None else _text(node))
        raw.extend(_text(node) for node in tree.xpath("//a[@rel='author']"))
    names: list[str] = []
    for value in raw:
        for name in _NAME_SPLIT.split(_BY.sub("", value.strip())):
            name = _BY.sub("", name.strip(" .·-"))
            if _plausible_name(name) and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return names


def _parsely_authors(props: dict[str, str]) -> list[str]:
    authors = _parsely(props).get("author") or _parsely(props).get("authors")
    return _strings(authors)


def _plausible_name(name: str) -> bool:
    if not name or len(name) > 80 or "://" in name or "@" in name or name.startswith("www."):
        return False
    if _ROLE_WORDS.search(name) or not any(ch.isalpha() for ch in name):
        return False
    return len(name.split()) <= 6


def _first_date(*sources: Callable[[], list[object]]) -> datetime | None:
    """The first plausible date among the sources' candidates, in the order given."""
    for source in sources:
        for value in source():
            parsed = parse_datetime(_string(value) if isinstance(value, dict | list) else value)
            if parsed is not None:
                return parsed
    return None


def _microdata_date(tree: lxml_html.HtmlElement, prop: str) -> list[object]:
    return [
        node.get("datetime") or node.get("content") or _text(node)
        for node in tree.xpath("//*[@itemprop=$prop]", prop=prop)
        if node.tag != "meta"
    ]


def _time_element(root: etree._Element) -> list[object]:
    """The article's own ``<time>``: marked as the publication time, or the first in the article.

    Times in lists of other stories (sidebars, related links) are never taken.
    """
    marked = root.xpath(
        ".//time[@datetime][@pubdate or contains(@class, 'publish') or contains(@class, 'posted')]"
    )
    for node in marked:
        if not _in_side_content(node, root):
            return [node.get("datetime", "")]
    for node in root.iter("time"):
        if node.get("datetime") and not _in_side_content(node, root):
            return [node.get("datetime", "")]
    return []


def _in_side_content(node: etree._Element, root: etree._Element) -> bool:
    """Whether the node sits in a sidebar, a list of other stories, a share bar... under root."""
    for ancestor in node.iterancestors():
        if ancestor is root or ancestor.tag in {"body", "html"}:
            return False
        if ancestor.tag in {"aside", "nav", "footer", "li"}:
            return True
        names = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if _SIDE_CONTENT.search(names):
            return True
    return False


def _section(props: dict[str, str], article: dict[str, object]) -> str:
    for value in (props.get("article:section", ""), _string(article.get("articleSection"))):
        if value.strip():
            return " ".join(value.split())[:100]
    for key in SECTION_KEYS[1:]:
        if props.get(key, "").strip():
            return props[key].strip()[:100]
    return ""


def path_section(url: str) -> str:
    """The first word-like segment of a URL path: "/world/2026/11/slug" -> "World".

    Dates, ids, languages and generic words ("news", "article") are not sections, and the
    last segment is the article's own slug.
    """
    segments = [unquote(s) for s in urlsplit(url).path.split("/") if s]
    for segment in segments[:-1]:
        lowered = segment.lower()
        if lowered in _GENERIC_SEGMENTS or len(lowered) < 3 or len(lowered) > 30:
            continue
        if _LOCALE.fullmatch(lowered):  # "/en-us/health/...": a language edition
            continue
        if _SEGMENT.fullmatch(lowered) and lowered.count("-") <= 2:
            words = lowered.split("-")
            return " ".join(w.capitalize() if w.isascii() else w for w in words)
    return ""


def _text_sample(tree: lxml_html.HtmlElement, title: str) -> str:
    """Title and the first paragraphs: enough letters to tell the script, cheap to gather."""
    parts = [title]
    for index, node in enumerate(tree.iter("p")):
        parts.append(node.text_content())
        if index >= 20:
            break
    return " ".join(parts)[:3000]


# --- images --------------------------------------------------------------------------


def _images(
    root: etree._Element,
    props: dict[str, str],
    article: dict[str, object],
    page_url: str,
) -> list[PageImage]:
    """The lead image first (og:image, else JSON-LD), then the article's inline images."""
    inline = _inline_images(root, page_url)
    by_url = {image.url: image for image in inline}
    lead: PageImage | None = None
    ld_images = _ld_images(article.get("image"), page_url)
    og = props.get("og:image") or props.get("og:image:url") or props.get("og:image:secure_url")
    if og:
        url = normalize_url(og, page_url)
        ld_match = next((i for i in ld_images if i.url == url), None)
        if is_http_url(url):
            lead = by_url.get(url) or PageImage(
                url,
                props.get("og:image:alt", "") or (ld_match.caption if ld_match else ""),
                ld_match.credit if ld_match else "",
            )
    elif ld_images:
        lead = by_url.get(ld_images[0].url) or ld_images[0]
    if lead is None:
        return inline
    return [lead, *(image for image in inline if image.url != lead.url)]


def _ld_images(value: object, page_url: str) -> list[PageImage]:
    images: list[PageImage] = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, str):
            url, caption, credit = entry, "", ""
        elif isinstance(entry, dict):
            url = _string(entry.get("url") or entry.get("contentUrl") or "")
            caption = _string(entry.get("caption") or entry.get("description") or "")
            credit = (
                _string(entry.get("creditText"))
                or _string(entry.get("copyrightHolder"))
                or _string(entry.get("author"))
            )
        else:
            continue
        url = normalize_url(url, page_url) if url else ""
        if is_http_url(url):
            images.append(PageImage(url, caption, credit))
    return images


def _article_root(tree: lxml_html.HtmlElement) -> etree._Element:
    """The element that holds the article: its images are the article's, the rest are not."""
    # Story cards in lists are <article> elements too: the article is the one with most text.
    articles = list(tree.iter("article"))
    if articles:
        return max(articles, key=lambda node: len(node.text_content()))
    scope = tree.xpath("//*[@itemscope][contains(@itemtype, 'Article')]")
    if scope:
        return scope[0]
    body = tree.find(".//*[@itemprop='articleBody']")
    if body is not None:
        # The lead figure often sits just above the body element, beside it in one parent.
        parent = body.getparent()
        return parent if parent is not None and parent.tag != "body" else body
    main = tree.find(".//main")
    if main is not None:
        return main
    body = tree.find(".//body")
    return body if body is not None else tree


def _inline_images(root: etree._Element, page_url: str) -> list[PageImage]:
    """The article's images; on a page without article markup, only those in a <figure>."""
    images: list[PageImage] = []
    seen: set[str] = set()
    whole_page = root.tag in {"body", "html"}
    for img in root.iter("img"):
        if len(images) >= MAX_INLINE_IMAGES:
            break
        figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
        if (whole_page and figure is None) or _in_side_content(img, root) or _tiny(img):
            continue
        url = _image_url(img, page_url)
        if not url or url in seen:
            continue
        caption_node = figure.find(".//figcaption") if figure is not None else None
        caption, credit = _caption_and_credit(caption_node)
        seen.add(url)
        images.append(PageImage(url, caption or (img.get("alt") or "").strip(), credit))
    return images


def _tiny(img: etree._Element) -> bool:
    """Tracking pixels and icons say their size; real photos rarely do so small."""
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 60:
            return True
    return False


def _image_url(img: etree._Element, page_url: str) -> str:
    candidates = [
        img.get("data-src"),
        img.get("data-lazy-src"),
        img.get("data-original"),
        img.get("src"),
        _largest_in_srcset(img.get("srcset") or img.get("data-srcset") or ""),
    ]
    for candidate in candidates:
        if not candidate or candidate.strip().startswith("data:"):
            continue
        url = normalize_url(candidate.strip(), page_url)
        if is_http_url(url) and not urlsplit(url).path.lower().endswith(".svg"):
            return url
    return ""


def _largest_in_srcset(srcset: str) -> str:
    best, best_width = "", -1
    for entry in srcset.split(","):
        parts = entry.split()
        if not parts:
            continue
        width = parts[1] if len(parts) > 1 else "0w"
        number = re.match(r"\d+", width)
        size = int(number.group()) if number else 0
        if size > best_width:
            best, best_width = parts[0], size
    return best


def _caption_and_credit(caption_node: etree._Element | None) -> tuple[str, str]:
    """The caption without its credit, and the credit: a marked element or a "Photo: X" tail."""
    if caption_node is None:
        return "", ""
    credit = ""
    for node in caption_node.iter():
        if node is caption_node or not isinstance(node.tag, str):
            continue
        names = f"{node.get('class', '')} {node.get('itemprop', '')}"
        if _CREDIT_CLASS.search(names) or node.tag in {"small", "cite"}:
            credit = _text(node)
            break
    caption = _text(caption_node)
    if credit:
        caption = caption.replace(credit, "").strip()
        credit = _clean_credit(credit)
    else:
        caption, credit = split_credit(caption)
    return caption.strip(" -|·/"), credit


def _clean_credit(credit: str) -> str:
    before, marked = split_credit(credit)
    return marked or before.strip(" ()[]-|·")


def split_credit(caption: str) -> tuple[str, str]:
    """ "The bridge at dawn. Photo: Ana Ruiz" -> ("The bridge at dawn.", "Ana Ruiz")."""
    markers = list(_CREDIT_MARKER.finditer(caption))
    if not markers:
        return caption, ""
    # The credit closes the caption: the last marker is the one, "photo" earlier is prose.
    last = markers[-1]
    credit = caption[last.end() :].strip(" ()[]-|·.")
    if not credit or len(credit) > 120:
        return caption, ""
    return caption[: last.start()].strip(" -|·/"), credit
