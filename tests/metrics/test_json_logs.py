"""Structured logs: one JSON object per line, with the fields a log shipper indexes."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk import jsonlog
from newsdesk.jsonlog import JsonFormatter
from newsdesk.pipeline.runner import PassSummary, _Failed, _step


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("newsdesk")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    text = stream.getvalue()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_one_object_per_line_with_extra_fields(captured: io.StringIO) -> None:
    log = logging.getLogger("newsdesk.fetch")
    log.warning("page %s: %s", "https://x.test/a", "HTTP 404", extra={"stage": "fetch"})
    log.warning("second\nline", extra={"item_id": 7, "odd": {1, 2}})
    first, second = lines(captured)
    assert first["message"] == "page https://x.test/a: HTTP 404"
    assert (first["level"], first["logger"], first["stage"]) == (
        "WARNING",
        "newsdesk.fetch",
        "fetch",
    )
    assert str(first["time"]).endswith("Z") and "T" in str(first["time"])
    assert "args" not in first and "msg" not in first and "exc_info" not in first
    # A newline in a message stays inside its object; an odd value is written as text.
    assert second["message"] == "second\nline"
    assert (second["item_id"], second["odd"]) == (7, "{1, 2}")


def test_exceptions_and_bound_context(captured: io.StringIO) -> None:
    log = logging.getLogger("newsdesk.tasks")
    with jsonlog.bound(task_id="abc", stage="cluster"):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            log.exception("cluster failed", extra={"item_id": 3})
    log.warning("after")
    failed, after = lines(captured)
    assert (failed["task_id"], failed["stage"], failed["item_id"]) == ("abc", "cluster", 3)
    assert failed["level"] == "ERROR"
    assert "RuntimeError: boom" in str(failed["exc_info"])
    assert "task_id" not in after and "stage" not in after


@pytest.mark.django_db
def test_a_failing_runner_step_logs_its_stage_and_item(captured: io.StringIO) -> None:
    def explode(item: int) -> None:
        raise KeyError(item)

    summary = PassSummary()
    assert isinstance(_step(summary, "extract", 11, explode, 11), _Failed)
    (entry,) = lines(captured)
    assert (entry["stage"], entry["item_id"], entry["logger"]) == (
        "extract",
        11,
        "newsdesk.pipeline.runner",
    )
    assert "KeyError: 11" in str(entry["exc_info"])


def _desk_logs(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('newsdesk.sources').warning('feed down', extra={'stage': 'discover'})"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")},
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
            "NEWSDESK_HOME": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_setting_selects_json_and_plain_stays_the_default(tmp_path: Path) -> None:
    as_json = _desk_logs({"NEWSDESK_LOG_FORMAT": "json"}, tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    (entry,) = [json.loads(line) for line in as_json.stderr.splitlines()]
    assert (entry["message"], entry["stage"], entry["logger"]) == (
        "feed down",
        "discover",
        "newsdesk.sources",
    )
    plain = _desk_logs({}, tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr.strip().endswith("WARNING newsdesk.sources: feed down")
    assert not plain.stderr.startswith("{")


def test_an_unknown_format_is_refused_by_name(tmp_path: Path) -> None:
    wrong = _desk_logs({"NEWSDESK_LOG_FORMAT": "xml"}, tmp_path)
    assert wrong.returncode != 0
    assert "NEWSDESK_LOG_FORMAT must be one of json, plain, got 'xml'" in wrong.stderr
