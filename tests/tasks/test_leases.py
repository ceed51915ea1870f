"""Leases: one holder per key, expiry, a dead local holder taken over; the chaos pause point."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from newsdesk.tasks.leases import acquire, advisory_lock, lease, release
from newsdesk.tasks.models import Lease

pytestmark = pytest.mark.django_db


def test_one_holder_at_a_time_until_release_or_expiry() -> None:
    assert acquire("write:1", 60, who="host:a")
    assert not acquire("write:1", 60, who="host:b")
    assert acquire("write:1", 60, who="host:a")  # the holder renews
    release("write:1", who="host:a")
    assert acquire("write:1", 60, who="host:b")
    Lease.objects.filter(key="write:1").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert acquire("write:1", 60, who="host:c")
    assert Lease.objects.get(key="write:1").holder == "host:c"


def test_a_dead_holder_on_this_machine_is_not_waited_for() -> None:
    import socket

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    assert acquire("write:2", 600, who=f"{socket.gethostname()}:{dead.stdout.strip()}")
    alive = f"{socket.gethostname()}:{os.getpid()}"
    assert acquire("write:2", 600, who=alive)
    assert not acquire("write:2", 600, who=f"{socket.gethostname()}:1")  # pid 1 lives


def test_lease_block_and_advisory_lock() -> None:
    with lease("write:3", 60) as got:
        assert got and Lease.objects.filter(key="write:3").exists()
    assert not Lease.objects.filter(key="write:3").exists()
    with advisory_lock("cluster", wait=False) as first:
        assert first


def test_the_chaos_pause_point_pauses_once_over_all_processes(tmp_path: Path) -> None:
    code = (
        "from newsdesk.tasks.chaos import pause_point\n"
        "import time\n"
        "for _ in range(3): pause_point('fetch')\n"
    )
    env = {**os.environ, "NEWSDESK_CHAOS_PAUSE": "fetch:2", "NEWSDESK_CHAOS_DIR": str(tmp_path)}
    (tmp_path / "fetch.pid").write_text("1")
    # Another process paused already: this one runs through its second call.
    done = subprocess.run([sys.executable, "-c", code], env=env, timeout=20, check=False)
    assert done.returncode == 0
