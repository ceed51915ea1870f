"""The article text a page declares in schema.org JSON-LD (`articleBody`).

Pages rendered by JavaScript often ship an empty HTML body but the whole text in JSON-LD for
search engines; on server-rendered pages it is usually the same text with the paragraph breaks
lost (or cut to a teaser), so it only wins when the HTML gave much less. An item whose headline
is not the page's (another story's JSON-LD on a listing or a live page) is not this article.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator

from lxml import html as lxml_html

TAG = re.compile(r"<[^>]+>")
PARAGRAPH_BREAK = re.compile(r"\s*(?:<br\s*/?>|</p>|\n)\s*", re.I)


def article_body(tree: lxml_html.HtmlElement, titles: Iterable[str] = ()) -> str:
    """The longest `articleBody` of the page's JSON-LD items, as plain text lines.

    An item with a headline must name one of `titles` or of the page's <h1>s, when it has any.
    """
    headlines = [*titles, *(h1.text_content() or "" for h1 in tree.iter("h1"))]
    known = [_folded(title) for title in headlines if title.strip()]
    best = ""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        for item in _items(data):
            body = item.get("articleBody")
            if isinstance(body, str) and len(body) > len(best) and _same_story(item, known):
                best = body
    return _plain(best)


def _same_story(item: dict[str, object], titles: list[str]) -> bool:
    headline = item.get("headline")
    if not titles or not isinstance(headline, str) or not headline.strip():
        return True
    own = _folded(headline)
    return any(own in title or title in own for title in titles)


def _folded(text: str) -> str:
    return " ".join(html.unescape(text).split()).casefold()


def _items(data: object) -> Iterator[dict[str, object]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _items(value)
    elif isinstance(data, list):
        for value in data:
            yield from _items(value)


def _plain(body: str) -> str:
    # Some publishers put HTML in articleBody: breaks and paragraphs become lines, tags go.
    lines = PARAGRAPH_BREAK.split(body)
    return "\n".join(
        text for line in lines if (text := " ".join(html.unescape(TAG.sub(" ", line)).split()))
    )
