"""Section tagging: keyword evidence (en + ar) plus weak hints from the sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.tagging.sections import SECTIONS, classify_section, hint_votes, section_for_hint

DATA_FILE = Path(__file__).parents[2] / "src" / "newsdesk" / "tagging" / "data" / "sections.json"


ENGLISH = {
    "World": (
        "Ceasefire talks stall as troops mass on the border",
        "Diplomats at the United Nations Security Council urged both sides to respect the "
        "truce after overnight shelling displaced thousands of civilians, the foreign "
        "ministry said.",
    ),
    "Politics": (
        "Opposition wins majority in parliamentary election",
        "Voters turned out in large numbers and the opposition party won a majority of seats "
        "in parliament; the prime minister conceded and lawmakers will elect a new speaker.",
    ),
    "Business": (
        "Central bank raises interest rates as inflation climbs",
        "Shares fell on the stock exchange after the central bank raised its benchmark "
        "interest rate to fight inflation; investors expect slower economic growth.",
    ),
    "Technology": (
        "New AI chatbot tops the app charts",
        "The software company said its artificial intelligence model runs on its own chips "
        "in cloud data centres, and the smartphone app reached ten million users.",
    ),
    "Science": (
        "Telescope spots water on a distant planet",
        "Astronomers using the space telescope detected water vapour in the atmosphere of a "
        "planet orbiting a nearby star, researchers reported in a peer-reviewed journal.",
    ),
    "Health": (
        "Measles outbreak prompts vaccination drive",
        "Hospitals reported hundreds of measles cases and health officials urged parents to "
        "vaccinate children; doctors said the disease spreads quickly among patients.",
    ),
    "Sports": (
        "Striker scores twice as United win the derby",
        "The striker scored two goals in the second half, the goalkeeper saved a penalty and "
        "the coach praised his team after the league match in front of a full stadium.",
    ),
    "Entertainment": (
        "Director's new film wins top prize at Cannes",
        "The actress and the director walked the red carpet before the premiere; the film is "
        "expected to be a box office hit in cinemas before it streams on Netflix.",
    ),
    "Environment": (
        "Heatwave and drought fuel wildfires",
        "Climate change made the heatwave more likely; the drought has dried out forests, "
        "wildfires have burned thousands of hectares and carbon emissions are rising.",
    ),
}

ARABIC = {
    "Sports": (
        "المنتخب يفوز في مباراة الدوري",
        "سجل المهاجم هدفين في المباراة وقال المدرب إن اللاعبين قدموا أداء رائعا في الملعب.",
    ),
    "Health": (
        "وزارة الصحة تطلق حملة تطعيم ضد الحصبة",
        "أعلنت وزارة الصحة تسجيل إصابات جديدة بالحصبة ودعت الأطباء في المستشفيات إلى تطعيم "
        "الأطفال بعد تفشي الوباء.",
    ),
    "Business": (
        "البنك المركزي يرفع أسعار الفائدة لمواجهة التضخم",
        "تراجعت الأسهم في البورصة بعد أن رفع البنك المركزي سعر الفائدة، وقال مستثمرون إن "
        "الاقتصاد قد يتباطأ.",
    ),
    "Environment": (
        "موجة حر وجفاف يهددان الغابات",
        "قال خبراء إن تغير المناخ زاد من حدة الجفاف وحرائق الغابات، مع تزايد انبعاثات الكربون.",
    ),
    "Politics": (
        "المعارضة تفوز في الانتخابات البرلمانية",
        "أدلى الناخبون بأصواتهم في صناديق الاقتراع، وفاز حزب المعارضة بأغلبية مقاعد البرلمان.",
    ),
}


def test_sections_constant() -> None:
    assert SECTIONS == (
        "World",
        "Politics",
        "Business",
        "Technology",
        "Science",
        "Health",
        "Sports",
        "Entertainment",
        "Environment",
    )


@pytest.mark.parametrize("section", list(ENGLISH))
def test_english_short_texts(section: str) -> None:
    title, text = ENGLISH[section]
    assert classify_section(title, text) == section


@pytest.mark.parametrize("section", list(ARABIC))
def test_arabic_short_texts(section: str) -> None:
    title, text = ARABIC[section]
    assert classify_section(title, text, language="ar") == section


@pytest.mark.parametrize(
    ("hint", "section"),
    [
        ("Tech", "Technology"),
        ("technology", "Technology"),
        ("sci", "Science"),
        ("Sport", "Sports"),
        ("football", "Sports"),
        ("Economy", "Business"),
        ("Markets", "Business"),
        ("money", "Business"),
        ("climate", "Environment"),
        ("Culture", "Entertainment"),
        ("arts", "Entertainment"),
        ("film", "Entertainment"),
        ("Music", "Entertainment"),
        ("opinion", "Politics"),
        ("World", "World"),
        ("International", "World"),
        ("Science & Environment", "Science"),
        ("/news/technology/2024/05/", "Technology"),
        ("sci-tech", "Technology"),
        ("رياضة", "Sports"),
        ("الاقتصاد", "Business"),
        ("ثقافة وفنون", "Entertainment"),
        ("news", None),
        ("", None),
    ],
)
def test_hint_aliases(hint: str, section: str | None) -> None:
    assert section_for_hint(hint) == section


def test_earlier_hints_weigh_more_and_world_counts_half() -> None:
    votes = hint_votes(["Tech", "news", "technology", "World"])
    assert votes["Technology"] > votes["World"] > 0
    assert hint_votes(["Sports"])["Sports"] > hint_votes(["World"])["World"]


def test_sports_report_from_a_world_default_source_is_sports() -> None:
    title = "Kenya's Langat smashes marathon world record in Valencia"
    text = (
        "The 24-year-old runner crossed the finish line in two hours and 11 seconds, beating "
        "the world record by 24 seconds after the pacemakers stepped off at 30 kilometres. "
        "The race organisers said a record field of athletes took part."
    )
    assert classify_section(title, text, hints=["World"]) == "Sports"
    assert classify_section(title, text, hints=["news", "World"]) == "Sports"


def test_hints_decide_when_the_text_says_little() -> None:
    assert classify_section("A quiet day", "Nothing much happened.", ["Tech", "World"]) == (
        "Technology"
    )
    assert classify_section("", "", ["Sport"]) == "Sports"
    assert classify_section("", "", ["Opinion", "World"]) == "Politics"


def test_a_strong_feed_category_beats_thin_keyword_evidence() -> None:
    title = "Club legend visits children's ward"
    text = "The former captain spent the afternoon with young patients."
    assert classify_section(title, text, ["Football"]) == "Sports"


def test_fallback_is_world() -> None:
    assert classify_section("", "") == "World"
    assert classify_section("A day in the life", "He walked to the shop and back.") == "World"
    assert classify_section("Weird hints", "Nothing here.", ["zzz", "/2024/"]) == "World"


def test_title_weighs_more_than_body() -> None:
    title = "Vaccine trial shows strong results"
    text = "Shares in the company rose after the announcement."
    assert classify_section(title, text) == "Health"


def test_deterministic() -> None:
    title, text = ENGLISH["Business"]
    results = {classify_section(title, text, ["World", "Tech"]) for _ in range(5)}
    assert len(results) == 1


def test_data_file_sanity() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert set(data["keywords"]) == set(SECTIONS)
    assert set(data["hints"].values()) <= set(SECTIONS)
    for section, languages in data["keywords"].items():
        assert set(languages) == {"en", "ar"}, section
        for words in languages.values():
            assert len(words) >= 20, section
            assert all(0 < weight <= 3 for weight in words.values()), section
