"""Failure reasons as metric labels: a few classes, not one label per message.

A link's error is written for people ("HTTP 404", "cannot extract: no body found",
"refused address: 10.0.0.1 is private; ..."). Its class is the text before the first detail,
so addresses, sizes and exception messages do not each become a time series.
"""

from __future__ import annotations

import re

_HTTP = re.compile(r"HTTP (\d{3})")
_DETAIL = re.compile(r"[:(;]")
MAX_LENGTH = 40


def failure_reason(error: str) -> str:
    text = error.strip()
    if not text:
        return "unknown"
    status = _HTTP.match(text)
    if status:
        return f"HTTP {status.group(1)}"
    head = _DETAIL.split(text, maxsplit=1)[0].strip()
    # Digits are details too (sizes, ports); a class has none.
    head = re.sub(r"\s*\d[\d.]*\s*", " ", head).strip()
    return (head or "unknown")[:MAX_LENGTH]
