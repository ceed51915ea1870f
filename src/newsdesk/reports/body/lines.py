"""Boilerplate lines that survive extraction, dropped by what they say and where they stand.

Each rule is generic (no site names) and was kept only if, on the article-extraction
benchmark (bench/extraction.py), it raised F1 on one half of the pages and lowered it on neither:
- the headline block the text starts with (headline, standfirst, byline, date line);
- "Related: ...", "Read more: ..." lines anywhere, and "You may also like" style headings with
  the teaser list under them;
- runs of lines that are entirely links in the page (teaser lists);
- the page's own URL, "Updated at ..." stamps;
- at the end: a list of linked items, sign-up / follow / share prompts, and stray short labels.
"""

from __future__ import annotations

import re

from newsdesk.reports.body.page import PageSignals
from newsdesk.reports.body.text import WORD, ends_sentence, squash, word_count
from newsdesk.reports.paywall import strip_prompt

LABEL = re.compile(
    r"^\W*(?:related(?: posts?| articles?| stories| content| reading)?|read more|see more|more"
    r"|see also|also read|read also|also on [\w.]+|more from [\w .]+|recommended|watch|listen"
    r"|download|itunes|source|tags?|filed under|leggi anche|leia também|lesen sie auch"
    r"|lire aussi|ver también|lea también|اقرأ أيضا|اقرأ أيضاً)\s*[:|]",
    re.I,
)
SECTION_HEADING = re.compile(
    r"^\W*(?:you may also like|you might also like|you may also be interested in|don'?t miss"
    r"|most read[\w ]*|most popular|trending(?: now)?|comments?|tags?"
    r"|share(?: this(?: article| story)?)?|advertisement|related|more stories|more news"
    r"|latest news|recommended(?: for you)?|what to read next|read next|something to consider"
    r")\W*$",
    re.I,
)
PROMPT = re.compile(
    r"\b(?:newsletters?|subscribe|subscribing|sign up|signing up|click here|tap here"
    r"|download (?:the|our) app|get the .{0,30}app|share (?:this|it) with|like this story"
    r"|tell us what you think|follow (?:us|him|her|them|@\w+)"
    r"|follow [\w .']{1,40} on (?:twitter|facebook|instagram|linkedin|youtube)"
    r"|join (?:us|our)|proposition for you)\b"
    r"|\b(?:e-?mail|reach|contact)\b.{0,60}@\w",
    re.I,
)
STAMP = re.compile(r"^\W*(?:updated|published|posted|last updated)\b.{0,40}$", re.I)
DATE_OR_TIME = re.compile(r"\b\d{4}\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")

# Lines under a section heading are its teasers while they are this short and unpunctuated.
TEASER_WORDS = 25
# A line that is this much link text in the page is a link, not a sentence.
LINK_LINE_SHARE = 0.8
# A list item this much link text, in a list closing the text, is a "more stories" list.
LINKED_ITEM_SHARE = 0.3
MIN_CLOSING_LIST = 3
# Prompts longer than this are paragraphs that happen to mention a newsletter.
MAX_PROMPT_WORDS = 60
# A closing line this short without a sentence end is a label ("Tags", "Comments").
MAX_LABEL_WORDS = 4
# The date line before the text: short, and digits make up this share of its words.
DATE_LINE_WORDS = 12
DATE_LINE_DIGITS = 0.3


def clean_lines(lines: list[str], page: PageSignals) -> list[str]:
    lines = [line for line in lines if line.strip()]
    keep = [True] * len(lines)
    _mark_lead(lines, keep, page)
    _mark_inside(lines, keep, page)
    _mark_closing(lines, keep, page)
    return [line for line, kept in zip(lines, keep, strict=True) if kept]


def _mark_lead(lines: list[str], keep: list[bool], page: PageSignals) -> None:
    start = 0
    while start < len(lines) and squash(lines[start]).casefold() in page.header_lines:
        keep[start] = False
        start += 1
    for index in range(start, min(start + 3, len(lines))):
        line = lines[index]
        words = WORD.findall(line)
        if len(words) > DATE_LINE_WORDS:
            break
        digits = sum(word.isdigit() for word in words)
        if (
            DATE_OR_TIME.search(line)
            and not ends_sentence(line)
            and digits >= DATE_LINE_DIGITS * len(words)
        ):
            keep[index] = False


def _mark_inside(lines: list[str], keep: list[bool], page: PageSignals) -> None:
    own_url = page.url.rstrip("/")
    for index, line in enumerate(lines):
        text = line.strip()
        if LABEL.search(text) or STAMP.search(text) or (own_url and text.rstrip("/") == own_url):
            keep[index] = False
        elif SECTION_HEADING.search(text):
            keep[index] = False
            after = index + 1
            while after < len(lines) and _is_teaser(lines[after]):
                keep[after] = False
                after += 1
    linked = [page.link_share(line) >= LINK_LINE_SHARE for line in lines]
    for index, is_link in enumerate(linked):
        neighbours = linked[max(index - 1, 0) : index] + linked[index + 1 : index + 2]
        if is_link and any(neighbours):
            keep[index] = False


def _mark_closing(lines: list[str], keep: list[bool], page: PageSignals) -> None:
    start = len(lines)
    while (
        start > 0
        and lines[start - 1].lstrip().startswith("- ")
        and page.link_share(lines[start - 1]) >= LINKED_ITEM_SHARE
    ):
        start -= 1
    if len(lines) - start >= MIN_CLOSING_LIST:
        for index in range(start, len(lines)):
            keep[index] = False
    index = len(lines) - 1
    while index >= 0 and (not keep[index] or _is_closing_chrome(lines[index])):
        keep[index] = False
        index -= 1


def _is_closing_chrome(line: str) -> bool:
    # A paywall's "subscribe to continue reading" stays: it tells `paywall` the text was cut
    # (and the report is stored without it there).
    if strip_prompt(line)[1]:
        return False
    words = word_count(line)
    if PROMPT.search(line) and words <= MAX_PROMPT_WORDS:
        return True
    # List items are the article's own lists (facts, steps) unless they are links.
    is_item = line.lstrip().startswith("- ")
    return words <= MAX_LABEL_WORDS and not ends_sentence(line) and not is_item


def _is_teaser(line: str) -> bool:
    return word_count(line) < TEASER_WORDS and not ends_sentence(line)
