"""The main text of an article page: what a report stores as its text.

Stages, one module each:
- `page`: the parsed tree readied (comments out, an article split over several containers
  joined) and what its markup says about lines (the headline block, link-only blocks);
- `vote`: two trafilatura passes, broad and strict, agree line by line;
- `lines`: boilerplate lines that survive extraction dropped (related links, prompts, bylines);
- `jsonld`: the schema.org `articleBody`, when the HTML gave (or showed) much less than it.

bench/extraction.py scores this on the article-extraction benchmark against plain trafilatura.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import html as lxml_html

from newsdesk.reports.body.jsonld import article_body
from newsdesk.reports.body.lines import clean_lines
from newsdesk.reports.body.page import prepare, read_signals, visible_words
from newsdesk.reports.body.text import word_count
from newsdesk.reports.body.vote import voted_text

__all__ = ["extract_body"]

# JSON-LD wins when it holds this many times the words the HTML gave (or showed).
JSON_LD_FACTOR = 2


def extract_body(tree: lxml_html.HtmlElement, url: str, titles: Iterable[str] = ()) -> str:
    """The article's text, one paragraph a line, without the headline (`titles`) above it.

    Changes `tree` (see `page.prepare`): read what else you need from it first.
    """
    titles = [title for title in titles if title.strip()]
    prepare(tree)
    page = read_signals(tree, url, titles)
    text = "\n".join(clean_lines(voted_text(tree, url).splitlines(), page))
    declared = article_body(tree, titles)
    if declared:
        # Also against the page's visible words: on a page its script renders, the extraction
        # may hold JSON-LD text too (trafilatura's fallbacks read it), other stories' included.
        words = word_count(declared)
        if words > JSON_LD_FACTOR * min(word_count(text), visible_words(tree)):
            return declared
    return text
