"""The writer's input (source reports) and output (a draft article of sourced sentences)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsdesk.writing.attribution import render_attributed


@dataclass(frozen=True)
class SourceReport:
    id: int
    outlet: str  # display name, e.g. "The Meridian Post"
    title: str
    text: str  # main text, paragraphs separated by "\n"
    published_at: datetime | None
    language: str  # "en", "ar", ...
    # A syndicated copy of report <id>: never a sentence source, but it carries the claims.
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Support:
    report_id: int
    start: int  # character offsets into that report's .text
    end: int


@dataclass(frozen=True)
class DraftSentence:
    # Extractive: exactly report.text[start:end] of the primary support. A model's sentence
    # (verbatim False) is its own words, supported by the passages it cites.
    text: str
    support: tuple[Support, ...]  # primary first, then reports carrying the same claim
    attribution: str | None  # outlet name when the claim is to be attributed on display
    verbatim: bool = True

    def render(self, language: str = "en") -> str:
        """The displayed sentence: the text plus an attribution phrase if set."""
        if self.attribution is None:
            return self.text
        return render_attributed(self.text, self.attribution, language)


@dataclass(frozen=True)
class DraftSection:
    heading: str
    paragraphs: tuple[tuple[DraftSentence, ...], ...]


@dataclass(frozen=True)
class Draft:
    headline: str
    summary: str  # one sentence
    sections: tuple[DraftSection, ...]
    language: str
    # The extractive summary's source sentence (its text unrendered, with its support).
    summary_source: DraftSentence | None = None

    def sentences(self) -> Iterator[DraftSentence]:
        """Every body sentence, in reading order."""
        for section in self.sections:
            for paragraph in section.paragraphs:
                yield from paragraph


def draft_to_json(draft: Draft) -> dict[str, Any]:
    """A JSON-ready form of the draft, kept with its article revision."""
    return {
        "headline": draft.headline,
        "summary": draft.summary,
        "language": draft.language,
        "sections": [
            {
                "heading": section.heading,
                "paragraphs": [
                    [
                        {
                            "text": sentence.text,
                            "attribution": sentence.attribution,
                            "verbatim": sentence.verbatim,
                            "support": [[s.report_id, s.start, s.end] for s in sentence.support],
                        }
                        for sentence in paragraph
                    ]
                    for paragraph in section.paragraphs
                ],
            }
            for section in draft.sections
        ],
    }


def draft_from_json(data: dict[str, Any]) -> Draft:
    return Draft(
        headline=data["headline"],
        summary=data["summary"],
        language=data["language"],
        sections=tuple(
            DraftSection(
                heading=section["heading"],
                paragraphs=tuple(
                    tuple(
                        DraftSentence(
                            text=sentence["text"],
                            attribution=sentence["attribution"],
                            verbatim=sentence["verbatim"],
                            support=tuple(Support(*span) for span in sentence["support"]),
                        )
                        for sentence in paragraph
                    )
                    for paragraph in section["paragraphs"]
                ),
            )
            for section in data["sections"]
        ),
    )
