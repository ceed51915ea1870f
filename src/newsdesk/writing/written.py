"""What a writer hands to publishing: the draft, who wrote it, and the gate's decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsdesk.writing.draft import Draft


@dataclass(frozen=True)
class Written:
    draft: Draft
    writer: str  # "extractive" or the model's name
    # Published in the reports' own language although the site has another.
    untranslated: bool = False
    gate: list[dict[str, Any]] = field(default_factory=list)
    fallback_reason: str = ""
    translated_from: list[str] = field(default_factory=list)
