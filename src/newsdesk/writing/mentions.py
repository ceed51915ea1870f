"""People and bodies named before they are introduced.

A report says "Ethiopia's Tadesse Gebremariam" once and "Gebremariam" afterwards, or
"National Renewal Congress (NRC)" once and "the NRC" afterwards. Sentences taken from
several reports and reordered can put the short form first; such a sentence depends on
context the article has not given, and is left out (see ``writer``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsdesk.writing.similarity import STOPWORDS

_NAME_WORD = r"[A-Z][a-z\u00c0-\u024f]+(?:[-'\u2019][A-Z]?[a-z\u00c0-\u024f]+)*"
# Two or more capitalised words: a given name (or more) and a surname.
_FULL_NAME = re.compile(rf"\b({_NAME_WORD}(?:\s+{_NAME_WORD})*)\s+({_NAME_WORD})\b")
_TITLES = r"(?:Mr|Ms|Mrs|Mx|Dr|Prof|Gen|Sen|Rep|Gov)\.?"
_PERSON_CONTEXT = (
    r"\b(?:said|says|told|added|argued|finished|won|wrote|warned|insisted|noted|explained|"
    r"announced|conceded|accepted|promised|pledged)\b"
)
_DEFINED_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
_NOT_SURNAMES = frozenset(
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)


def surnames(texts: Iterable[str]) -> dict[str, str]:
    """Surname -> a full name it appears in, for people the texts call by surname."""
    texts = list(texts)
    full: dict[str, str] = {}
    for text in texts:
        for match in _FULL_NAME.finditer(text):
            given, surname = match.group(1), match.group(2)
            if given.split()[0].lower() in STOPWORDS or surname in _NOT_SURNAMES:
                continue
            full.setdefault(surname, f"{given} {surname}")
    people = {}
    for surname, name in full.items():
        # Only texts holding the surname can match: most names appear in few of the reports.
        holding = [text for text in texts if surname in text]
        word = re.escape(surname)
        pattern = re.compile(
            rf"\b{_TITLES}\s+{word}\b|(?<![A-Za-z]\s)\b{word}(?:'s|\u2019s)?\s+{_PERSON_CONTEXT}"
        )
        if any(pattern.search(text) for text in holding):
            people[surname] = name
    return people


def acronyms(texts: Iterable[str]) -> frozenset[str]:
    """Acronyms the texts define ("... Congress (NRC)")."""
    return frozenset(a for text in texts for a in _DEFINED_ACRONYM.findall(text))


def introduced_too_late(
    ordered: Sequence[str], people: dict[str, str], defined: frozenset[str]
) -> set[int]:
    """Positions of the sentences that use a short form before the article introduces it."""
    late: set[int] = set()
    introduced: set[str] = set()
    for position, text in enumerate(ordered):
        for surname in people:
            if surname not in text:
                continue
            if surname not in introduced and not _has_full_form(text, surname):
                late.add(position)
        for acronym in defined:
            used = re.search(rf"\b{acronym}\b", text) and acronym not in introduced
            if used and f"({acronym})" not in text:
                late.add(position)
        if position not in late:
            introduced.update(s for s in people if _has_full_form(text, s) or s in introduced)
            introduced.update(a for a in defined if f"({a})" in text or a in introduced)
    return late


def _has_full_form(text: str, surname: str) -> bool:
    """Whether the surname comes after a given name here ("Brian Kipkemboi Langat")."""
    for match in re.finditer(rf"\b({_NAME_WORD})\s+{re.escape(surname)}\b", text):
        given = match.group(1)
        if given.lower() not in STOPWORDS and not re.fullmatch(_TITLES, given):
            return True
    return False
