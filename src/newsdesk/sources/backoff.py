"""Exponential backoff with jitter: how long to leave something that keeps failing alone."""

from __future__ import annotations

import random


def backoff_delay(attempts: int, base: float, cap: float) -> float:
    """Seconds to wait after the `attempts`-th failure in a row: base, 2*base, 4*base... <= cap.

    "Equal jitter": half the delay is fixed and half random, so retries of many items that failed
    together spread out instead of returning in one burst, yet never come back almost at once.
    """
    if attempts <= 0 or base <= 0:
        return 0.0
    # The exponent is bounded before it is raised, so a long streak cannot overflow.
    delay = min(cap, base * 2 ** min(attempts - 1, 62))
    return delay / 2 + random.uniform(0, delay / 2)
