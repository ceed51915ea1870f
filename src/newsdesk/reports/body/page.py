"""The parsed page readied for extraction, and what its markup says about the text's lines."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from newsdesk.reports.body.text import squash, word_count, words_key

# Class names publishers give the container of the article's text.
BODY_CLASS = re.compile(
    r"(?:article|story|post|entry)[-_]{0,2}(?:body|content|text)|body[-_]?(?:text|copy)"
    r"|articlebody|rich-?text",
    re.I,
)
# Class or id of the block around the headline (headline, standfirst, byline, date).
HEADER_CLASS = re.compile(r"head", re.I)
VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template)]"
)
# A header block longer than this is a whole article (or page), not the headline's block.
MAX_HEADER_WORDS = 150
MAX_HEADER_PARAGRAPHS = 2
# Same-class containers further apart than this are separate things, not one split article.
MAX_CHUNK_DISTANCE = 3


@dataclass(frozen=True)
class PageSignals:
    """What the page's markup says about lines of the extracted text."""

    url: str
    # Casefolded lines of the headline block: headline, standfirst, byline, date.
    header_lines: frozenset[str] = frozenset()
    # The words (`words_key`) of every link on the page.
    links: frozenset[str] = frozenset()

    def link_share(self, line: str) -> float:
        """How much of the line is link text on the page (by characters of its words)."""
        key = words_key(line)
        if not key:
            return 0.0
        if key in self.links:
            return 1.0
        padded = f" {key} "
        linked = sum(len(link) for link in self.links if f" {link} " in padded)
        return min(linked / len(key), 1.0)


def prepare(tree: lxml_html.HtmlElement) -> None:
    """Ready the tree for extraction, in place.

    HTML comments go (a comment inside a paragraph splits its text for trafilatura), and an
    article split over several containers of the same class (with ads or embeds between the
    parts) becomes one container, since extraction keeps only the first.
    """
    etree.strip_tags(tree, etree.Comment, etree.ProcessingInstruction)
    _join_split_body(tree)


def read_signals(tree: lxml_html.HtmlElement, url: str, titles: Iterable[str]) -> PageSignals:
    return PageSignals(
        url=url,
        header_lines=frozenset(_header_lines(tree, titles)),
        links=frozenset(key for a in tree.iter("a") if (key := words_key(a.text_content() or ""))),
    )


def visible_words(tree: lxml_html.HtmlElement) -> int:
    """Words a reader of the HTML sees, without a script running (scripts and styles are code)."""
    return sum(word_count(text) for text in VISIBLE_TEXT(tree))


def _is_header_sized(block: lxml_html.HtmlElement) -> bool:
    """A headline block holds a few short lines; more, and it wraps the article itself."""
    paragraphs = sum(1 for _ in block.iter("p"))
    return paragraphs <= MAX_HEADER_PARAGRAPHS and (
        word_count(block.text_content() or "") <= MAX_HEADER_WORDS
    )


def _join_split_body(tree: lxml_html.HtmlElement) -> None:
    groups: dict[tuple[str, str], list[lxml_html.HtmlElement]] = {}
    for element in tree.iter("div", "section", "article"):
        classes = element.get("class")
        if classes and BODY_CLASS.search(classes):
            groups.setdefault((element.tag, squash(classes)), []).append(element)
    for members in groups.values():
        if len(members) < 2:
            continue
        inside = set(members)
        parts = [
            member
            for member in members
            if not any(ancestor in inside for ancestor in member.iterancestors())
            and any((p.text_content() or "").strip() for p in member.iter("p"))
        ]
        if len(parts) < 2 or not _close_together(parts):
            continue
        first = parts[0]
        for part in parts[1:]:
            _append_content(first, part)
            parent = part.getparent()
            if parent is not None:
                parent.remove(part)


def _append_content(target: lxml_html.HtmlElement, source: lxml_html.HtmlElement) -> None:
    """Move `source`'s text and children to the end of `target`."""
    if source.text:
        last = target[-1] if len(target) else None
        if last is None:
            target.text = f"{target.text or ''} {source.text}"
        else:
            last.tail = f"{last.tail or ''} {source.text}"
    target.extend(list(source))


def _close_together(parts: list[lxml_html.HtmlElement]) -> bool:
    """All parts share an ancestor a few levels up (teasers elsewhere on the page do not)."""
    lineage = [[part, *part.iterancestors()][: MAX_CHUNK_DISTANCE + 1] for part in parts]
    common = set(lineage[0])
    for chain in lineage[1:]:
        common &= set(chain)
    return bool(common)


def _header_lines(tree: lxml_html.HtmlElement, titles: Iterable[str]) -> set[str]:
    lines = {squash(title).casefold() for title in titles if title.strip()}
    for headline in tree.iter("h1"):
        lines.add(squash(headline.text_content() or "").casefold())
        block = None
        for ancestor in headline.iterancestors():
            if ancestor.tag in ("body", "html", "article", "main"):
                break
            names = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
            if ancestor.tag == "header" or HEADER_CLASS.search(names):
                block = ancestor
        if block is None or not _is_header_sized(block):
            continue
        for element in block.iter():
            if isinstance(element.tag, str):
                lines.add(squash(element.text_content() or "").casefold())
    lines.discard("")
    return lines
