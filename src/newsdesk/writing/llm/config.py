"""The model backend's settings (NEWSDESK_LLM_*), read when a story is written."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

RESPONSE_FORMATS = ("json_schema", "json_object", "none")
MODES = ("article", "units")
PROMPT_STYLES = ("chat", "completion")


@dataclass(frozen=True)
class Backend:
    base_url: str  # up to and including the version path: http://127.0.0.1:8080/v1
    model: str
    api_key: str = ""
    connect_timeout: float = 5.0
    timeout: float = 120.0  # seconds for one request, the answer included
    max_tokens: int = 1500  # completion tokens asked for in one request
    token_budget: int = 16000  # prompt and completion tokens for one article, translation too
    time_budget: float = 300.0  # seconds for one article, translation too
    # How the JSON schema is asked for: OpenAI's "json_schema", llama.cpp's "json_object" with
    # a schema, or "none" (the prompt alone).
    response_format: str = "json_schema"
    temperature: float = 0.2
    max_passages: int = 30
    # The model's article is refused when the gate drops more than this share of its
    # sentences, or keeps fewer than min_sentences.
    max_dropped: float = 0.34
    min_sentences: int = 3
    translate: bool = True
    # "article" (one JSON article) or "units" (part by part, see llm.units).
    mode: str = "article"
    max_units: int = 12
    # False for chat formats without a system turn (Gemma): the instructions then open the
    # user's message, where the model sees them.
    system_role: bool = True
    # Units mode: "chat" (instructions), or "completion" for base models, which continue an
    # example rather than follow instructions (POST /completions with a worked example).
    prompt_style: str = "chat"


def configured_backend() -> Backend | None:
    """The backend the settings describe, or None when no model is configured."""
    base_url = settings.NEWSDESK_LLM_BASE_URL.strip()
    model = settings.NEWSDESK_LLM_MODEL.strip()
    if not base_url or not model:
        return None
    response_format = settings.NEWSDESK_LLM_RESPONSE_FORMAT
    if response_format not in RESPONSE_FORMATS:
        raise ValueError(
            f"NEWSDESK_LLM_RESPONSE_FORMAT must be one of {RESPONSE_FORMATS}, "
            f"got {response_format!r}"
        )
    if settings.NEWSDESK_LLM_PROMPT_STYLE not in PROMPT_STYLES:
        raise ValueError(f"NEWSDESK_LLM_PROMPT_STYLE must be one of {PROMPT_STYLES}")
    mode = settings.NEWSDESK_LLM_MODE
    if mode not in MODES:
        raise ValueError(f"NEWSDESK_LLM_MODE must be one of {MODES}, got {mode!r}")
    return Backend(
        base_url=base_url.rstrip("/"),
        model=model,
        api_key=settings.NEWSDESK_LLM_API_KEY,
        connect_timeout=settings.NEWSDESK_LLM_CONNECT_TIMEOUT,
        timeout=settings.NEWSDESK_LLM_TIMEOUT,
        max_tokens=settings.NEWSDESK_LLM_MAX_TOKENS,
        token_budget=settings.NEWSDESK_LLM_TOKEN_BUDGET,
        time_budget=settings.NEWSDESK_LLM_TIME_BUDGET,
        response_format=response_format,
        temperature=settings.NEWSDESK_LLM_TEMPERATURE,
        max_passages=settings.NEWSDESK_LLM_MAX_PASSAGES,
        max_dropped=settings.NEWSDESK_LLM_MAX_DROPPED,
        min_sentences=settings.NEWSDESK_LLM_MIN_SENTENCES,
        translate=settings.NEWSDESK_LLM_TRANSLATE,
        mode=mode,
        max_units=settings.NEWSDESK_LLM_MAX_UNITS,
        system_role=settings.NEWSDESK_LLM_SYSTEM_ROLE,
        prompt_style=settings.NEWSDESK_LLM_PROMPT_STYLE,
    )
