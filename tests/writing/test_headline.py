from __future__ import annotations

import pytest

from newsdesk.writing.headline import (
    clean_title,
    is_neutral,
    strip_outlet_suffix,
    title_case,
    trim_at_word,
)

OUTLETS = ["The Meridian Post", "Harbor Wire", "Al Jazeera"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Dam bursts in Velmora - The Meridian Post", "Dam bursts in Velmora"),
        ("Dam bursts in Velmora | Meridian Post", "Dam bursts in Velmora"),
        ("Dam bursts in Velmora | World News | Harbor Wire", "Dam bursts in Velmora"),
        ("Dam bursts in Velmora \u2014 Al Jazeera", "Dam bursts in Velmora"),
        ("BREAKING: Dam bursts in Velmora", "Dam bursts in Velmora"),
        ("Rain - and more rain - for Velmora", "Rain - and more rain - for Velmora"),
    ],
)
def test_outlet_suffixes_and_labels_are_removed(title: str, expected: str) -> None:
    assert strip_outlet_suffix(title, OUTLETS) == expected


def test_all_caps_titles_become_title_case_keeping_acronyms() -> None:
    assert (
        clean_title("US AND UN WELCOME THE DEAL IN VELMORA", OUTLETS, 110)
        == "US and UN Welcome the Deal in Velmora"
    )
    assert title_case("WAR ENDS IN THE NORTH") == "War Ends in the North"


@pytest.mark.parametrize(
    ("title", "neutral"),
    [
        ("Dam bursts in Velmora, killing 14", True),
        ("Was the dam disaster preventable?", False),
        ("You won't believe what the dam did", False),
        ("Shocking scenes as town floods", False),
        ("Town floods!", False),
        ("هل كانت الكارثة متوقعة؟", False),
    ],
)
def test_neutrality(title: str, neutral: bool) -> None:
    assert is_neutral(title) is neutral


def test_trim_cuts_at_a_word_without_dangling_words() -> None:
    title = (
        "Prime Minister orders independent inquiry into the maintenance of the Karsk Dam "
        "after floods killed at least 14 people in the town of Orlen"
    )
    trimmed = trim_at_word(title, 110)
    assert len(trimmed) <= 110
    assert title.startswith(trimmed)
    assert trimmed.split()[-1].lower() not in {"of", "the", "in", "at", "and", "to"}
    assert trim_at_word("Short title", 110) == "Short title"


def test_trim_drops_an_unclosed_quote() -> None:
    trimmed = trim_at_word('Minister says "we will never give up on the people of Orlen"', 30)
    assert trimmed.count('"') % 2 == 0
    assert len(trimmed) <= 30
