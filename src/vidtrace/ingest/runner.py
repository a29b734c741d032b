"""The ingest runner: plans work units, feeds the executor, records results, resumes cleanly."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from vidtrace.config import Settings
from vidtrace.domain.provenance import ARCHIVE_SEPARATOR
from vidtrace.ingest.item import IngestItem
from vidtrace.ingest.progress import Progress, SilentProgress
from vidtrace.ingest.recorder import IngestRecorder
from vidtrace.ingest.summary import IngestSummary, count_sources
from vidtrace.ingest.worker import WorkResult, WorkUnit, init_worker, process_unit
from vidtrace.jobs.executor import Executor, make_executor
from vidtrace.sources import folder
from vidtrace.sources.archive import archive_formats
from vidtrace.sources.base import ContainerRef, SourceEntry
from vidtrace.store.cases import CaseRepository
from vidtrace.store.vault import Vault

if TYPE_CHECKING:
    from vidtrace.matching.matcher import Matcher

FILES_PER_UNIT = 16  # enough to amortise inter-process overhead, small enough to balance load
MEMBERS_PER_ZIP_UNIT = 32
COMMIT_EVERY_ITEMS = 200
COMMIT_EVERY_SECONDS = 2.0


class EvidenceNotFoundError(FileNotFoundError):
    pass


@dataclass
class _SourceRun:
    source_id: int
    done: set[str]


class IngestRunner:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        progress: Progress | None = None,
        matcher: Matcher | None = None,
    ):
        self.settings = settings
        self.matcher = matcher
        self.engine = engine
        self.cases = CaseRepository(engine)
        self.recorder = IngestRecorder(engine)
        self.progress = progress or SilentProgress()

    def run(
        self,
        paths: Iterable[Path],
        case: str,
        agency: str | None = None,
        country: str | None = None,
    ) -> IngestSummary:
        roots = [Path(p).absolute() for p in paths]
        for root in roots:
            if not root.exists() and not root.is_symlink():
                raise EvidenceNotFoundError(f"evidence not found: {root}")
        started = time.monotonic()
        Vault(self.settings.vault_dir).clear_staging()
        case_id = self.cases.ensure_case(case, agency, country)
        summary = IngestSummary(case=case, sources=[str(r) for r in roots])
        executor = make_executor(self.settings.workers, init_worker, (self.settings,))
        source_ids = []
        try:
            for root in roots:
                kind = "folder" if root.is_dir() else "file"
                source = _SourceRun(self.cases.ensure_source(case_id, str(root), kind), set())
                source.done = self.recorder.done_paths(source.source_id)
                source_ids.append(source.source_id)
                self._ingest_source(executor, case_id, source, folder.walk(root), summary)
        finally:
            executor.shutdown()
            self.progress.close()
        if self.matcher is not None:  # new media are matched against the banks at once
            matched = self.matcher.run(pending_only=True)
            summary.banks = matched.banks
            for counts in matched.cases:
                if counts["case"] == case:
                    summary.case_media = counts["media"]
                    summary.precategorised = counts["precategorised"]
                    summary.known_good = counts["known_good"]
        summary.seconds = time.monotonic() - started
        return count_sources(self.engine, summary, source_ids)

    def _ingest_source(
        self,
        executor: Executor,
        case_id: int,
        source: _SourceRun,
        entries: Iterable[SourceEntry],
        summary: IngestSummary,
    ) -> None:
        planned = deque(self._plain_units(entries, source, summary))
        buffer: list[IngestItem] = []
        last_commit = time.monotonic()
        in_flight: set[Future[WorkResult]] = set()
        limit = max(2, executor.workers * 3)
        while planned or in_flight:
            while planned and len(in_flight) < limit:
                in_flight.add(executor.submit(process_unit, planned.popleft()))
            done, in_flight = executor.wait_any(in_flight)
            for future in done:
                result = future.result()
                buffer.extend(result.items)
                self._account(result.items, summary)
                for container in result.containers:
                    planned.extend(self._archive_units(container, source, summary))
            if (
                len(buffer) >= COMMIT_EVERY_ITEMS
                or time.monotonic() - last_commit > COMMIT_EVERY_SECONDS
            ):
                self.recorder.save(case_id, source.source_id, buffer)
                buffer, last_commit = [], time.monotonic()
        self.recorder.save(case_id, source.source_id, buffer)

    def _account(self, items: list[IngestItem], summary: IngestSummary) -> None:
        size = sum(item.digests.size for item in items if item.digests)
        summary.files_processed += len(items)
        summary.bytes_read += size
        summary.new_media += sum(
            1 for item in items if item.digests and not item.already_known and item.digests.size
        )
        self.progress.advance(len(items), size)

    def _plain_units(
        self, entries: Iterable[SourceEntry], source: _SourceRun, summary: IngestSummary
    ) -> Iterator[WorkUnit]:
        todo = []
        for entry in entries:
            if entry.provenance.display_path in source.done:
                summary.files_already_done += 1
            else:
                todo.append(entry)
        self.progress.grow(len(todo), sum(e.provenance.size or 0 for e in todo))
        iterator = iter(todo)
        while chunk := tuple(islice(iterator, FILES_PER_UNIT)):
            yield WorkUnit(chunk)

    def _archive_units(
        self, container: ContainerRef, source: _SourceRun, summary: IngestSummary
    ) -> list[WorkUnit]:
        """Members of an archive on disk: zip members in parallel batches, a tar in one pass."""
        prefix = ARCHIVE_SEPARATOR.join(container.chain) + ARCHIVE_SEPARATOR
        done = frozenset(p for p in source.done if p.startswith(prefix))
        archive = archive_formats.get(container.format)()
        todo = []
        for member in archive.list_members(container, self.settings.limits):
            if member.provenance.display_path in done:
                summary.files_already_done += 1
            else:
                todo.append(member)
        self.progress.grow(len(todo), sum(m.declared_size or 0 for m in todo))
        if archive.sequential:
            return [WorkUnit(tuple(todo), container, done)] if todo else []
        return [
            WorkUnit(tuple(todo[i : i + MEMBERS_PER_ZIP_UNIT]), container, done)
            for i in range(0, len(todo), MEMBERS_PER_ZIP_UNIT)
        ]
