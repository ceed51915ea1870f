from __future__ import annotations

import pytest

from newsdesk.writing.attribution import original_report_id, render_attributed, single_outlet
from newsdesk.writing.draft import DraftSentence, SourceReport, Support


def report(report_id: int, outlet: str, duplicate_of: int | None = None) -> SourceReport:
    return SourceReport(report_id, outlet, "Title", "Text.", None, "en", duplicate_of)


REPORTS = {
    1: report(1, "Harbor Wire"),
    2: report(2, "Lakeside Times", duplicate_of=1),
    3: report(3, "Northwind News"),
    4: report(4, "northwind news "),  # the same outlet, spelled differently
    5: report(5, "Copy Desk", duplicate_of=99),  # a copy of a report we do not have
}


def test_wire_copies_count_as_their_original_outlet() -> None:
    assert original_report_id(2, REPORTS) == 1
    assert single_outlet([1, 2], REPORTS) == "Harbor Wire"
    assert single_outlet([2], REPORTS) == "Harbor Wire"
    assert single_outlet([1, 3], REPORTS) is None


def test_reports_of_one_outlet_are_one_source() -> None:
    assert single_outlet([3, 4], REPORTS) == "Northwind News"


def test_copy_without_its_original_keeps_its_own_outlet() -> None:
    assert original_report_id(5, REPORTS) == 5
    assert single_outlet([5], REPORTS) == "Copy Desk"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "The dam had cracks in its spillway.",
            "en",
            "The dam had cracks in its spillway, according to Harbor Wire.",
        ),
        (
            '"We lost everything," said Mara Ilves, a baker.',
            "en",
            '"We lost everything," said Mara Ilves, a baker, according to Harbor Wire.',
        ),
        (
            'The governor said: "We will rebuild."',
            "en",
            'The governor said: "We will rebuild." (Harbor Wire)',
        ),
        (
            "At least 14 died, according to the emergency service.",
            "en",
            "At least 14 died, according to the emergency service (Harbor Wire).",
        ),
        (
            "Harbor Wire reported that 14 people died.",
            "en",
            "Harbor Wire reported that 14 people died.",
        ),
        (
            "بدأ عمال الميناء إضرابا مفتوحا.",
            "ar",
            "بدأ عمال الميناء إضرابا مفتوحا، بحسب Harbor Wire.",
        ),
        (
            "وبحسب الوزارة، توقف العمل في الميناء.",
            "ar",
            "وبحسب الوزارة، توقف العمل في الميناء (Harbor Wire).",
        ),
        (
            "Le barrage a c\u00e9d\u00e9 mardi.",
            "fr",
            "Le barrage a c\u00e9d\u00e9 mardi (Harbor Wire).",
        ),
    ],
)
def test_rendered_attribution_stays_grammatical(text: str, language: str, expected: str) -> None:
    assert render_attributed(text, "Harbor Wire", language) == expected


def test_outlet_named_with_leading_article_counts_as_mentioned() -> None:
    text = "The Meridian Post's reporters saw the flooded square."
    assert render_attributed(text, "The Meridian Post", "en") == text


def test_arabic_outlet_named_after_a_preposition_counts_as_mentioned() -> None:
    text = "وقال الوزير في تصريح للمنارة إن الخط سيفتتح قريبا."
    assert render_attributed(text, "المنارة", "ar") == text


def test_render_never_alters_the_verbatim_text() -> None:
    sentence = DraftSentence("The dam burst.", (Support(1, 0, 14),), "Harbor Wire")
    assert sentence.render("en") == "The dam burst, according to Harbor Wire."
    assert sentence.text == "The dam burst."
    assert DraftSentence("The dam burst.", (Support(1, 0, 14),), None).render() == "The dam burst."
