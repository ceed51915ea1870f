"""Killing the pipeline mid-ingest and starting again loses nothing and duplicates nothing."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

from newsdesk.demo.corpus import Corpus
from newsdesk.demo.register import register_demo_sources
from newsdesk.pipeline import runner
from newsdesk.publishing.models import Article
from newsdesk.reports.models import Report
from newsdesk.stories.models import Story
from tests.processes import free_port, start_newsdesk


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


@pytest.mark.django_db
# The discover, fetch and images stages' per-item steps record a download (the downloads
# themselves run concurrently on the fetcher's thread); dying there loses what is under way.
@pytest.mark.parametrize(
    "stage",
    [
        "record_poll",
        "record_fetch",
        "extract_link",
        "record_image",
        "cluster_report",
        "publish_story",
    ],
)
def test_a_pass_killed_in_any_stage_is_finished_by_the_next(
    corpus: Corpus, demo_outlets: str, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    source_ids = register_demo_sources(corpus, demo_outlets)
    real = getattr(runner, stage)
    calls = {"n": 0}

    def dies_halfway(item_id: int, *rest: object) -> object:
        calls["n"] += 1
        if calls["n"] == 7:
            raise Crash
        return real(item_id, *rest)

    monkeypatch.setattr(runner, stage, dies_halfway)
    with pytest.raises(Crash):
        runner.run_pass(source_ids=source_ids)
    monkeypatch.setattr(runner, stage, real)
    runner.run_pass(source_ids=source_ids)
    assert Report.objects.count() == len(corpus.reports)
    assert Story.objects.count() == len(corpus.events)
    assert Article.objects.count() == len(corpus.events)
    assert Report.objects.filter(clustered_at__isnull=True).count() == 0


def _demo(home: Path, port: int) -> subprocess.Popen[str]:
    return start_newsdesk(
        home,
        "demo",
        "--no-serve",
        "--source-port",
        str(port),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def _report_count(home: Path) -> int:
    import sqlite3

    db = home / "newsdesk.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute("select count(*) from reports_report").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_sigkill_during_demo_ingest_then_restart_equals_a_clean_run(tmp_path: Path) -> None:
    port = free_port()
    clean = _demo(tmp_path / "clean", port)
    clean_out, _ = clean.communicate(timeout=180)
    assert clean.returncode == 0
    expected = json.loads(clean_out.strip().splitlines()[-1])

    home = tmp_path / "killed"
    victim = _demo(home, port)
    deadline = time.monotonic() + 120
    # Kill it for real once some, but not all, reports are stored.
    while _report_count(home) < 5 and time.monotonic() < deadline and victim.poll() is None:
        time.sleep(0.01)
    assert victim.poll() is None, "the demo finished before it could be killed"
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert 0 < _report_count(home) < expected["reports"]

    again = _demo(home, port)
    out, _ = again.communicate(timeout=180)
    assert again.returncode == 0
    resumed = json.loads(out.strip().splitlines()[-1])
    for key in ("reports", "stories", "articles", "events", "b3_f1"):
        assert resumed[key] == expected[key], key
