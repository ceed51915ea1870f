"""One JSON answer from an OpenAI-compatible chat endpoint, or a ModelFailure that says why not.

Plain httpx (already a dependency): the endpoint is the operator's own, so none of the source
fetcher's address guards apply, but every request is bounded in time (connect, and the whole
answer) and every article in tokens and seconds (``Budget``).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from newsdesk.writing.llm.config import Backend

# Rough size of a token, to refuse a prompt before sending it over budget.
CHARS_PER_TOKEN = 3.5
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
_REFUSAL = re.compile(
    r"^\W*(?:i'?m sorry|i am sorry|sorry,|i can(?:no|')t|i cannot|i am unable|i'm unable|"
    r"i won'?t|as an ai|i am not able|unfortunately,? i)",
    re.IGNORECASE,
)


class ModelFailure(Exception):
    """The backend gave no usable answer. ``kind``: down, slow, http, malformed, refused, budget."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass
class Budget:
    """What one article may still spend on the backend."""

    tokens: int
    deadline: float  # time.monotonic()
    spent_tokens: int = 0
    calls: int = 0
    log: list[str] = field(default_factory=list)

    @classmethod
    def for_article(cls, backend: Backend) -> Budget:
        return cls(tokens=backend.token_budget, deadline=time.monotonic() + backend.time_budget)

    def seconds_left(self) -> float:
        return self.deadline - time.monotonic()

    def tokens_left(self) -> int:
        return self.tokens - self.spent_tokens


def estimate_tokens(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN) + 1


def response_format(backend: Backend, name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    if backend.response_format == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    if backend.response_format == "json_object":
        return {"type": "json_object", "schema": schema}
    return None


def complete_json(
    backend: Backend,
    budget: Budget,
    system: str,
    user: str,
    schema: dict[str, Any],
    name: str,
) -> Any:
    """The endpoint's answer to the two messages, parsed as JSON."""
    chosen = response_format(backend, name, schema)
    try:
        content = _complete(backend, budget, system, user, name, backend.max_tokens, chosen)
    except ModelFailure as failure:
        # llama.cpp's server knows "json_object" (with a schema) but not OpenAI's
        # "json_schema", and refuses the request (HTTP 422): ask once more the way it knows.
        if not (
            backend.response_format == "json_schema"
            and failure.kind == "http"
            and ("HTTP 422" in failure.detail or "response_format" in failure.detail)
        ):
            raise
        budget.log.append(f"{name}: json_schema refused, asked again with json_object")
        chosen = {"type": "json_object", "schema": schema}
        content = _complete(backend, budget, system, user, name, backend.max_tokens, chosen)
    return _parse_content(content)


def complete_text(
    backend: Backend, budget: Budget, system: str, user: str, name: str, max_tokens: int
) -> str:
    """The endpoint's plain-text answer (no JSON asked for), at most ``max_tokens`` long.

    An answer cut off at the limit is returned as it is: the caller keeps its whole sentences.
    """
    content = _complete(backend, budget, system, user, name, max_tokens, None, allow_cut=True)
    if _REFUSAL.search(content):
        raise ModelFailure("refused", content[:200])
    return content.strip()


def continue_prompt(
    backend: Backend, budget: Budget, prompt: str, name: str, max_tokens: int, stop: list[str]
) -> str:
    """What a completion endpoint (POST /completions) writes after ``prompt``, up to ``stop``.

    For base models (no chat tuning), which continue a pattern rather than follow instructions.
    """
    content = _complete(
        backend,
        budget,
        prompt,
        "",
        name,
        max_tokens,
        None,
        prompt=prompt,
        stop=stop,
        allow_cut=True,
    )
    return content.strip()


def _text(answer: dict[str, Any]) -> tuple[str, str]:
    choices = answer.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ModelFailure("malformed", "the response has no choices")
    text = choices[0].get("text")
    if not isinstance(text, str) or not text.strip():
        raise ModelFailure("malformed", "the completion is empty")
    return text, str(choices[0].get("finish_reason") or "")


def _complete(
    backend: Backend,
    budget: Budget,
    system: str,
    user: str,
    name: str,
    max_tokens: int,
    chosen_format: dict[str, Any] | None,
    prompt: str | None = None,
    stop: list[str] | None = None,
    allow_cut: bool = False,
) -> str:
    """One request: a chat (``system`` and ``user``), or a plain ``prompt`` to continue."""
    prompt_tokens = estimate_tokens(system) + estimate_tokens(user) + 16
    room = budget.tokens_left() - prompt_tokens
    if room < 64:
        raise ModelFailure(
            "budget",
            f"the prompt (about {prompt_tokens} tokens) leaves no room in the article's "
            f"budget ({budget.tokens_left()} tokens left)",
        )
    seconds = min(backend.timeout, budget.seconds_left())
    if seconds <= 0.5:
        raise ModelFailure("budget", "the article's time budget is spent")
    payload: dict[str, Any] = {
        "model": backend.model,
        "temperature": backend.temperature,
        "max_tokens": min(max_tokens, room),
        "stream": False,
    }
    if stop:
        payload["stop"] = stop
    if prompt is not None:
        payload["prompt"] = prompt
    else:
        payload["messages"] = (
            [{"role": "system", "content": system}, {"role": "user", "content": user}]
            if backend.system_role
            # Gemma's chat format has no system turn: llama.cpp drops it, instructions and all.
            else [{"role": "user", "content": f"{system}\n\n{user}"}]
        )
    if chosen_format is not None:
        payload["response_format"] = chosen_format
    started = time.monotonic()
    body = _post(backend, payload, seconds, "completions" if prompt is not None else None)
    budget.calls += 1
    answer = _parse_envelope(body)
    usage = answer.get("usage") if isinstance(answer.get("usage"), dict) else {}
    content, finish = _text(answer) if prompt is not None else _message(answer)
    spent = usage.get("total_tokens") if isinstance(usage, dict) else None
    if not isinstance(spent, int):
        spent = prompt_tokens + estimate_tokens(content)
    budget.spent_tokens += spent
    budget.log.append(f"{name}: {spent} tokens in {time.monotonic() - started:.1f} s")
    if finish == "length" and not allow_cut:
        raise ModelFailure("budget", f"the answer was cut off at {payload['max_tokens']} tokens")
    if budget.spent_tokens > budget.tokens:
        raise ModelFailure(
            "budget", f"spent {budget.spent_tokens} tokens, over the budget of {budget.tokens}"
        )
    return content


def _post(
    backend: Backend, payload: dict[str, Any], seconds: float, path: str | None = None
) -> bytes:
    url = f"{backend.base_url}/{path or 'chat/completions'}"
    headers = {"Content-Type": "application/json"}
    if backend.api_key:
        headers["Authorization"] = f"Bearer {backend.api_key}"
    timeout = httpx.Timeout(seconds, connect=min(backend.connect_timeout, seconds))
    deadline = time.monotonic() + seconds
    try:
        with (
            httpx.Client(timeout=timeout, trust_env=False) as client,
            client.stream("POST", url, json=payload, headers=headers) as response,
        ):
            chunks = []
            # A server that drips its answer must not hold a worker past the deadline.
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise ModelFailure("slow", f"no complete answer within {seconds:.0f} s")
            body = b"".join(chunks)
            status = response.status_code
    except httpx.ConnectTimeout:
        raise ModelFailure("down", f"cannot connect to {url}: timed out") from None
    except httpx.ConnectError as exc:
        raise ModelFailure("down", f"cannot connect to {url}: {exc}") from None
    except httpx.TimeoutException:
        raise ModelFailure("slow", f"no complete answer within {seconds:.0f} s") from None
    except httpx.HTTPError as exc:
        raise ModelFailure("down", f"{url}: {type(exc).__name__}: {exc}") from None
    if status != 200:
        text = body[:200].decode("utf-8", "replace").strip()
        raise ModelFailure("http", f"{url} answered HTTP {status}: {text}")
    return body


def _parse_envelope(body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFailure("malformed", f"the response is not JSON ({exc})") from None
    if not isinstance(answer, dict):
        raise ModelFailure("malformed", "the response is not a JSON object")
    return answer


def _message(answer: dict[str, Any]) -> tuple[str, str]:
    choices = answer.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ModelFailure("malformed", "the response has no choices")
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict):
        raise ModelFailure("malformed", "the response has no message")
    finish = str(choice.get("finish_reason") or "")
    refusal = message.get("refusal")
    if refusal:
        raise ModelFailure("refused", str(refusal)[:200])
    if finish == "content_filter":
        raise ModelFailure("refused", "the answer was withheld by the endpoint's content filter")
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        raise ModelFailure("malformed", "the message is empty")
    return content, finish


def _parse_content(content: str) -> Any:
    fenced = _FENCE.match(content)
    text = fenced.group(1) if fenced else content.strip()
    try:
        # Models write raw newlines inside strings; that is no reason to refuse the answer.
        return json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        if _REFUSAL.search(text):
            raise ModelFailure("refused", text[:200]) from None
        raise ModelFailure("malformed", f"the answer is not valid JSON ({exc})") from None
