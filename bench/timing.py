"""p50/p95 of repeated calls, for the workbench benchmarks (bench/web*.py)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(
    call: Callable[[], Any], calls: int, before: Callable[[], Any] | None = None
) -> tuple[float, float]:
    """p50 and p95 in milliseconds over ``calls`` calls, after one warm-up. ``before`` runs
    ahead of each call, untimed (to make each call meet the same state)."""
    if before:
        before()
    call()
    spent = []
    for _ in range(calls):
        if before:
            before()
        started = time.perf_counter()
        call()
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return statistics.median(spent), spent[min(len(spent) - 1, round(0.95 * (len(spent) - 1)))]
