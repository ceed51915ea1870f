"""The model writer by parts (NEWSDESK_LLM_MODE=units) against a real HTTP endpoint on loopback.

The endpoint answers each small ask in plain text: faithfully (the given sentences joined, the
last one left out), or with an invented name, number or quotation, so that each part must be
gated on its own and fall back to its extractive text alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from newsdesk.writing.gate import check
from newsdesk.writing.llm.config import Backend
from newsdesk.writing.llm.writer import ModelArticleRejected, write_with_model
from newsdesk.writing.writer import write_article
from tests.llmserver import Reply, chat, model_server
from tests.writing.stories import REPORTS

_GIVEN = re.compile(r"^- (.*)$", re.MULTILINE)


def backend(url: str, **changes: object) -> Backend:
    base = Backend(base_url=url, model="unit-model", timeout=3.0, connect_timeout=1.0, mode="units")
    return replace(base, **changes)  # type: ignore[arg-type]


def given(request: dict[str, Any]) -> list[str]:
    return _GIVEN.findall(request["messages"][-1]["content"])


def kind(request: dict[str, Any]) -> str:
    system = request["messages"][0]["content"]
    if "headline" in system:
        return "headline"
    if system.startswith("Write one sentence"):
        return "summary"
    return "paragraph"


def answering(paragraph: Callable[[list[str], int], str]) -> Callable[[dict[str, Any]], Reply]:
    """Faithful headline and summary; paragraphs from ``paragraph(sentences, count so far)``."""
    count = 0

    def behave(request: dict[str, Any]) -> Reply:
        nonlocal count
        assert "response_format" not in request  # plain text: no JSON grammar to pay for
        sentences = given(request)
        part = kind(request)
        if part == "headline":
            return chat("Karsk Dam bursts and floods the town of Orlen")
        if part == "summary":
            return chat(restated(sentences[0]))
        count += 1
        return chat(paragraph(sentences, count))

    return behave


def restated(sentence: str) -> str:
    """The sentence in other (faithful) words: reported by officials."""
    return f"Officials said that {sentence[0].lower()}{sentence[1:]}"


def faithful(sentences: list[str], count: int) -> str:
    kept = sentences[:-1] if len(sentences) > 2 else sentences[:1]
    return " ".join([restated(kept[0]), *kept[1:]])


def test_parts_that_pass_the_gate_are_published_with_their_sources() -> None:
    with model_server(answering(faithful)) as server:
        written = write_with_model(REPORTS, "en", backend(server.base_url))
    assert written.writer == "unit-model"
    draft = written.draft
    assert draft.headline == "Karsk Dam bursts and floods the town of Orlen"
    texts = {report.id: report.text for report in REPORTS}
    model_sentences = [s for s in draft.sentences() if not s.verbatim]
    assert model_sentences
    for sentence in draft.sentences():
        cited = [texts[s.report_id][s.start : s.end] for s in sentence.support]
        assert cited and check(sentence.text, cited).supported, sentence.text
    paragraphs = [d for d in written.gate if d["part"] == "paragraph"]
    assert paragraphs and all(d["kept"] for d in paragraphs)
    assert written.gate[-1]["part"] == "article" and "parts" in written.gate[-1]["text"]
    # Sections and headings are the extractive article's.
    extractive = write_article(REPORTS, "en")
    assert [s.heading for s in draft.sections] == [s.heading for s in extractive.sections]


def test_an_invented_paragraph_keeps_its_extractive_text_and_the_rest_is_the_models() -> None:
    def lying_once(sentences: list[str], count: int) -> str:
        if count == 1:
            return "Troops began the invasion of the Golan Heights on Monday, killing 212 people."
        return faithful(sentences, count)

    with model_server(answering(lying_once)) as server:
        written = write_with_model(REPORTS, "en", backend(server.base_url))
    published = " ".join(
        [
            written.draft.headline,
            written.draft.summary,
            *(s.text for s in written.draft.sentences()),
        ]
    )
    assert "Golan" not in published and "212" not in published
    refused = [d for d in written.gate if d["part"] == "paragraph" and not d["kept"]]
    assert len(refused) == 1 and refused[0]["replaced_by"]
    # That paragraph is the extractive one, verbatim; other paragraphs are the model's.
    extractive = write_article(REPORTS, "en")
    paragraphs = [p for section in written.draft.sections for p in section.paragraphs]
    kept_extractive = [
        p
        for p in paragraphs
        if all(s.verbatim for s in p) and " ".join(s.text for s in p) == refused[0]["replaced_by"]
    ]
    assert len(kept_extractive) == 1
    assert any(not s.verbatim for s in written.draft.sentences())
    assert len(written.draft.sections) == len(extractive.sections)


def test_altered_quote_and_dangling_opening_are_refused() -> None:
    def bad(sentences: list[str], count: int) -> str:
        if count == 1:  # a quotation no source holds, credited to a real name
            return '"The dam burst without any warning on Tuesday," said Governor Anna Petrov.'
        return "He said the water came fast."

    with model_server(answering(bad)) as server:
        written = write_with_model(REPORTS, "en", backend(server.base_url))
    assert "without any warning" not in " ".join(s.text for s in written.draft.sentences())
    assert all(s.verbatim for s in written.draft.sentences())
    problems = [p for d in written.gate if d["part"] == "sentence" for p in d["problems"]]
    assert any("quotation" in p for p in problems)
    assert any("pronoun" in p or "earlier" in p or "referring" in p for p in problems)


def test_nothing_kept_refuses_the_article() -> None:
    def invent(request: dict[str, Any]) -> Reply:
        return chat("President Vance Okoro of Zarnia announced 9,999 new ships on Monday.")

    with (
        model_server(invent) as server,
        pytest.raises(ModelArticleRejected) as caught,
    ):
        write_with_model(REPORTS, "en", backend(server.base_url))
    assert "kept none" in caught.value.reason
    assert all(not d["kept"] for d in caught.value.gate if d["part"] != "article")


def test_a_part_that_fails_at_the_endpoint_falls_back_alone() -> None:
    def flaky(request: dict[str, Any]) -> Reply:
        if kind(request) == "headline":
            return Reply(b"{not json", status=200)
        return answering(faithful)(request)

    with model_server(flaky) as server:
        written = write_with_model(REPORTS, "en", backend(server.base_url))
    assert written.draft.headline == write_article(REPORTS, "en").headline
    headline = next(d for d in written.gate if d["part"] == "headline")
    assert not headline["kept"] and "malformed" in headline["problems"][0]
    assert any(not s.verbatim for s in written.draft.sentences())


def test_a_base_model_continues_a_worked_example_at_the_completions_endpoint() -> None:
    """prompt_style "completion": POST /completions, a worked example, one line of answer."""

    def completion(request: dict[str, Any]) -> Reply:
        prompt = request["prompt"]
        assert request["stop"] == ["\n"] and prompt.endswith(":")
        # The example's story (Tarvi) comes first, the story to write last.
        news = prompt.rsplit("News: ", 1)[1].rsplit("\n", 1)[0]
        if prompt.endswith("Headline:"):
            text = " Floods in Norland town of Tarvi kill two"  # copies the example
        else:
            text = " " + restated(news)
        body = {
            "choices": [{"index": 0, "text": text, "finish_reason": "stop"}],
            "usage": {"total_tokens": 100},
        }
        return Reply(json.dumps(body).encode())

    with model_server(completion) as server:
        written = write_with_model(
            REPORTS, "en", backend(server.base_url, prompt_style="completion")
        )
    assert all("prompt" in r and "messages" not in r for r in server.requests)
    # The example copied into the headline names what the sources do not: refused.
    assert "Tarvi" not in written.draft.headline
    headline = next(d for d in written.gate if d["part"] == "headline")
    assert not headline["kept"] and any("tarvi" in p for p in headline["problems"])
    assert any(not s.verbatim for s in written.draft.sentences())
