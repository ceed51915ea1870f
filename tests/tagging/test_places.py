"""Place tags: countries an article is about, from names, demonyms and cities (en + ar)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsdesk.tagging.places import Place, all_places, find_places, place_by_slug

DATA_FILE = Path(__file__).parents[2] / "src" / "newsdesk" / "tagging" / "data" / "places.json"

# ISO 3166-1 alpha-2 codes of the 193 UN member states.
_UN_CODES = """
    AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH
    CM CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI
    FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KP
    KR KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME MA MZ MM
    NA NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA RO RU RW KN LC VC WS SM ST
    SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TZ TH TL TG TO TT TN TR TM TV
    UG UA AE GB US UY UZ VU VE VN YE ZM ZW
"""
UN_MEMBERS = frozenset(_UN_CODES.split())

SYRIA_TITLE = "Syria says Russian jets struck Idlib as Turkey warns of new offensive"
SYRIA_TEXT = (
    "DAMASCUS - Syrian state media said on Tuesday that Russian warplanes had carried out "
    "dozens of strikes on rebel positions around Idlib, the last opposition stronghold in the "
    "north-west of Syria. The Syrian army also shelled villages south of Aleppo. Turkey, which "
    "backs some rebel groups and keeps observation posts inside Syria, said the strikes "
    "endangered its soldiers, and Turkish officials called Moscow to demand a halt. The "
    "Kremlin said Russia would keep supporting the government in Damascus. Germany called "
    "for calm."
)


def codes(title: str, text: str = "", **kwargs: object) -> list[str]:
    return [place.code for place in find_places(title, text, **kwargs)]  # type: ignore[arg-type]


def test_syria_russia_turkey_in_salience_order() -> None:
    places = find_places(SYRIA_TITLE, SYRIA_TEXT)
    assert [place.name for place in places] == ["Syria", "Russia", "Turkey"]
    assert places[0] == Place(code="SY", name="Syria", slug="syria")


def test_passing_mention_in_a_longer_text_is_not_a_tag() -> None:
    # Germany appears once at the end of the Syria story: not a tag even with room left.
    assert "DE" not in codes(SYRIA_TITLE, SYRIA_TEXT, limit=10)


def test_limit_and_empty_input() -> None:
    assert codes(SYRIA_TITLE, SYRIA_TEXT, limit=1) == ["SY"]
    assert codes(SYRIA_TITLE, SYRIA_TEXT, limit=0) == []
    assert codes("", "") == []
    assert codes("Markets rally on hopes of lower rates", "Stocks rose across the board.") == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Syrian refugees return home", "SY"),
        ("Chilean voters head to the polls", "CL"),
        ("Kenyan runner breaks record", "KE"),
        ("Turkish lira slides", "TR"),
        ("Filipinos brace for typhoon", "PH"),
        ("Nigerien junta expels envoy", "NE"),
        ("Nigerian senate passes budget", "NG"),
        ("Ivorian cocoa farmers protest", "CI"),
        ("South Sudanese troops deploy", "SS"),
        ("Sudanese army retakes town", "SD"),
        ("Greek Cypriot leader meets envoy", "CY"),
    ],
)
def test_demonyms(title: str, expected: str) -> None:
    assert codes(title) == [expected]


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("Damascus", "SY"),
        ("Aleppo", "SY"),
        ("Idlib", "SY"),
        ("Tartous", "SY"),
        ("Lusaka", "ZM"),
        ("Valencia", "ES"),
        ("Aqaba", "JO"),
        ("Luxor", "EG"),
        ("Kenitra", "MA"),
        ("Marrakech", "MA"),
        ("El Fasher", "SD"),
        ("Cagayan", "PH"),
        ("Kinshasa", "CD"),
        ("Brazzaville", "CG"),
        ("Ho Chi Minh City", "VN"),
        ("Port-au-Prince", "HT"),
        ("N'Djamena", "TD"),
        ("Sana’a", "YE"),
    ],
)
def test_cities_map_to_their_country(city: str, expected: str) -> None:
    assert codes(f"Protests spread to {city}") == [expected]


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("United States", "US"),
        ("U.S.", "US"),
        ("USA", "US"),
        ("America", "US"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("DRC", "CD"),
        ("Burma", "MM"),
        ("Swaziland", "SZ"),
        ("Gaza", "PS"),
        ("Taiwan", "TW"),
        ("Kosovo", "XK"),
        ("Hong Kong", "HK"),
        ("Western Sahara", "EH"),
    ],
)
def test_aliases(alias: str, expected: str) -> None:
    assert codes(f"Talks with {alias} resume") == [expected]


def test_us_is_upper_case_only() -> None:
    assert codes("Sanctions by the US hit exporters") == ["US"]
    assert codes("US, China agree to resume trade talks") == ["US", "CN"]
    assert codes("Let us know what you think", "Tell us and join us for the debate.") == []
    assert codes("Turkey imposes tariffs") == ["TR"]
    assert codes("Roast turkey recipes for the holidays") == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Election results in Papua New Guinea", ["PG"]),
        ("Equatorial Guinea and Guinea-Bissau sign deal", ["GQ", "GW"]),
        ("Guinea Bissau holds vote", ["GW"]),
        ("Dominican Republic opens border crossing", ["DO"]),
        ("Hurricane batters Dominica", ["DM"]),
        ("Niger and Nigeria reopen their border", ["NE", "NG"]),
        ("Oil spill in the Niger Delta", ["NG"]),
        ("South Sudan and Sudan trade accusations", ["SS", "SD"]),
        ("Republic of China marks national day", ["TW"]),
        ("People's Republic of China marks national day", ["CN"]),
        ("South Africa wins the toss", ["ZA"]),
        ("Northern Ireland votes", ["GB"]),
        ("Wildfire spreads in New Mexico", []),
        ("Cyclone forms in the Indian Ocean", []),
        ("Drought grips Latin America", []),
        ("Storms in New South Wales", ["AU"]),
    ],
)
def test_longest_match_wins(title: str, expected: list[str]) -> None:
    assert codes(title) == expected


def test_first_names_need_context() -> None:
    assert codes("Michael Jordan buys a team", "Michael Jordan said he would buy it.") == []
    assert codes("Chad Smith scores twice", "Chad Smith scored in both halves.") == []
    assert codes("Floods hit Chad", "Heavy rain hit the capital on Monday.") == ["TD"]
    assert codes("", "The aid convoy crossed into Chad on Monday after a long delay.") == ["TD"]
    assert codes("", "Jordan closed its border. Officials in Amman said it would reopen.") == ["JO"]
    assert codes("King of Jordan visits Paris", "") == ["JO", "FR"]


def test_georgia_state_versus_country() -> None:
    us_story = (
        "Voters in Georgia lined up in Atlanta. Georgia counts ballots slowly, officials said."
    )
    assert "GE" not in codes("Georgia recount begins", us_story)
    country = "Thousands rallied in Tbilisi. Georgian police said the protest in Georgia was calm."
    assert codes("Protests in Georgia", country) == ["GE"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fighting flared in Congo near Kinshasa and in eastern Congo.", "CD"),
        ("Fighting flared in Congo, and Brazzaville called for calm in Congo.", "CG"),
        ("Clashes in Tripoli and Benghazi. Tripoli airport closed.", "LY"),
        ("Clashes in Tripoli, Lebanon, spread. Beirut sent troops to Tripoli.", "LB"),
    ],
)
def test_ambiguous_names_follow_other_evidence(text: str, expected: str) -> None:
    assert codes("", text)[0] == expected


def test_title_mentions_weigh_more_and_earlier_mentions_break_ties() -> None:
    text = "Uganda and Rwanda sent observers. Uganda and Rwanda praised the calm vote."
    assert codes("Kenya votes", text) == ["KE", "UG", "RW"]


def test_short_text_single_body_mention_counts() -> None:
    assert codes("Quake kills 12", "A strong earthquake struck eastern Afghanistan.") == ["AF"]


def test_arabic_text_with_attached_prefixes() -> None:
    title = "وزير الخارجية الأردني يبحث في دمشق الأوضاع في سوريا"
    text = (
        "وصل وزير الخارجية الأردني إلى دمشق اليوم، حيث بحث مع المسؤولين السوريين عودة "
        "اللاجئين وأمن الحدود بين الأردن وسوريا. وقال الوزير إن بلاده ستواصل التنسيق مع "
        "الحكومة السورية، وإن الرحلات بين عمّان ودمشق ستُستأنف. وكان الوزير قد زار القاهرة "
        "الأسبوع الماضي."
    )
    assert codes(title, text, language="ar") == ["SY", "JO"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وصلت المساعدات إلى سوريا ثم وسوريا مجددا", "SY"),
        ("عاد السفير بالأردن إلى عمله وقال إن الأردن مستقر", "JO"),
        ("وصل الوفد للأردن اليوم", "JO"),
        ("قدم دعما لمصر والمصريين", "EG"),
        ("افتتح المشروع في مدينة العقبة", "JO"),
        ("اكتشاف أثري في الأقصر", "EG"),
        ("قطار جديد بين القنيطرة ومراكش والرباط", "MA"),
        ("معارك في الفاشر وحول الخرطوم", "SD"),
        ("قمة في الدوحة", "QA"),
        ("مهرجان في مراكش والدار البيضاء", "MA"),
        ("عودة الهدوء إلى عمّان", "JO"),
        ("زيارة إلى سلطنة عمان", "OM"),
        ("قال مسؤول عُماني إن عُمان تدعم المحادثات", "OM"),
        ("أعلنت الحكومة السورية", "SY"),
        ("السفير الكوري الشمالي في موسكو", "KP"),
    ],
)
def test_arabic_names_demonyms_and_cities(text: str, expected: str) -> None:
    assert codes("", text, language="ar")[:1] == [expected]


def test_arabic_common_words_are_not_places() -> None:
    # "المالي" is "financial", not Mali; "البحرين الأحمر والمتوسط" is "the two seas".
    assert codes("", "قدم البنك الدعم المالي لمشروعات التحلية على البحرين الأحمر والمتوسط") == []
    assert codes("", "وصل الجنود إلى مالي لدعم القوات في باماكو") == ["ML"]


def test_place_by_slug_and_all_places() -> None:
    assert place_by_slug("syria") == Place("SY", "Syria", "syria")
    assert place_by_slug("ivory-coast") == Place("CI", "Ivory Coast", "ivory-coast")
    assert place_by_slug("atlantis") is None
    places = all_places()
    assert len(places) >= 193
    assert [p.name for p in places] == sorted(p.name for p in places)
    assert all(place_by_slug(p.slug) == p for p in places)


def test_data_file_sanity() -> None:
    records = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    codes_ = [r["code"] for r in records]
    slugs = [r["slug"] for r in records]
    assert len(codes_) == len(set(codes_))
    assert len(slugs) == len(set(slugs))
    assert len(records) >= 193
    assert set(codes_) >= UN_MEMBERS, sorted(UN_MEMBERS - set(codes_))
    for record in records:
        assert re.fullmatch(r"[A-Z]{2}", record["code"]), record
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", record["slug"]), record
        assert record["ar"]["names"], record["code"]
        assert set(record) >= {"code", "name", "slug", "aliases", "demonyms", "cities", "ar"}
        listed = {record["name"], *record["aliases"], *record["demonyms"], *record["cities"]}
        listed |= {*record["ar"]["names"], *record["ar"]["demonyms"], *record["ar"]["cities"]}
        assert set(record["weak"]) <= listed, record["code"]


# Forms listed under two places on purpose; other evidence decides (tested above).
AMBIGUOUS = {"Congo", "Congolese", "Jerusalem", "Tripoli", "الكونغو", "كونغولي", "القدس"}
AMBIGUOUS |= {"طرابلس", "القنيطرة", "عمّان", "عُمان"}


def test_every_form_in_the_data_finds_its_place() -> None:
    # A locative cue ("from", "من") lets weak forms such as "Jordan" or "مالي" count too.
    records = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for record in records:
        english = [record["name"], *record["aliases"], *record["demonyms"], *record["cities"]]
        arabic = [*record["ar"]["names"], *record["ar"]["demonyms"], *record["ar"]["cities"]]
        for form in english:
            if form not in AMBIGUOUS:
                assert codes(f"News from {form} today") == [record["code"]], form
        for form in arabic:
            if form not in AMBIGUOUS:
                assert codes("", f"أخبار من {form} اليوم", language="ar") == [record["code"]], form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("عاد اللاجئون السوريون إلى ديارهم", "SY"),
        ("التقى وفد من المسؤولين السوريين", "SY"),
        ("قالت الخارجية المصرية", "EG"),
        ("أكد المسؤولون الأمريكيون", "US"),
        ("قال مسؤول أميركي", "US"),
        ("الرئيس الجنوب أفريقي", "ZA"),
    ],
)
def test_arabic_demonym_inflections(text: str, expected: str) -> None:
    assert codes("", text, language="ar") == [expected]


def test_a_long_text_tags_like_its_paragraph() -> None:
    # Speed belongs to benches (a timed test fails under load); a 5,000-word text made of one
    # paragraph must still give that paragraph's places, in its order.
    paragraph = SYRIA_TEXT + " Meanwhile in the capital officials met to discuss the budget. "
    text = " ".join((paragraph.split() * 80)[:5000])
    places = find_places(SYRIA_TITLE, text)
    assert [p.code for p in places] == ["SY", "RU", "TR"]
