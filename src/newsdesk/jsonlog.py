"""Structured logs: one JSON object per line, for a log shipper rather than a terminal.

Selected by NEWSDESK_LOG_FORMAT=json (the production profile's default). Fields passed with
`extra=` (stage, item_id, ...) and those bound for the duration of a task (task_id, task) are
written beside time, level, logger and message.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Any

_context: ContextVar[dict[str, Any] | None] = ContextVar("newsdesk_log_context", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}


def bind(**fields: Any) -> Token[dict[str, Any] | None]:
    """Add fields to every record logged in this context until `unbind(token)`."""
    return _context.set({**(_context.get() or {}), **fields})


def unbind(token: Token[dict[str, Any] | None]) -> None:
    _context.reset(token)


@contextmanager
def bound(**fields: Any) -> Iterator[None]:
    token = bind(**fields)
    try:
        yield
    finally:
        unbind(token)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, tz=UTC)
        entry: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_context.get() or {})
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        # default=str: a stray object in `extra=` must not lose the line.
        return json.dumps(entry, ensure_ascii=False, default=str)
