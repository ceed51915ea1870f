"""The article's lines, as two trafilatura passes agree on them.

The broad pass (trafilatura's own extractor, fast mode: no readability/jusText fallback, which
on listing pages swaps the article for the whole list) finds the article; the strict pass
(`favor_precision`) drops more of what surrounds it. A line only the broad pass keeps stays when
it reads as prose (a paragraph), and goes when it is short or unpunctuated: a label, a link, a
teaser headline, a share prompt. Measured on the article-extraction benchmark (bench/extraction.py)
this beats either pass alone, and trafilatura's default (fallbacks on).
"""

from __future__ import annotations

import logging

import trafilatura
from lxml import html as lxml_html

from newsdesk.reports.body.text import ends_sentence, squash, word_count

log = logging.getLogger(__name__)

# A line the strict pass dropped is kept as prose if it is a sentence of this many words...
PROSE_WORDS = 12
# ...or this long whatever its ending (one-paragraph pages, text in table layouts).
LONG_LINE_WORDS = 40


def voted_text(tree: lxml_html.HtmlElement, url: str) -> str:
    broad = _extract(tree, url, precision=False)
    if not broad:
        return ""
    strict = {squash(line) for line in _extract(tree, url, precision=True).splitlines()}
    return "\n".join(
        line for line in broad.splitlines() if squash(line) in strict or _is_prose(line)
    )


def _is_prose(line: str) -> bool:
    words = word_count(line)
    return words >= LONG_LINE_WORDS or (words >= PROSE_WORDS and ends_sentence(line))


def _extract(tree: lxml_html.HtmlElement, url: str, *, precision: bool) -> str:
    # bare_extraction works on its own copy of the tree.
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=True,
        favor_precision=precision,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    return (getattr(document, "text", None) or "") if document is not None else ""
