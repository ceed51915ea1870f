"""Sentence splitting with character spans, for English and Arabic news text.

Spans index into the original text, so every sentence the writer publishes can be
traced back to ``text[start:end]``. Paragraphs (lines) are hard boundaries. A period
ends a sentence only when it is followed by whitespace and the next word does not look
like the continuation of an abbreviation, an initial or a decimal number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.writing.similarity import word_set


@dataclass(frozen=True)
class SentenceSpan:
    start: int
    end: int
    paragraph: int  # index of the paragraph (non-blank line) in the text
    index: int  # index of the sentence in the text


# A run of terminators plus the closing quotes/brackets that belong to the sentence.
_TERMINATOR_RUN = re.compile(r"(?:\.\.\.|[.!?؟…])+[\"'”\u2019»)\]]*")
_PARAGRAPH = re.compile(r"[^\n]+")
# The word (with inner dots: "U.S", "e.g") just before a period: "Wire/J" gives "J".
_LAST_TOKEN = re.compile(r"([^\W\d_](?:[^\W\d_]|\.)*)$")
_NEXT_WORD = re.compile(r"[^\W\d_]+")
_OPENERS = "\"'“\u2018«([{"

# Abbreviations that never end a sentence: they always precede a name or number.
_TITLES = word_set(
    """
    mr mrs ms mx dr prof gen col lt sgt capt cpt maj adm cmdr gov sen rep rev hon pres
    st mt ft no nos art vol fig pp op sr jr messrs mme mlle rt supt insp det cpl pvt
    e.g i.e cf vs approx est ca
    """
)
# Abbreviations that may end a sentence; split only when a likely sentence start follows.
_MAY_END = word_set(
    """
    etc inc ltd co corp plc llc bros dept univ a.m p.m jan feb mar apr jun jul aug sep sept
    oct nov dec
    """
)
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S, U.N, e.g (the final dot is cut)
# Initials: "John F. Kennedy", "د. محمد" (not "km/h." or "plan b.")
_SINGLE_LETTER = re.compile(r"^[A-Z\u0621-\u064A]$")

# Words that commonly start a sentence: after "U.S." or "p.m." they signal a new one.
_SENTENCE_STARTERS = word_set(
    """
    the a an in on at by for from after before as but and he she it they we i you this that
    these those there his her their its our officials police authorities no some many
    meanwhile however while when if one two three
    """
)


def split_sentences(text: str) -> list[SentenceSpan]:
    """Sentence spans of ``text``; each span is whitespace-stripped and non-empty."""
    spans: list[SentenceSpan] = []
    paragraph = 0
    for line in _PARAGRAPH.finditer(text):
        pieces = _split_line(line.group())
        if not pieces:
            continue
        offset = line.start()
        for start, end in pieces:
            spans.append(SentenceSpan(offset + start, offset + end, paragraph, len(spans)))
        paragraph += 1
    return spans


def _split_line(line: str) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in _TERMINATOR_RUN.finditer(line):
        end = match.end()
        if end < len(line) and not line[end].isspace():
            continue  # "2.5", "U.S.-led", "example.com"
        if end < len(line) and not _ends_sentence(line, match):
            continue
        _append_stripped(line, start, end, pieces)
        start = end
    _append_stripped(line, start, len(line), pieces)
    return pieces


def _append_stripped(line: str, start: int, end: int, pieces: list[tuple[int, int]]) -> None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if start < end:
        pieces.append((start, end))


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    rest = line[match.end() :].lstrip()
    if not rest:
        return True
    first = rest.lstrip(_OPENERS)[:1] or rest[0]
    if first.islower():
        return False  # '"Stop!" she shouted', 'at 9 a.m. on Monday'
    terminators = match.group().rstrip("\"'”\u2019»)]")
    if terminators != ".":
        return True  # "!", "?", "؟", ellipses and runs like "?!" end sentences
    token_match = _LAST_TOKEN.search(line[: match.start()])
    if token_match is None:
        return True
    token = token_match.group(1)
    lowered = token.lower()
    if lowered in _TITLES or _SINGLE_LETTER.match(token):
        return False
    if lowered in _MAY_END or _ACRONYM.match(token):
        next_word = _NEXT_WORD.match(rest.lstrip(_OPENERS))
        return next_word is not None and next_word.group().lower() in _SENTENCE_STARTERS
    return True
