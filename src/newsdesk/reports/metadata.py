"""Page metadata that trafilatura does not give precisely: canonical URL, times, images."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree
from lxml import html as lxml_html

from newsdesk.sources.urlnorm import is_http_url, normalize_url


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
    published_at: datetime | None = None
    modified_at: datetime | None = None
    section: str = ""
    language: str = ""
    images: list[PageImage] = field(default_factory=list)


def parse_datetime(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_metadata(tree: lxml_html.HtmlElement, page_url: str) -> PageMetadata:
    meta = PageMetadata()
    props: dict[str, str] = {}
    for node in tree.iterfind(".//meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        content = (node.get("content") or "").strip()
        if key and content and key not in props:
            props[key] = content
    canonical = tree.find(".//link[@rel='canonical']")
    candidates = [
        canonical.get("href", "") if canonical is not None else "",
        props.get("og:url", ""),
    ]
    for candidate in candidates:
        if candidate and is_http_url(normalize_url(candidate, page_url)):
            meta.canonical_url = normalize_url(candidate, page_url)
            break
    ld = _json_ld_article(tree)
    meta.title = props.get("og:title", "") or str(ld.get("headline", ""))
    meta.author = props.get("author", "") or _ld_author(ld)
    meta.published_at = parse_datetime(
        props.get("article:published_time", "") or str(ld.get("datePublished", ""))
    )
    meta.modified_at = parse_datetime(
        props.get("article:modified_time", "") or str(ld.get("dateModified", ""))
    )
    meta.section = props.get("article:section", "") or str(ld.get("articleSection", ""))
    root_lang = tree.get("lang") or tree.get("xml:lang") or props.get("og:locale", "")
    meta.language = root_lang.replace("_", "-").split("-")[0].lower()
    meta.images = _images(tree, props, page_url)
    return meta


def _json_ld_article(tree: lxml_html.HtmlElement) -> dict[str, object]:
    for node in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(node.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data])
        for item in items:
            if isinstance(item, dict) and "Article" in str(item.get("@type", "")):
                return item
    return {}


def _ld_author(ld: dict[str, object]) -> str:
    author = ld.get("author")
    if isinstance(author, list) and author:
        author = author[0]
    if isinstance(author, dict):
        return str(author.get("name", ""))
    return str(author or "")


def _text(node: etree._Element | None) -> str:
    return " ".join(node.text_content().split()) if node is not None else ""


def _split_credit(caption: str) -> tuple[str, str]:
    for marker in ("Photo:", "Photograph:", "Credit:", "Image:", "صورة:", "تصوير:"):
        if marker in caption:
            before, _, after = caption.partition(marker)
            return before.strip(" -|·"), after.strip()
    return caption, ""


def _images(tree: lxml_html.HtmlElement, props: dict[str, str], page_url: str) -> list[PageImage]:
    images: list[PageImage] = []
    seen: set[str] = set()
    for figure in tree.iterfind(".//figure"):
        img = figure.find(".//img")
        if img is None or not img.get("src"):
            continue
        url = normalize_url(img.get("src", ""), page_url)
        caption_node = figure.find(".//figcaption")
        caption, credit = _split_credit(_text(caption_node))
        if url not in seen and is_http_url(url):
            seen.add(url)
            images.append(PageImage(url, caption or img.get("alt", ""), credit))
    og_image = props.get("og:image", "")
    if og_image:
        url = normalize_url(og_image, page_url)
        if url not in seen and is_http_url(url):
            images.insert(0, PageImage(url, props.get("og:image:alt", ""), ""))
    return images
