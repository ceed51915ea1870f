"""A story told over days: the article states the latest figures and no overtaken announcement,
its summary tells the event, and its sections are named by what they are about."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.writing.draft import SourceReport
from newsdesk.writing.eligibility import judge
from newsdesk.writing.passages import build_passages
from newsdesk.writing.superseded import is_prospective, superseded, tally_figures
from newsdesk.writing.themes import theme_heading
from newsdesk.writing.writer import write_article


def at(day: int, hour: int) -> datetime:
    return datetime(2031, 3, day, hour, tzinfo=UTC)  # 3 March 2031 is a Monday


FIRST = SourceReport(
    id=1,
    outlet="Harbour Times",
    title="Cyclone Mira hits Vessa coast as thousands flee",
    text="\n".join(
        [
            "Cyclone Mira made landfall on the Vessa coast on Monday evening with winds of "
            "170km/h, after more than 80,000 people were moved out of its path.",
            "Officials said at least four people had died, including two fishermen whose boat "
            "capsized near the port of Dalen.",
            "The ferry service to the Corran islands is due to resume on Wednesday, the port "
            "authority said.",
            "Governor Ilse Varga said evacuation centres in the province were close to capacity.",
            "Forecasters said heavy rain would continue across the Vessa hills through Tuesday.",
            "Vessa is struck by about six cyclones a year.",
        ]
    ),
    published_at=at(3, 20),
    language="en",
)
SECOND = SourceReport(
    id=2,
    outlet="Coastal Wire",
    title="Cyclone Mira death toll rises to 11 in Vessa",
    text="\n".join(
        [
            "The number of people killed by Cyclone Mira in Vessa rose to 11 on Thursday, the "
            "national disaster agency said, as rescuers reached villages cut off by floods.",
            "The agency said eight of the deaths were in the hills, where landslides buried "
            "several houses.",
            "Ferries to the Corran islands resumed on Wednesday after inspections of the piers "
            "in Dalen.",
            "About 20,000 people were still sheltering in evacuation centres on Thursday, "
            "provincial officials said.",
            "Power was restored to most homes in Dalen, the provincial capital, the grid operator "
            "said.",
            "The agriculture ministry said the floods had destroyed rice crops across the delta.",
        ]
    ),
    published_at=at(6, 9),
    language="en",
)
REPORTS = [FIRST, SECOND]


def published(reports: list[SourceReport]) -> str:
    draft = write_article(reports, "en")
    return " ".join([draft.headline, draft.summary, *(s.text for s in draft.sentences())])


def test_tally_figures_are_read_near_their_words() -> None:
    figures = tally_figures(
        "Ramon Esguerra, a spokesman, said 214,000 people had spent the night in "
        "evacuation centres, and six people were missing."
    )
    assert 214000 in figures["sheltered"]
    assert 6 in figures["missing"]
    # Ages and years are no tally.
    assert tally_figures("Editha Bautista, 52, said she fled in 2024.") == {}
    assert "dead" not in tally_figures("The war began in April 2023.")


def test_later_figures_supersede_earlier_ones() -> None:
    passages, _ = build_passages(REPORTS, frozenset({1, 2}))
    stale = {p.text for p in superseded(passages)}
    assert any(t.startswith("Officials said at least four people had died") for t in stale)
    assert not any("rose to 11" in t for t in stale)
    # The newest report is never overtaken, and an undated story has no order at all.
    assert not any(t.startswith("About 20,000 people") for t in stale)
    undated = [SourceReport(**{**r.__dict__, "published_at": None}) for r in REPORTS]
    passages, _ = build_passages(undated, frozenset({1, 2}))
    assert superseded(passages) == set()


def test_an_announcement_whose_day_has_come_is_not_published_as_to_come() -> None:
    assert is_prospective("The ferry service is due to resume on Wednesday.")
    assert is_prospective("The line will reopen on Friday.")
    assert not is_prospective("Canada will commit $40 million in new aid.")  # says no when
    text = published(REPORTS)
    assert "is due to resume on Wednesday" not in text
    # Before Wednesday, it is still the news.
    assert "is due to resume on Wednesday" in published([FIRST])


def test_update_states_the_latest_toll_only() -> None:
    draft = write_article(REPORTS, "en")
    text = " ".join([draft.headline, draft.summary, *(s.text for s in draft.sentences())])
    assert "11" in draft.headline or "11" in draft.summary
    assert "at least four people had died" not in text
    assert "80,000" not in text or "moved out of its path" in text  # not a tally word


def test_headline_is_the_latest_development() -> None:
    assert write_article(REPORTS, "en").headline == "Cyclone Mira death toll rises to 11 in Vessa"


def test_sections_are_named_by_their_theme() -> None:
    assert (
        theme_heading(
            [
                "About 20,000 people were still sheltering in evacuation centres.",
                "Thousands fled their homes in the delta.",
            ],
            ["The storm made landfall with winds of 170km/h."],
            [],
        )
        == "Evacuations and shelters"
    )
    # A theme the rest of the article shares as much does not name one section.
    assert theme_heading(["Floods cut roads."], ["Floods rose.", "Floods fell."], []) is None
    # A heading already taken is not given twice.
    assert (
        theme_heading(["Thousands fled.", "Many were displaced."], [], ["Evacuations and shelters"])
        is None
    )


def test_a_definite_reference_to_earlier_money_is_not_published_alone() -> None:
    assert not judge(
        "International Development Minister Priya Desai said the money would go to UN agencies."
    ).usable
    assert judge("The amount of rain that fell on Monday broke the record for March.").usable
