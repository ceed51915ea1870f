"""What the model is given (numbered source passages only) and what it must answer (JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsdesk.writing.headline import HEADLINE_MAX_CHARS

LANGUAGE_NAMES = {"en": "English", "ar": "Arabic", "fr": "French", "de": "German", "es": "Spanish"}


@dataclass(frozen=True)
class PromptPassage:
    number: int  # as cited: [1], [2], ...
    report_id: int
    outlet: str
    start: int  # span of the supporting words in the report's original text
    end: int
    text: str  # what the model reads: the original, or its translation
    language: str  # language of the original


@dataclass(frozen=True)
class ModelParagraph:
    text: str
    cites: tuple[int, ...]


@dataclass(frozen=True)
class ModelSection:
    heading: str
    paragraphs: tuple[ModelParagraph, ...]


@dataclass(frozen=True)
class ModelArticle:
    headline: str
    summary: str
    sections: tuple[ModelSection, ...]


ARTICLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "headline": {"type": "string"},
        "summary": {"type": "string"},
        "sections": {
            "type": "array",
            "minItems": 1,
            "maxItems": 4,
            "items": {
                "type": "object",
                "properties": {
                    "heading": {"type": "string"},
                    "paragraphs": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 4,
                        "items": {
                            "type": "object",
                            "properties": {
                                "text": {"type": "string"},
                                "cites": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {"type": "integer"},
                                },
                            },
                            "required": ["text", "cites"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["heading", "paragraphs"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["headline", "summary", "sections"],
    "additionalProperties": False,
}


def article_messages(passages: Sequence[PromptPassage], language: str) -> tuple[str, str]:
    """The system and user messages asking for the article."""
    name = LANGUAGE_NAMES.get(language, language)
    system = (
        f"You are a news editor. Write one neutral news article in {name} using only the "
        "numbered source passages you are given. Rules: state only facts that the passages "
        "state; never add a name, number, date or quotation that is not in them; copy any "
        "quotation word for word and say who said it; when only one outlet reports a claim, "
        'say so ("according to ..."). Start with the main event. Write 2 to 4 sections, '
        "each with a short heading taken from its content and 1 to 3 paragraphs; each "
        'paragraph lists in "cites" the numbers of the passages it uses. The headline is '
        f"neutral and factual, at most {HEADLINE_MAX_CHARS} characters, not a question. The "
        "summary is one sentence. Answer with JSON only: "
        '{"headline": "...", "summary": "...", "sections": [{"heading": "...", '
        '"paragraphs": [{"text": "...", "cites": [1, 2]}]}]}'
    )
    lines = [f"[{p.number}] ({p.outlet}) {p.text}" for p in passages]
    user = "Source passages:\n" + "\n".join(lines) + "\n\nWrite the article as JSON."
    return system, user


class MalformedArticle(ValueError):
    pass


def parse_article(data: Any, passage_count: int) -> ModelArticle:
    """The model's JSON as an article; cites outside 1..passage_count are dropped."""
    if not isinstance(data, dict):
        raise MalformedArticle("the answer is not a JSON object")
    headline = _string(data, "headline")
    summary = _string(data, "summary")
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise MalformedArticle("'sections' must be a non-empty list")
    sections = []
    for raw in raw_sections[:4]:
        if not isinstance(raw, dict):
            raise MalformedArticle("a section is not an object")
        raw_heading = raw.get("heading")
        heading = raw_heading if isinstance(raw_heading, str) else ""
        raw_paragraphs = raw.get("paragraphs")
        if not isinstance(raw_paragraphs, list):
            raise MalformedArticle("a section's 'paragraphs' is not a list")
        paragraphs = []
        for paragraph in raw_paragraphs:
            if isinstance(paragraph, str):  # a paragraph without its cites cites nothing
                paragraph = {"text": paragraph, "cites": []}
            if not isinstance(paragraph, dict) or not isinstance(paragraph.get("text"), str):
                raise MalformedArticle("a paragraph has no text")
            cites = paragraph.get("cites")
            numbers = [c for c in cites if isinstance(c, int)] if isinstance(cites, list) else []
            valid = tuple(dict.fromkeys(c for c in numbers if 1 <= c <= passage_count))
            if paragraph["text"].strip():
                paragraphs.append(ModelParagraph(paragraph["text"].strip(), valid))
        if paragraphs:
            sections.append(ModelSection(heading.strip(), tuple(paragraphs)))
    if not sections:
        raise MalformedArticle("the article has no paragraph")
    return ModelArticle(headline=headline, summary=summary, sections=tuple(sections))


def _string(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise MalformedArticle(f"{key!r} must be a non-empty string")
    return " ".join(value.split())
