"""``vidtrace clues extract``: run the extractors over every media item not yet read.

Work goes out in small batches to worker processes (``jobs``), which see picklable facts and
vault paths only; the results come back here and each batch is stored in one transaction, so an
interrupted run resumes where it stopped. Workers run at a lower CPU priority: extraction is
background work and must not slow an ingest running beside it.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path

from vidtrace.clues.extractors import ClueExtractor, ClueSubject, ExtractorUnavailable, extractors
from vidtrace.clues.extractors.base import run_order
from vidtrace.clues.pictures import pictures_of
from vidtrace.clues.results import ExtractionResult, MediaForClues
from vidtrace.clues.summary import ExtractionSummary
from vidtrace.config import Limits
from vidtrace.ingest.progress import Progress, SilentProgress
from vidtrace.jobs.executor import make_executor
from vidtrace.store.clue_store import ClueStore

BATCH = 8  # media per task: OCR takes up to a second a picture, so keep tasks short
BACKGROUND_NICENESS = 10

_instances: dict[str, ClueExtractor] = {}


def init_worker(limits: Limits, background: bool) -> None:
    global _limits
    _limits = limits
    if background:
        lower_priority()


def lower_priority() -> None:
    """Let every other process go first. Linux schedules each session (terminal) as one group,
    weighed by the group's nice value, not its processes': a niced worker in the caller's
    session would still take a share of the whole group's time. So each worker leaves for a
    session (and scheduling group) of its own, and lowers that group, not the caller's."""
    with contextlib.suppress(OSError):
        os.setsid()
    if hasattr(os, "nice"):
        os.nice(BACKGROUND_NICENESS)
    with contextlib.suppress(OSError):  # no autogroups (other kernels, containers): nice it is
        Path("/proc/self/autogroup").write_text(f"{BACKGROUND_NICENESS}\n")


_limits = Limits()


def extract_batch(items: Sequence[MediaForClues]) -> list[ExtractionResult]:
    return [extract_one(item, _limits) for item in items]


def extract_one(item: MediaForClues, limits: Limits) -> ExtractionResult:
    """Run the pending extractors on one item, in run order. A failing extractor is
    a skip with its reason; it never stops the others."""
    subject = ClueSubject(
        sha256=item.sha256,
        kind=item.kind,
        camera=item.camera,
        location=item.location,
        pictures=pictures_of(item, limits),
    )
    if "text" not in item.extractors:
        subject.texts.extend(item.texts)
    result = ExtractionResult(item.sha256)
    for extractor_class in run_order():
        name = extractor_class.name
        if name not in item.extractors:
            continue
        extractor = _instances.get(name) or _instances.setdefault(name, extractor_class())
        try:
            if extractor.able_to_run(subject):
                extractor.run(subject)
        except ExtractorUnavailable as why:
            result.unavailable[name] = str(why)
            continue
        except Exception as error:  # hostile input can trip any decoder or library bug
            subject.skip(name, f"{type(error).__name__}: {error}")
        result.ran[name] = extractor_class.version
    result.clues = subject.clues
    result.skips = subject.skips
    result.texts = subject.texts if "text" in result.ran else []
    return result


class ClueRunner:
    def __init__(
        self,
        store: ClueStore,
        limits: Limits,
        workers: int,
        progress: Progress | None = None,
        background: bool = True,
    ) -> None:
        self.store = store
        self.limits = limits
        self.workers = workers
        self.progress = progress or SilentProgress()
        self.background = background

    def run(self) -> ExtractionSummary:
        versions = {cls.name: cls.version for cls in extractors}
        summary = ExtractionSummary(extractors=dict(versions))
        started = time.perf_counter()
        self.progress.grow(self.store.count_pending(versions), 0)
        # With one worker the extractors run in this process, which is left at its priority.
        lowered = self.background and self.workers > 1
        self._run(lowered, versions, summary)
        summary.seconds = time.perf_counter() - started
        return summary

    def _run(self, lowered: bool, versions: dict[str, int], summary: ExtractionSummary) -> None:
        executor = make_executor(self.workers, init_worker, (self.limits, lowered))
        in_flight: set[Future[list[ExtractionResult]]] = set()
        after = ""
        try:
            while True:
                # A serial executor runs each batch as it is submitted: store one before the next.
                while len(in_flight) < (self.workers * 2 if self.workers > 1 else 1):
                    batch = self.store.pending(versions, after, BATCH)
                    if not batch:
                        break
                    after = batch[-1]
                    items = self.store.media_for_clues(batch, versions)
                    in_flight.add(executor.submit(extract_batch, items))
                if not in_flight:
                    break
                done, in_flight = executor.wait_any(in_flight)
                for future in done:
                    results = future.result()
                    self.store.save(results)
                    summary.add(results)
                    self.progress.advance(len(results), 0)
        finally:
            executor.shutdown()
            self.progress.close()
