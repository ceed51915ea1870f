"""Who carries a claim, and how a single-outlet claim is attributed when displayed.

Wire copies are not independent confirmation: a report with ``duplicate_of`` set counts
as the outlet of the report it copies. A claim is attributed when, after that folding,
exactly one outlet supports it. The attribution phrase is added only at display time, so
the stored sentence text stays verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from newsdesk.writing.similarity import normalise_arabic

if TYPE_CHECKING:
    from newsdesk.writing.draft import SourceReport

_FINAL_PERIOD = re.compile(r"(?<![.])\.$")  # a single final period, not an ellipsis
_ALREADY_ATTRIBUTED_EN = re.compile(r"\baccording to\b", re.IGNORECASE)
_ALREADY_ATTRIBUTED_AR = re.compile(r"(?:بحسب|حسب|وفق|وفقا|نقلا عن)")


_SOURCE_VERBS = r"(?:said|says|told|added|reported|reports|announced|stated|confirmed|estimated)"
# "..., the ministry said." / "Officials told reporters ..." / "... according to the UN."
_NAMES_SOURCE = re.compile(
    rf",\s+(?:the\s+)?[^,.;]{{2,60}}?\s+{_SOURCE_VERBS}\b[^,;]*[.!]?[\"'”’»]*$"
    rf"|^(?:the\s+)?[A-Z][^,.;]{{1,60}}?\s+{_SOURCE_VERBS}\s+(?:that\s+|on\s+\w+\s+)?"
    # "Ramon Esguerra, a spokesman for the council, said ..."
    rf"|^(?:the\s+)?[A-Z][^,.;]{{1,60}},\s+[^,;]{{2,90}},\s+{_SOURCE_VERBS}\b"
    r"|\baccording to\b|(?:بحسب|حسب|وفق|نقلا عن|قال|قالت|أعلن|أعلنت)",
    re.IGNORECASE,
)


def names_its_source(text: str) -> bool:
    """Whether the sentence says who it comes from, so that no outlet need be credited."""
    from newsdesk.writing.eligibility import is_quote, names_speaker

    if is_quote(text) and names_speaker(text):
        return True
    return bool(_NAMES_SOURCE.search(text))


def original_report_id(report_id: int, reports: Mapping[int, SourceReport]) -> int:
    """Follow ``duplicate_of`` links to the original report present in ``reports``."""
    seen = {report_id}
    current = report_id
    while True:
        target = reports[current].duplicate_of
        if target is None or target not in reports or target in seen:
            return current
        seen.add(target)
        current = target


def single_outlet(report_ids: Iterable[int], reports: Mapping[int, SourceReport]) -> str | None:
    """The outlet's name when all ``report_ids`` trace back to one outlet, else None."""
    names: dict[str, str] = {}
    for report_id in report_ids:
        name = reports[original_report_id(report_id, reports)].outlet.strip()
        names.setdefault(name.casefold(), name)
    if len(names) != 1:
        return None
    return next(iter(names.values()))


def mentions_outlet(text: str, outlet: str) -> bool:
    """Whether the sentence already names the outlet ("..., Bloomberg reported.")."""
    haystack = normalise_arabic(text.casefold())
    name = normalise_arabic(outlet.casefold().strip())
    # Articles come and go: "The Meridian Post's", "للمنارة" ("to Al-Manara").
    for article in ("the ", "ال"):
        if name.startswith(article) and len(name) - len(article) >= 3:
            name = name[len(article) :]
    return bool(name) and name in haystack


def render_attributed(text: str, outlet: str, language: str) -> str:
    """``text`` with a grammatical attribution to ``outlet`` in ``language``."""
    if mentions_outlet(text, outlet):
        return text
    ends_with_period = bool(_FINAL_PERIOD.search(text))
    if language == "ar":
        if not ends_with_period:
            return f"{text} (بحسب {outlet})"
        if _ALREADY_ATTRIBUTED_AR.search(text):
            return f"{text[:-1]} ({outlet})."
        return f"{text[:-1]}، بحسب {outlet}."
    if language == "en":
        if not ends_with_period:
            # Ends with a quote mark, "!" or "?": adding words inside would alter a quote.
            return f"{text} ({outlet})"
        if _ALREADY_ATTRIBUTED_EN.search(text):
            return f"{text[:-1]} ({outlet})."
        return f"{text[:-1]}, according to {outlet}."
    # Languages without a phrase table get the language-neutral bracket form.
    if ends_with_period:
        return f"{text[:-1]} ({outlet})."
    return f"{text} ({outlet})"
