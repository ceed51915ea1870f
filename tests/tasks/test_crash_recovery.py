"""SIGKILL workers in the middle of fetch, extract, cluster and write: nothing lost, nothing twice.

Each stage's task pauses once, at a random point of the run, after its claim and before its
commit (``newsdesk.tasks.chaos``); the test kills the process doing it. One whole worker (its
main process with the messages it holds) is killed as well and a fresh one started. After
recovery (messages put back by the surviving worker processes, the reconciler at worker start
and in the scheduler), the run gives what a clean run gives.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from django.utils import timezone

from newsdesk.demo.corpus import Corpus
from newsdesk.tasks.drive import (
    run_through_queue,
    start_worker,
    start_workers,
    stop_workers,
)
from tests.tasks.conftest import start_scheduler, worker_env
from tests.tasks.demo_runs import Outcome, assert_no_duplicates, ingest_demo

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

STAGES = ("fetch", "extract", "cluster", "write")


def test_workers_killed_mid_task_lose_nothing_and_do_nothing_twice(
    corpus: Corpus, embedded_outcome: Outcome, broker: str, tmp_path: Path
) -> None:
    seed = int(os.environ.get("NEWSDESK_CHAOS_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    # The nth task of its stage in a worker process: early enough that every stage gets there.
    plan = {
        "fetch": rng.randint(1, 8),
        "extract": rng.randint(1, 8),
        "cluster": rng.randint(1, 12),
        "write": rng.randint(1, 3),
    }
    print(f"chaos seed {seed} (NEWSDESK_CHAOS_SEED={seed} repeats it), plan {plan}")
    chaos = tmp_path / "chaos"
    chaos.mkdir()
    env = worker_env(
        tmp_path / "home",
        broker,
        NEWSDESK_CHAOS_PAUSE=",".join(f"{stage}:{n}" for stage, n in plan.items()),
        NEWSDESK_CHAOS_DIR=str(chaos),
        NEWSDESK_SCHEDULER_TICK_SECONDS="1",
        NEWSDESK_RECONCILE_INTERVAL_SECONDS="3",
    )
    workers = start_workers(3, env, log_dir=tmp_path)
    scheduler = start_scheduler(env, tmp_path)
    killed: dict[str, int] = {}

    def kill_paused() -> None:
        for marker in chaos.glob("*.pid"):
            text = marker.read_text()
            if marker.stem in killed or not text:
                continue
            os.kill(int(text), signal.SIGKILL)
            killed[marker.stem] = int(text)
            if len(killed) == 1:
                # A whole worker too, with whatever it held; a fresh one takes its place.
                os.killpg(workers[0].pid, signal.SIGKILL)
                workers[0].wait()
                workers.append(start_worker(env, name="fresh", log=tmp_path / "fresh.log"))

    try:
        outcome = ingest_demo(
            corpus,
            lambda _, feed_ids: run_through_queue(
                feed_ids, timezone.now(), timeout=300, on_poll=kill_paused
            ),
        )
    finally:
        stop_workers([*workers, scheduler])
    context = f"seed {seed}, plan {plan}, killed {sorted(killed)}"
    assert set(killed) == set(STAGES), context
    assert_no_duplicates()
    assert outcome.reports == embedded_outcome.reports == len(corpus.reports), context
    assert outcome.links_done == embedded_outcome.links_done, context
    assert len(outcome.stories) == len(embedded_outcome.stories), context
    assert len(outcome.articles) == len(embedded_outcome.articles), context
    assert outcome.stories == embedded_outcome.stories, context
    assert outcome.copies == embedded_outcome.copies, context
