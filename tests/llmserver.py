"""A real OpenAI-compatible chat endpoint on 127.0.0.1 that misbehaves on request.

It answers POST /v1/chat/completions with whatever ``behaviour`` returns for the request's
JSON: a scripted article built from the numbered passages of the prompt (with or without an
invented sentence), malformed JSON, a refusal, an HTTP error, a cut-off answer, an answer
over budget, or a slow or dripping one. ``down_url`` gives an address where nothing listens.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from newsdesk.writing.claims import numbers

_PASSAGE = re.compile(r"^\[(\d+)\] \(([^)]*)\) (.*)$", re.MULTILINE)
_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)


@dataclass
class Reply:
    body: bytes
    status: int = 200
    delay: float = 0.0
    drip: float = 0.0  # seconds between bytes


Behaviour = Callable[[dict[str, Any]], Reply]


def chat(content: str, finish: str = "stop", usage: int = 500, **message: Any) -> Reply:
    envelope = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, **message},
                "finish_reason": finish,
            }
        ],
        "usage": {
            "prompt_tokens": usage // 2,
            "completion_tokens": usage // 2,
            "total_tokens": usage,
        },
    }
    return Reply(json.dumps(envelope).encode())


def passages(request: dict[str, Any]) -> list[tuple[int, str, str]]:
    """The numbered passages of the prompt: (number, outlet, text)."""
    user = request["messages"][-1]["content"]
    return [(int(n), outlet, text) for n, outlet, text in _PASSAGE.findall(user)]


def scripted_article(
    invented: list[str] | None = None, headline: str | None = None, per_section: int = 2
) -> Behaviour:
    """A faithful article from the passages (they are copied), plus ``invented`` sentences."""

    def behave(request: dict[str, Any]) -> Reply:
        system = request["messages"][0]["content"]
        if system.startswith("Translate"):
            return translation(request)
        found = passages(request)
        sections = []
        for start in range(0, min(len(found), 3 * per_section), per_section):
            group = found[start : start + per_section]
            sections.append(
                {
                    "heading": " ".join(group[0][2].split()[:4]),
                    "paragraphs": [{"text": text, "cites": [n]} for n, _, text in group],
                }
            )
        for sentence in invented or []:
            sections[0]["paragraphs"].append({"text": sentence, "cites": [found[0][0]]})
        article = {
            "headline": headline or " ".join(found[0][2].split()[:8]).rstrip(".,"),
            "summary": found[0][2],
            "sections": sections,
        }
        return chat(json.dumps(article))

    return behave


def translation(request: dict[str, Any]) -> Reply:
    """A 'translation' that writes each numbered sentence as an English gloss keeping digits."""
    user = request["messages"][-1]["content"]
    items = []
    for n, text in _NUMBERED.findall(user):
        values = sorted(numbers(text))
        figures = " and ".join(f"{v:.0f}" if v == int(v) else str(v) for v in values) or "none"
        label = _letters(int(n))
        items.append({"n": int(n), "text": f"Part {label} of the report gives figures {figures}."})
    return chat(json.dumps({"title": "Translated report", "translations": items}))


def _letters(number: int) -> str:
    """A label without digits (digits would count as the sentence's numbers): 1 -> "Alpha"."""
    names = "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliet Kilo Lima Mike"
    words = names.split()
    return f"{words[(number - 1) % len(words)]} {words[(number - 1) // len(words)]}"


class ModelServer:
    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(request)
                reply = server.behaviour(request)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if reply.delay:
                        time.sleep(reply.delay)
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.drip:
                        for i in range(len(reply.body)):
                            self.wfile.write(reply.body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(reply.drip)
                    else:
                        self.wfile.write(reply.body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> ModelServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextlib.contextmanager
def model_server(behaviour: Behaviour) -> Iterator[ModelServer]:
    server = ModelServer(behaviour).start()
    try:
        yield server
    finally:
        server.stop()


def down_url() -> str:
    """The URL of a loopback port on which nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
