"""How the body stages compare lines: by their words, ignoring spacing and punctuation."""

from __future__ import annotations

import re

WORD = re.compile(r"\w+")
# Chinese and Japanese write words without spaces between them.
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Their words average about two characters.
UNSPACED_CHARS_PER_WORD = 2
# A line that ends like a sentence (or a quoted one): prose rather than a label or a link.
SENTENCE_END = re.compile(r"[.!?…。！？:\"”’»)]\s*$")


def squash(text: str) -> str:
    """The text on one line with single spaces."""
    return " ".join(text.split())


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def words_key(text: str) -> str:
    """The text's words only, so "- Item:" in the output matches "Item" in the page."""
    return " ".join(WORD.findall(text))


def ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line))


def reading_words(text: str) -> int:
    """About how many words a reader sees: spaced words, and Chinese or Japanese by length."""
    count = 0
    for chunk in text.split():
        unspaced = len(UNSPACED_SCRIPT.findall(chunk))
        count += max(1, unspaced // UNSPACED_CHARS_PER_WORD) if unspaced else 1
    return count
