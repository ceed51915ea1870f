from __future__ import annotations

import pytest

from newsdesk.writing.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [text[span.start : span.end] for span in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones in the U.S. capital on Friday. Talks went on.",
            ["Mr. Smith met Dr. Jones in the U.S. capital on Friday.", "Talks went on."],
        ),
        (
            "Prices rose 2.5 percent in May. Rents rose 3.1 percent.",
            ["Prices rose 2.5 percent in May.", "Rents rose 3.1 percent."],
        ),
        (
            "John F. Kennedy and J. K. Rowling were named. Nobody else was.",
            ["John F. Kennedy and J. K. Rowling were named.", "Nobody else was."],
        ),
        (
            "The aid reached the U.S. The money arrived later.",
            ["The aid reached the U.S.", "The money arrived later."],
        ),
        (
            "The talks ended at 9 p.m. on Monday in Seldon. The next round starts soon.",
            ["The talks ended at 9 p.m. on Monday in Seldon.", "The next round starts soon."],
        ),
        (
            "Gusts reached 230 km/h. The warning stayed in force.",
            ["Gusts reached 230 km/h.", "The warning stayed in force."],
        ),
        (
            "Results are due on Oct. 20 in the capital. Voting ends at noon.",
            ["Results are due on Oct. 20 in the capital.", "Voting ends at noon."],
        ),
        (
            "The site is example.com and it works. Fine.",
            ["The site is example.com and it works.", "Fine."],
        ),
    ],
)
def test_english_abbreviations_decimals_and_initials(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_quotes_stay_with_their_sentence() -> None:
    text = (
        '"Stop!" she shouted at the crowd. He said: "We will win." Then he left. '
        "\u201cIt is over,\u201d said the mayor. Is it? Yes!"
    )
    assert texts(text) == [
        '"Stop!" she shouted at the crowd.',
        'He said: "We will win."',
        "Then he left.",
        "\u201cIt is over,\u201d said the mayor.",
        "Is it?",
        "Yes!",
    ]


def test_ellipsis_ends_a_sentence_before_a_capital() -> None:
    assert texts("They waited... Nothing happened.") == ["They waited...", "Nothing happened."]


def test_arabic_terminators_and_semicolon() -> None:
    text = (
        "قال الوزير إن المحادثات انتهت؛ وسيتم استئنافها الأسبوع المقبل. "
        "هل انتهت الأزمة؟ لا! التقى د. محمد بالوفد في العاصمة."
    )
    assert texts(text) == [
        "قال الوزير إن المحادثات انتهت؛ وسيتم استئنافها الأسبوع المقبل.",
        "هل انتهت الأزمة؟",
        "لا!",
        "التقى د. محمد بالوفد في العاصمة.",
    ]


def test_spans_index_the_original_text_and_count_paragraphs() -> None:
    text = "  First one here.  Second one.\n\n   \nThird para starts. Last words"
    spans = split_sentences(text)
    assert [text[s.start : s.end] for s in spans] == [
        "First one here.",
        "Second one.",
        "Third para starts.",
        "Last words",
    ]
    assert [s.paragraph for s in spans] == [0, 0, 1, 1]
    assert [s.index for s in spans] == [0, 1, 2, 3]


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n \n") == []
