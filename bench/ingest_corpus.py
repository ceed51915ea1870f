"""The ingest benchmark's articles: Wikinews stories read from JSON lines, and varied repeats."""

from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


class BenchDataError(ValueError):
    """The corpus file is missing or holds no usable article."""


@dataclass(frozen=True)
class Story:
    title: str
    date: datetime
    paragraphs: tuple[str, ...]


def load_stories(path: Path) -> list[Story]:
    """Articles of a JSON-lines corpus (title, date, text); unusable lines are skipped."""
    if not path.is_file():
        raise BenchDataError(
            f"no corpus at {path}: pass --data with the path of wikinews.jsonl "
            "(from the project root: ../shared/data/corpus/wikinews.jsonl)"
        )
    stories: list[Story] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                date = datetime.fromisoformat(str(row["date"])).replace(tzinfo=UTC)
                title = str(row["title"]).strip()
                text = str(row["text"])
            except (ValueError, KeyError, TypeError) as exc:
                print(f"{path}:{number}: skipped: {exc!r}", file=sys.stderr)
                continue
            # Wikinews texts open with their dateline; the page prints its own.
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
            paragraphs = [p for p in paragraphs if p][1:]
            if title and paragraphs:
                stories.append(Story(title, date, tuple(paragraphs)))
    if not stories:
        raise BenchDataError(f"{path} holds no article with a date, a title and a text")
    return stories


def varied(paragraphs: tuple[str, ...], repeat: int, seed: int) -> tuple[str, ...]:
    """The text of a repeated article, different enough not to be a near-copy of the others.

    Repeat 0 is the article itself. Later repeats replace every eighth word (at a position
    that shifts with the repeat) by another word of the same article: the text keeps its
    length, vocabulary and paragraphs, so extraction costs the same, but fewer than a third
    of its 5-word shingles survive, so the desk sees distinct reports, as a real flow of
    news would be, and not copies it could short-cut.
    """
    if repeat == 0:
        return paragraphs
    rng = random.Random(seed * 1000 + repeat)
    vocabulary = [w for p in paragraphs for w in p.split() if w.isalpha() and len(w) > 3]
    if not vocabulary:
        return paragraphs
    position = 0
    out: list[str] = []
    for paragraph in paragraphs:
        words = paragraph.split()
        for i in range(len(words)):
            if (position + repeat) % 8 == 0:
                words[i] = rng.choice(vocabulary)
            position += 1
        out.append(" ".join(words))
    return tuple(out)
