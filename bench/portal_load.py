"""Load and failure benchmark of the public Trace an Object portal (issue 7).

Starts the real portal (``vidtrace portal``, a child process) over a temporary data folder on a
free loopback port, with ``--trust-forwarded`` and a generous overall limit, and publishes a few
objects through the sync API with the workbench's own client. Simulated visitors (their address
in X-Forwarded-For) each open an object page once for their form cookie and token, then send
tips, each with a fresh idempotency key and that key in its text. Then, in one run:

- baseline: object page views, then tips, each as fast as ``--concurrency`` clients can go for
  ``--capacity-seconds``; the tip path's cost is read as a ratio to a page view;
- load run: tips offered at ``--rate`` per second for ``--seconds`` by a paced scheduler, with a
  few visitors sending faster than the per-client limit so that it shows;
- failure run: a burst at the same rate for ``--burst-seconds``; half way the portal is killed
  (SIGKILL) and started again on the same port and data folder. A tip whose request got no
  answer has an unknown outcome and is sent again with the same key until it is answered.

Every tip is then read back through the sync API: a tip the client saw accepted must be stored
exactly once, a refused one not at all, an unanswered one at most once, and nothing may be stored
that was never sent. The script exits 1 otherwise.

    .venv/bin/python -m bench.portal_load [--rate 200] [--seconds 60] [--clients 400]
        [--concurrency 64] [--burst-seconds 20] [--capacity-seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.portal_traffic import (
    SETTLE_S,
    Crowd,
    Integrity,
    PortalProcess,
    Run,
    TipRecord,
    TipSender,
    check_integrity,
    load_run,
    new_client,
    page_of,
    plan_crowd,
    publish_objects,
    stored_texts,
    visitors,
)

OVERALL_PER_MINUTE = 1_000_000  # generous: only the per-client limit is meant to refuse
# Enough that no capacity visitor reaches the per-client limit at a few hundred tips a second.
CAPACITY_VISITORS = 1_000


async def closed_loop(seconds: float, workers: int, call: Callable[[], Awaitable[object]]) -> int:
    """``workers`` loops each making ``call`` again as soon as it ends; how many were made."""
    deadline = asyncio.get_running_loop().time() + seconds
    made = 0

    async def worker() -> None:
        nonlocal made
        while asyncio.get_running_loop().time() < deadline:
            await call()
            made += 1

    await asyncio.gather(*(worker() for _ in range(workers)))
    return made


class Stopwatch:
    """Wall time and the CPU time of the portal and of this client since it was made: on a
    shared machine, the portal's CPU time per request is the steadiest measure of cost."""

    def __init__(self, portal: PortalProcess) -> None:
        self.portal = portal
        self.began = (time.monotonic(), portal.cpu_s(), time.process_time())

    def shares(self) -> tuple[float, float, float]:
        """Seconds elapsed, and the portal's and the client's CPU in cores."""
        wall = time.monotonic() - self.began[0]
        portal = self.portal.cpu_s() - self.began[1]
        return wall, portal / wall, (time.process_time() - self.began[2]) / wall


@dataclass
class Capacity:
    page_views: int
    page_latencies_ms: list[float]
    page_use: tuple[float, float, float]  # Stopwatch.shares()
    tips: TipSender
    tip_use: tuple[float, float, float]


async def capacity(
    portal: PortalProcess, ids: list[str], seconds: float, concurrency: int
) -> Capacity:
    """Object page views, then tips (from visitors kept under the limit), as fast as
    ``concurrency`` clients can go."""
    async with new_client(portal.url, concurrency) as client:
        people = await visitors(client, ids[0], 1, CAPACITY_VISITORS)
        page_ms: list[float] = []

        async def view() -> None:
            began = time.perf_counter()
            await page_of(client, ids[0], people[0].headers)
            page_ms.append((time.perf_counter() - began) * 1000)

        watch = Stopwatch(portal)
        await closed_loop(seconds, concurrency, view)
        page_use = watch.shares()
        sender = TipSender(client, concurrency, time.monotonic() + seconds + SETTLE_S)
        turn = iter(range(10**9))
        watch = Stopwatch(portal)
        await closed_loop(
            seconds, concurrency, lambda: sender.send(people[next(turn) % len(people)], ids[0])
        )
        return Capacity(len(page_ms), page_ms, page_use, sender, watch.shares())


def ms(values: list[float], share: float) -> str:
    return f"{np.percentile(values, share * 100):,.0f}" if values else "-"


def report_run(run: Run, stored: Counter[str]) -> None:
    sender = run.sender
    answered = [r for r in sender.records if r.status is not None]
    refused = sum(n for status, n in sender.statuses.items() if status not in (200, 429))
    waited = [(r.answered_at - r.started_at) * 1000 for r in answered]
    print(
        f"  offered {len(sender.records):,} tips in {run.offered_s:.1f} s "
        f"({len(sender.records) / run.offered_s:,.1f}/s), answered {len(answered):,} in "
        f"{run.elapsed_s:.1f} s: achieved {len(answered) / run.elapsed_s:,.1f} tips/s\n"
        f"  accepted {sender.statuses[200]:,}, rate-limited {sender.statuses[429]:,}, "
        f"other refusals {refused:,}, errors {sum(sender.failures.values()):,} "
        f"{dict(sender.failures) or ''}\n"
        f"  latency p50 {ms(sender.latencies_ms, 0.5)} ms, p95 {ms(sender.latencies_ms, 0.95)} "
        f"ms, max {ms(sender.latencies_ms, 1.0)} ms per request; from the tip's start to its "
        f"answer (queueing for a connection and retries included) p50 {ms(waited, 0.5)} ms, "
        f"p95 {ms(waited, 0.95)} ms, max {ms(waited, 1.0)} ms"
    )
    accepted = sum(1 for r in sender.records if r.status == 200)
    kept = sum(1 for r in sender.records if stored[r.key])
    lost = sum(1 for r in sender.records if r.status == 200 and not stored[r.key])
    twice = sum(1 for r in sender.records if stored[r.key] > 1)
    unanswered = sum(1 for r in sender.records if r.status is None)
    print(
        f"  stored {kept:,} (accepted {accepted:,}), lost {lost}, duplicated {twice}; "
        f"never answered {unanswered}"
    )


def report_failure(run: Run, stored: Counter[str]) -> None:
    records = run.sender.records
    retried = [r for r in records if r.failures]
    before = sum(1 for r in records if r.status == 200 and r.answered_at < run.killed_at)
    after = sum(1 for r in records if r.status == 200 and r.answered_at >= run.back_at)
    print(
        f"  killed after {before:,} accepted; back in {run.restart_s:.2f} s (a fresh start); "
        f"{sum(r.failures for r in records):,} attempts got no answer "
        f"{dict(run.sender.failures)}\n"
        f"  retried with the same key {len(retried):,} tips: "
        f"{sum(1 for r in retried if r.status == 200):,} accepted, "
        f"{sum(1 for r in retried if r.status == 429):,} rate-limited, "
        f"{sum(1 for r in retried if r.status is None)} never answered; "
        f"of them stored {sum(1 for r in retried if stored[r.key]):,}; "
        f"accepted after the restart {after:,}"
    )


def report_integrity(integrity: Integrity, records: list[TipRecord]) -> None:
    accepted = sum(1 for r in records if r.status == 200)
    unknown_stored = sum(1 for r in records if r.status is None and integrity.stored[r.key])
    print(
        f"integrity: stored {sum(integrity.stored.values()):,}, accepted {accepted:,} "
        f"(+{unknown_stored} never answered but stored); lost {len(integrity.lost)}, "
        f"duplicated {len(integrity.duplicated)}, refused but stored "
        f"{len(integrity.refused_but_stored)}, stored but never sent {len(integrity.never_sent)}"
    )


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load}"


def report_capacity(found: Capacity, seconds: float, concurrency: int) -> None:
    tips = found.tips.statuses[200]
    rows = [
        ("object page views", found.page_views, found.page_latencies_ms, found.page_use),
        ("tips", tips, found.tips.latencies_ms, found.tip_use),
    ]
    print(f"baseline, a closed loop of {concurrency} requests at once, {seconds:g} s each:")
    for name, count, latencies, (wall, portal, client) in rows:
        print(
            f"  {name}: {count / wall:,.0f}/s, p50 {ms(latencies, 0.5)} ms, p95 "
            f"{ms(latencies, 0.95)} ms; portal CPU {portal * wall / count * 1000:.2f} ms each "
            f"({portal:.2f} cores busy), this client {client:.2f} cores"
        )
    (page_wall, page_cpu, _), (tip_wall, tip_cpu, _) = found.page_use, found.tip_use
    print(
        f"  a tip costs {found.page_views / page_wall / (tips / tip_wall):.2f} page views in "
        f"throughput, {tip_cpu * tip_wall / tips / (page_cpu * page_wall / found.page_views):.2f}"
        f" in portal CPU"
    )


async def bench(
    portal: PortalProcess, ids: list[str], crowd: Crowd, args: argparse.Namespace
) -> list[TipRecord]:
    found = await capacity(portal, ids, args.capacity_seconds, args.concurrency)
    report_capacity(found, args.capacity_seconds, args.concurrency)
    watch = Stopwatch(portal)
    load = await load_run(portal, ids, crowd, args.rate, args.seconds, args.concurrency)
    _, portal_cores, client_cores = watch.shares()
    failure = await load_run(
        portal, ids, crowd, args.rate, args.burst_seconds, args.concurrency, kill_half_way=True
    )
    stored = check_integrity([], stored_texts(portal.url)).stored
    print(f"load run: {args.rate:g} tips/s offered for {args.seconds:g} s")
    report_run(load, stored)
    print(f"  portal CPU {portal_cores:.2f} cores busy, this client {client_cores:.2f} cores")
    print(f"failure run: {args.rate:g} tips/s for {args.burst_seconds:g} s, kill -9 half way")
    report_run(failure, stored)
    report_failure(failure, stored)
    return found.tips.records + load.sender.records + failure.sender.records


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="tips offered per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load run")
    parser.add_argument("--clients", type=int, default=400, help="visitors' addresses")
    parser.add_argument("--concurrency", type=int, default=64, help="requests at once")
    parser.add_argument("--burst-seconds", type=float, default=20.0, help="the failure run")
    parser.add_argument("--capacity-seconds", type=float, default=10.0, help="each baseline")
    args = parser.parse_args()
    crowd = plan_crowd(args.rate, args.seconds, args.clients)
    print(
        f"Trace an Object portal: {args.clients} visitors ({crowd.fast} fast, "
        f"{crowd.fast_share:.0%} of the tips), per-client limit {crowd.client_limit}/min, "
        f"overall {OVERALL_PER_MINUTE:,}/min; {machine()}"
    )
    with tempfile.TemporaryDirectory(prefix="portal-load-") as work:
        portal = PortalProcess(Path(work), crowd.client_limit, OVERALL_PER_MINUTE)
        try:
            print(f"portal started in {portal.start():.2f} s")
            ids = publish_objects(portal.url, 4)
            records = asyncio.run(bench(portal, ids, crowd, args))
            integrity = check_integrity(records, stored_texts(portal.url))
        finally:
            portal.stop()
    report_integrity(integrity, records)
    print(f"after: {machine()}")
    sys.exit(0 if integrity.ok else 1)


if __name__ == "__main__":
    main()
