"""The task layer's tunables, read from the environment (documented in docs/deployment.md)."""

from __future__ import annotations

import os


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


# (soft, hard) time limits per stage, in seconds. A model writer may take up to
# NEWSDESK_LLM_TIME_BUDGET (300 s) for one article, so the write stage's limits exceed it.
TIME_LIMITS: dict[str, tuple[int, int]] = {
    "discover": (120, 150),
    "fetch": (60, 90),
    "extract": (60, 90),
    "images": (90, 120),
    "cluster": (240, 300),
    "write": (420, 480),
    "publish": (60, 90),
    "trends": (60, 90),
}
# A story is written once it has been quiet this long, so that the reports of one event,
# which arrive together, make one article rather than a rewrite per report.
WRITE_SETTLE_SECONDS = _float("NEWSDESK_WRITE_SETTLE_SECONDS", 3.0)
# ...but no story waits for the reports still being extracted or placed longer than this after
# its last change, nor a report for the extractions still under way (a constant flow of links
# must not hold clustering and writing back for ever).
WRITE_MAX_WAIT_SECONDS = _float("NEWSDESK_WRITE_MAX_WAIT_SECONDS", 30.0)
CLUSTER_MAX_WAIT_SECONDS = _float("NEWSDESK_CLUSTER_MAX_WAIT_SECONDS", 30.0)
# A queued message's marker lives this long: within it, the same work is not queued twice.
QUEUED_MARKER_SECONDS = int(_float("NEWSDESK_QUEUED_MARKER_SECONDS", 900))
# How often the scheduler looks for due feeds, and re-derives lost work from the database.
SCHEDULER_TICK_SECONDS = _float("NEWSDESK_SCHEDULER_TICK_SECONDS", 10.0)
RECONCILE_INTERVAL_SECONDS = _float("NEWSDESK_RECONCILE_INTERVAL_SECONDS", 60.0)
# A cluster task places reports for at most this long before handing the rest to a new task.
CLUSTER_BATCH_SECONDS = _float("NEWSDESK_CLUSTER_BATCH_SECONDS", 60.0)
