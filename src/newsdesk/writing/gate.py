"""The faithfulness gate: a sentence is published only if the passages it cites support it.

Supported means: every name, number, date and quotation of the sentence is found in the
cited passages (after normalisation: case, possessives, Arabic spelling variants, digits,
number words and scales, typeset spacing of quotation marks), quotations word for word, and
most of its content words come from them too. For a passage read in translation, the
translation is what is checked, and its numbers were checked against the original when it
was translated (``llm.translate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsdesk.writing.claims import claims, name_words, names, numbers, outside_quotes, squeeze
from newsdesk.writing.similarity import content_tokens, stem

# Share of a sentence's content words that must come from its passages: a model may join
# and reorder the passages' words, not bring its own story.
MIN_WORD_SUPPORT = 0.6
_QUOTE_EDGES = " ,.;:!?-\u2013\u2014'\""


@dataclass(frozen=True)
class Verdict:
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def supported(self) -> bool:
        return not self.problems


def check(sentence: str, passages: Sequence[str]) -> Verdict:
    """Whether ``passages`` support every checkable claim of ``sentence``."""
    if not passages:
        return Verdict(("cites no passage",))
    source = "\n".join(passages)
    found = claims(sentence)
    problems: list[str] = []
    known_words = name_words(source)
    known_stems = frozenset(stem(word) for word in known_words)
    missing_names = sorted(
        name for name in found.names if not _name_found(name, known_words, known_stems)
    )
    if missing_names:
        problems.append("names not in the cited passages: " + ", ".join(missing_names))
    missing_dates = sorted(date for date in found.dates if date not in known_words)
    if missing_dates:
        problems.append("dates not in the cited passages: " + ", ".join(missing_dates))
    source_numbers = numbers(source)
    missing_numbers = sorted(n for n in found.numbers if not _number_found(n, source_numbers))
    if missing_numbers:
        problems.append(
            "numbers not in the cited passages: " + ", ".join(_show(n) for n in missing_numbers)
        )
    squeezed = squeeze(source)
    folded_source = squeezed.casefold()
    for quote in found.quotes:
        inner = squeeze(quote).strip(_QUOTE_EDGES)
        if inner and inner not in squeezed:
            kind = "altered" if inner.casefold() in folded_source else "not found"
            problems.append(f"quotation {kind} in the cited passages: \u201c{quote.strip()}\u201d")
        elif inner:
            problems.extend(_misattributed(sentence, inner, passages))
    words = content_tokens(sentence)
    if words:
        source_words = set(content_tokens(source))
        share = sum(word in source_words for word in words) / len(words)
        if share < MIN_WORD_SUPPORT:
            problems.append(f"only {share:.0%} of its words are in the cited passages")
    return Verdict(tuple(problems))


def _misattributed(sentence: str, inner: str, passages: Sequence[str]) -> list[str]:
    """A quotation is credited only to names the passage that holds it gives.

    "'The next six hours are the most dangerous,' said Rosario Dumlao" is refused when the
    passage with those words names Liza Manalo: every name outside the quotation marks must
    be in a passage that holds the quotation.
    """
    holders = [p for p in passages if inner in squeeze(p)]
    known_words = name_words("\n".join(holders))
    known_stems = frozenset(stem(word) for word in known_words)
    outside = names(outside_quotes(sentence))
    strangers = sorted(n for n in outside if not _name_found(n, known_words, known_stems))
    if not strangers:
        return []
    return ["quotation credited to names its passage does not give: " + ", ".join(strangers)]


def altered_quotes(sentence: str, passages: Sequence[str]) -> int:
    """Quotations of ``sentence`` that are not word for word in ``passages``."""
    squeezed = squeeze("\n".join(passages))
    count = 0
    for quote in claims(sentence).quotes:
        inner = squeeze(quote).strip(_QUOTE_EDGES)
        if inner and inner not in squeezed:
            count += 1
    return count


def _name_found(name: str, known: frozenset[str], stems: frozenset[str]) -> bool:
    # A title-cased heading capitalises ordinary words: "Collapse" for "collapsed".
    if name in known or stem(name) in stems:
        return True
    # "al-Mansouri" vs "Al Mansouri", "U.N." vs "UN".
    parts = [part for part in name.replace(".", "").split("-") if part]
    return bool(parts) and all(part in known for part in parts)


def _number_found(value: float, known: frozenset[float]) -> bool:
    return any(abs(value - other) <= 1e-9 * max(1.0, abs(other)) for other in known)


def _show(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def decision(
    part: str, text: str, verdict: Verdict, cites: Sequence[int] = (), **extra: Any
) -> dict[str, Any]:
    """One logged decision of the gate, as kept with the article revision."""
    return {
        "part": part,
        "text": text,
        "cites": list(cites),
        "kept": verdict.supported,
        "problems": list(verdict.problems),
        **extra,
    }
