"""Article text of pages we wrote, each with boilerplate that survives plain extraction.

Each `body_pages/NAME.html` is a page; `NAME.txt` is, exactly, the text its report stores.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from newsdesk.reports.body.lines import clean_lines
from newsdesk.reports.body.page import PageSignals, prepare
from newsdesk.reports.body.text import reading_words
from newsdesk.reports.extract import extract_page

PAGES = Path(__file__).parent / "body_pages"
PARAGRAPH = (
    "The harbour board met on Thursday to agree the timetable for the coming winter, and the "
    "captains asked for an extra crossing on market days."
)


@pytest.mark.parametrize("name", sorted(page.stem for page in PAGES.glob("*.html")))
def test_page_text_is_the_article_and_nothing_else(name: str) -> None:
    html = (PAGES / f"{name}.html").read_bytes()
    expected = (PAGES / f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")
    assert extract_page(html, f"https://news.example/{name}").text == expected


def test_golden_pages_are_all_paired() -> None:
    assert sorted(p.stem for p in PAGES.glob("*.txt")) == sorted(
        p.stem for p in PAGES.glob("*.html")
    )


def test_unspaced_scripts_count_by_length() -> None:
    # Twelve Japanese characters read as about six words; spaced words count one each.
    assert reading_words("市立図書館は十日開館した") == 6
    assert reading_words("The ferry returns") == 3
    assert reading_words("新館 opened today") == 3


def test_prompts_and_labels_go_only_where_they_close_the_text() -> None:
    newsletter_news = (
        "The council also said it would stop printing its newsletter and send it by email "
        "from next year, which it expects to save money."
    )
    lines = [
        PARAGRAPH,
        newsletter_news,
        PARAGRAPH.replace("Thursday", "Friday"),
        "Sign up for our newsletter.",
        "Tags",
    ]
    assert clean_lines(lines, PageSignals(url="https://news.example/a")) == lines[:3]


def test_a_paywall_prompt_is_left_for_the_paywall_check() -> None:
    lines = [PARAGRAPH, "Subscribe to continue reading.", "Follow us on Twitter."]
    assert clean_lines(lines, PageSignals(url="https://news.example/a")) == lines[:2]


def test_a_closing_list_stays_unless_its_items_are_links() -> None:
    facts = ["- Six crossings a day", "- Forty minutes each way", "- Cars and bicycles carried"]
    lines = [PARAGRAPH, *facts]
    plain = PageSignals(url="https://news.example/a")
    assert clean_lines(lines, plain) == lines
    linked = PageSignals(
        url="https://news.example/a",
        links=frozenset({"Six crossings a day", "Forty minutes each way", "Cars and bicycles"}),
    )
    assert clean_lines(lines, linked) == [PARAGRAPH]


def test_headline_block_is_dropped_only_at_the_start() -> None:
    page = PageSignals(
        url="https://news.example/a",
        header_lines=frozenset({"ferry returns", "by tomas reyl"}),
    )
    lines = ["Ferry Returns", "By Tomas Reyl", PARAGRAPH, "Ferry returns", PARAGRAPH]
    assert clean_lines(lines, page) == lines[2:]


def test_an_article_split_over_containers_is_joined_with_its_loose_text() -> None:
    tree = lxml_html.document_fromstring(
        "<html><body>"
        "<div class='row'><div class='story-body'><p>First part.</p><!-- ad --></div></div>"
        "<div class='row'><div class='promo'>Advertisement</div></div>"
        "<div class='row'><div class='story-body'>Loose text. <p>Second part.</p></div></div>"
        "</body></html>"
    )
    prepare(tree)
    bodies = tree.find_class("story-body")
    assert len(bodies) == 1
    assert " ".join(bodies[0].text_content().split()) == "First part. Loose text. Second part."
    assert tree.find_class("promo")[0].text_content() == "Advertisement"
