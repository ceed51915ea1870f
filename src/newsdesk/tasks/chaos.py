"""A test-only pause point, so that a test can SIGKILL a worker in the middle of a stage.

``NEWSDESK_CHAOS_PAUSE="fetch:3,write:1"`` and ``NEWSDESK_CHAOS_DIR=/some/dir``: the 3rd fetch
task of a worker process stops at its pause point (after its claim, before its commit), writes
``<dir>/fetch.pid`` holding its pid, and sleeps until it is killed. Each stage pauses once over all
processes (the marker is created exclusively), so the task redelivered after the kill runs
through. Unset, a pause point costs one dict lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_PLAN: dict[str, int] = {
    stage: int(n)
    for stage, _, n in (
        item.partition(":") for item in os.environ.get("NEWSDESK_CHAOS_PAUSE", "").split(",")
    )
    if stage and n.isdigit()
}
_SEEN: dict[str, int] = {}


def pause_point(stage: str) -> None:
    if stage not in _PLAN:
        return
    _SEEN[stage] = _SEEN.get(stage, 0) + 1
    if _SEEN[stage] != _PLAN[stage]:
        return
    marker = Path(os.environ.get("NEWSDESK_CHAOS_DIR", ".")) / f"{stage}.pid"
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return  # another process paused here already: this one runs through
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    time.sleep(3600)
