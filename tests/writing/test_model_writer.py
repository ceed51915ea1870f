"""The model writer against a real HTTP endpoint on loopback that misbehaves on request."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest

from newsdesk.writing.gate import check
from newsdesk.writing.llm.client import Budget, ModelFailure, complete_json
from newsdesk.writing.llm.config import Backend
from newsdesk.writing.llm.writer import ModelArticleRejected, write_with_model
from tests.llmserver import Reply, chat, down_url, model_server, scripted_article
from tests.writing.stories import ARABIC_REPORTS, REPORTS

INVENTED = "Troops began the invasion of the Golan Heights on Monday, killing 212 people."
ALTERED = 'Mara Ilves said: "We lost our homes in ten minutes."'


def backend(url: str, **changes: object) -> Backend:
    base = Backend(base_url=url, model="test-model", timeout=3.0, connect_timeout=1.0)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_faithful_article_is_published_with_its_citations() -> None:
    with model_server(scripted_article()) as server:
        written = write_with_model(REPORTS, "en", backend(server.base_url))
    assert written.writer == "test-model"
    sentences = list(written.draft.sentences())
    assert len(sentences) >= 3
    texts = {report.id: report.text for report in REPORTS}
    for sentence in sentences:
        assert not sentence.verbatim and sentence.support
        cited = [texts[s.report_id][s.start : s.end] for s in sentence.support]
        assert check(sentence.text, cited).supported
    request = server.requests[0]
    assert request["model"] == "test-model"
    assert request["response_format"]["type"] == "json_schema"
    # The prompt holds numbered passages only: no report titles, no other context.
    assert "[1] (" in request["messages"][1]["content"]
    assert written.gate[-1]["part"] == "article" and written.gate[-1]["kept"]


def test_invented_sentence_and_altered_quote_are_dropped() -> None:
    with model_server(scripted_article([INVENTED, ALTERED])) as server:
        written = write_with_model(REPORTS, "en", backend(server.base_url))
    published = " ".join(s.text for s in written.draft.sentences())
    assert "Golan" not in published and "212" not in published
    assert "ten minutes" not in published
    dropped = [d for d in written.gate if d["part"] == "sentence" and not d["kept"]]
    assert {d["text"] for d in dropped} == {INVENTED, ALTERED}
    invented = next(d for d in dropped if d["text"] == INVENTED)
    assert any("golan" in problem for problem in invented["problems"])
    assert any("212" in problem for problem in invented["problems"])


def test_invented_headline_is_replaced() -> None:
    headline = "Golan Heights invasion leaves Orlen in ruins"
    with model_server(scripted_article(headline=headline)) as server:
        written = write_with_model(REPORTS, "en", backend(server.base_url))
    assert "Golan" not in written.draft.headline
    decision = next(d for d in written.gate if d["part"] == "headline")
    assert not decision["kept"] and decision["replaced_by"] == written.draft.headline


def test_too_much_dropped_refuses_the_article() -> None:
    lies = [f"Minister Karl Ostrow{n} promised {n}00 new homes in Tallis." for n in range(2, 12)]
    with (
        model_server(scripted_article(lies)) as server,
        pytest.raises(ModelArticleRejected) as caught,
    ):
        write_with_model(REPORTS, "en", backend(server.base_url))
    assert "gate kept" in caught.value.reason
    assert caught.value.gate[-1]["part"] == "article"


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (chat("{not json at all"), "malformed"),
        (Reply(b"<html>proxy error</html>"), "malformed"),
        (chat('{"headline": 3}'), "malformed"),
        (chat("I'm sorry, but I can't help with writing news articles."), "refused"),
        (chat("", refusal="I cannot comply with this request."), "refused"),
        (chat("{}", finish="content_filter"), "refused"),
        (chat('{"headline": "cut', finish="length"), "budget"),
        (chat("{}", usage=10**6), "budget"),
        (Reply(b'{"error": "overloaded"}', status=503), "http"),
    ],
)
def test_every_failure_gives_a_reason(reply: Reply, kind: str) -> None:
    with model_server(lambda _: reply) as server, pytest.raises(ModelArticleRejected) as caught:
        write_with_model(REPORTS, "en", backend(server.base_url))
    assert caught.value.reason.startswith(kind), caught.value.reason


def test_down_endpoint() -> None:
    url = down_url()
    with pytest.raises(ModelArticleRejected) as caught:
        write_with_model(REPORTS, "en", backend(url))
    assert caught.value.reason.startswith("down: cannot connect")
    # The next story does not wait on it again.
    with pytest.raises(ModelArticleRejected) as again:
        write_with_model(REPORTS, "en", backend(url))
    assert "not retried" in again.value.reason


def test_slow_endpoint_is_abandoned_at_the_timeout() -> None:
    slow = chat(json.dumps({"headline": "x"}))
    slow.delay = 5.0
    with model_server(lambda _: slow) as server:
        started = time.monotonic()
        with pytest.raises(ModelArticleRejected) as caught:
            write_with_model(REPORTS, "en", backend(server.base_url, timeout=1.0))
    assert caught.value.reason.startswith("slow")
    assert time.monotonic() - started < 4


def test_dripping_endpoint_is_abandoned_at_the_deadline() -> None:
    drip = chat(json.dumps({"headline": "x" * 400}))
    drip.drip = 0.01
    with model_server(lambda _: drip) as server:
        started = time.monotonic()
        with pytest.raises(ModelFailure) as caught:
            complete_json(
                backend(server.base_url, timeout=1.0),
                Budget(tokens=10_000, deadline=time.monotonic() + 60),
                "system",
                "user",
                {},
                "test",
            )
    assert caught.value.kind == "slow"
    assert time.monotonic() - started < 4


def test_prompt_over_the_token_budget_is_not_sent() -> None:
    with (
        model_server(scripted_article()) as server,
        pytest.raises(ModelArticleRejected) as caught,
    ):
        write_with_model(REPORTS, "en", backend(server.base_url, token_budget=300))
    assert caught.value.reason.startswith("budget")
    assert server.requests == []


def test_foreign_reports_are_translated_and_recorded() -> None:
    with model_server(scripted_article()) as server:
        written = write_with_model(ARABIC_REPORTS, "en", backend(server.base_url))
    assert written.draft.language == "en" and written.translated_from == ["ar"]
    translated = [d for d in written.gate if d["part"] == "translation"]
    assert len(translated) == len(ARABIC_REPORTS)
    texts = {report.id: report.text for report in ARABIC_REPORTS}
    for sentence in written.draft.sentences():
        # Support points at the original Arabic words behind the translation.
        original = texts[sentence.support[0].report_id][
            sentence.support[0].start : sentence.support[0].end
        ]
        assert any("\u0600" <= ch <= "\u06ff" for ch in original)


def test_llama_cpp_response_format() -> None:
    with model_server(scripted_article()) as server:
        write_with_model(REPORTS, "en", backend(server.base_url, response_format="json_object"))
    sent = server.requests[0]["response_format"]
    assert sent["type"] == "json_object" and sent["schema"]["required"]


def test_without_a_system_turn_the_instructions_open_the_user_message() -> None:
    with model_server(scripted_article()) as server:
        write_with_model(REPORTS, "en", backend(server.base_url, system_role=False))
    messages = server.requests[0]["messages"]
    assert [m["role"] for m in messages] == ["user"]
    assert messages[0]["content"].startswith("You are a news editor.")
    assert "[1] (" in messages[0]["content"]


def test_json_schema_refused_by_the_server_is_asked_again_as_json_object() -> None:
    article = scripted_article()

    def llama_like(request: dict[str, object]) -> Reply:
        response_format = request.get("response_format")
        assert isinstance(response_format, dict)
        if response_format["type"] != "json_object":
            return Reply(b'{"detail": "response_format: type must be text or json_object"}', 422)
        return article(request)  # type: ignore[arg-type]

    with model_server(llama_like) as server:
        written = write_with_model(REPORTS, "en", backend(server.base_url))
    assert written.writer == "test-model"
    assert [r["response_format"]["type"] for r in server.requests] == ["json_schema", "json_object"]
