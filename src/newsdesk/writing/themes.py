"""Section headings named by theme: "Evacuations and shelters", "The agreement", "Reactions".

An editor heads a section with what it is about, in a few words. Cutting a heading from one
of the section's sentences gives fragments ("The World Food Programme Said About 140 Lorries
Carrying Sorghum"), and a report's title reads as a second headline (and may carry a figure
that a later report overtook). So an English section is named, where its sentences clearly
share one, by the theme they are about: the theme whose words most of its sentences use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# (heading, the words that tell the theme). Order breaks ties: the more specific first.
THEMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("The death toll", r"\b(?:dead|deaths?|died|killed|toll|bodies|missing|injured)\b"),
        (
            "Evacuations and shelters",
            r"\b(?:evacuat\w*|shelter\w*|fled|displaced|homeless|gymnasiums?)\b",
        ),
        (
            "Power cuts and transport",
            r"\b(?:power|electricity|grid|blackouts?|flights?|airports?|ferries|bridges?"
            r"|rail|trains?|passengers|stranded)\b",
        ),
        (
            "Floods and damage",
            r"\b(?:flood\w*|damage\w*|destroy\w*|roofs?|crops?|landslides?|river|dam)\b",
        ),
        (
            "The storm's path",
            r"\b(?:winds?|gusts?|km/h|landfall|forecast\w*|weather|rain\w*|signal|surges?"
            r"|came ashore|made landfall|crossed)\b",
        ),
        (
            "The agreement",
            r"\b(?:agreement|deal|truce|ceasefire|signed|signing|talks|negotiat\w*|corridors?"
            r"|mediat\w*|delegation)\b",
        ),
        (
            "Monitoring",
            r"\b(?:monitor\w*|observers?|violations?|compliance)\b",
        ),
        (
            "Aid",
            r"\b(?:aid|humanitarian|assistance|convoys?|trucks|lorries|food|medicine|supplies"
            r"|pledged?)\b",
        ),
        (
            "The results",
            r"\b(?:votes?|ballots?|polls?|counted|counting|results?|runoff|seats|turnout"
            r"|electoral|tally sheets|majority)\b",
        ),
        ("The campaign", r"\b(?:campaign\w*|candidates?|rally|rallies|opposition|manifesto)\b"),
        (
            "Markets and the economy",
            r"\b(?:markets?|shares|share average|stocks?|nikkei|index|yen|dollar|currency|cedi"
            r"|bonds?|yields?|investors|traders)\b",
        ),
        (
            "Rates and inflation",
            r"\b(?:interest rates?|policy rate|borrowing costs|inflation|wages|prices|monetary"
            r"|economy|economic|growth)\b",
        ),
        (
            "The investigation",
            r"\b(?:investigat\w*|inquiry|police|prosecutors?|charged|arrested|court|ruling"
            r"|judge|appeal)\b",
        ),
        (
            "The fine and the regulator",
            r"\b(?:fined?|penalty|regulators?|competition|antitrust|authority|breach\w*)\b",
        ),
        (
            "The mission",
            r"\b(?:spacecraft|probe|samples?|asteroid|mission|orbit|launch\w*|landing|landed"
            r"|capsule)\b",
        ),
        (
            "The outbreak",
            r"\b(?:cases|outbreak|cholera|vaccin\w*|hospitals?|patients|infections?|health)\b",
        ),
        ("The race", r"\b(?:marathon|runners?|race|finish\w*|record|course|kilometres)\b"),
        (
            "The discovery",
            r"\b(?:archaeolog\w*|excavat\w*|tomb|discover\w*|ancient|artefacts?|dynasty)\b",
        ),
        (
            "The project",
            r"\b(?:construction|plant|project|capacity|built|build|cubic metres|desalination"
            r"|railway|line)\b",
        ),
        ("The forest", r"\b(?:forest|reserve|deforestation|indigenous|species|rainforest)\b"),
        (
            "Reactions",
            r"\b(?:welcomed?|condemned?|praised?|criticis\w*|criticiz\w*|denounced?|urged"
            r"|called for|congratulat\w*)\b",
        ),
        (
            "Background",
            r"\b(?:began in|since|previous|history|historic|decades?|years? ago|last year"
            r"|each year|a year|first time|in (?:19|20)\d\d)\b",
        ),
    )
)
# A theme names a section when at least this share of its sentences (and two) use its words.
MIN_SHARE = 0.5


def _share(pattern: re.Pattern[str], sentences: Sequence[str]) -> float:
    return sum(1 for s in sentences if pattern.search(s)) / len(sentences) if sentences else 0.0


def theme_candidates(
    sentences: Sequence[str], elsewhere: Sequence[str]
) -> list[tuple[float, int, str]]:
    """(lift, -order, heading) of every theme that fits the section: most of its sentences
    use the theme's words, and more of them than of the rest of the article's."""
    found = []
    for order, (label, pattern) in enumerate(THEMES):
        sharing = sum(1 for sentence in sentences if pattern.search(sentence))
        if sharing < min(2, len(sentences)) or sharing < MIN_SHARE * len(sentences):
            continue
        lift = sharing / len(sentences) - _share(pattern, elsewhere)
        if lift > 0:
            found.append((lift, -order, label))
    return found


def theme_heading(
    sentences: Sequence[str], elsewhere: Sequence[str], taken: Sequence[str]
) -> str | None:
    """The theme the section's sentences are about more than the rest of the article's."""
    fits = [c for c in theme_candidates(sentences, elsewhere) if c[2] not in taken]
    return max(fits)[2] if fits else None


def assign_themes(sections: Sequence[Sequence[str]], taken: Sequence[str]) -> list[str | None]:
    """A theme for each section that has one, each theme once, the best fits first: a theme
    goes to the section it describes best, not to the first that it describes at all."""
    pairs = []
    for index, section in enumerate(sections):
        elsewhere = [s for i, other in enumerate(sections) if i != index for s in other]
        for lift, order, label in theme_candidates(section, elsewhere):
            if label not in taken:
                pairs.append((lift, order, -index, label))
    result: list[str | None] = [None] * len(sections)
    used: set[str] = set()
    for _, _, negative_index, label in sorted(pairs, reverse=True):
        if result[-negative_index] is None and label not in used:
            result[-negative_index] = label
            used.add(label)
    return result
