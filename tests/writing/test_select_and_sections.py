from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.writing.draft import SourceReport
from newsdesk.writing.sections import paragraph_sizes, section_count
from newsdesk.writing.select import sentence_budget
from newsdesk.writing.writer import write_article


@pytest.mark.parametrize(
    ("sources", "candidates", "expected"),
    [
        (1, 3, (3, 3)),
        (1, 6, (4, 4)),
        (1, 20, (4, 8)),
        (2, 30, (6, 8)),
        (4, 30, (6, 12)),
        (10, 100, (6, 16)),
        (5, 7, (6, 7)),
    ],
)
def test_sentence_budget(sources: int, candidates: int, expected: tuple[int, int]) -> None:
    assert sentence_budget(sources, candidates) == expected


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(0, []), (1, [1]), (3, [3]), (4, [2, 2]), (5, [3, 2]), (7, [3, 2, 2]), (9, [3, 3, 3])],
)
def test_paragraphs_have_two_or_three_sentences(count: int, sizes: list[int]) -> None:
    assert paragraph_sizes(count) == sizes


def test_section_count_grows_with_material() -> None:
    assert [section_count(n) for n in (4, 5, 6, 9, 12, 16)] == [1, 1, 2, 2, 3, 4]


def _report(report_id: int, outlet: str, sentences: list[str]) -> SourceReport:
    return SourceReport(
        id=report_id,
        outlet=outlet,
        title=f"Fighting displaces millions across the Velmoran north, report {report_id}",
        text="\n".join(sentences),
        published_at=datetime(2031, 4, 8, 6 + report_id, tzinfo=UTC),
        language="en",
    )


def test_paraphrases_that_repeat_a_figure_are_not_both_published() -> None:
    first = "More than 12 million people have been forced from their homes by the fighting."
    second = "Since April 2029, the war has displaced more than 12 million people in Velmora."
    reports = [
        _report(
            1,
            "The Meridian Post",
            [
                "Government and rebel forces in northern Velmora agreed to a truce on Monday.",
                first,
                "The truce will be monitored by observers from four neighbouring states.",
                "Aid convoys are expected to reach the town of Orlen by the end of the week.",
            ],
        ),
        _report(
            2,
            "Northwind News",
            [
                "Velmora's army and the rebel alliance signed a truce in Seldon on Monday.",
                second,
                "Food prices in the capital have tripled since the fighting began.",
                "The rebel commander Ivo Marr signed the agreement in person at the palace.",
            ],
        ),
    ]
    texts = [s.text for s in write_article(reports).sentences()]
    assert not (first in texts and second in texts)
