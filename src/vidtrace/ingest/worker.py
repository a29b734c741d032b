"""What runs in a worker process: open a unit's files, read each once, run the steps.

A unit is either a batch of plain files or a batch of members of one archive on disk (opened
once). Archives met inside archives are staged and expanded inline, up to the depth limit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from vidtrace.config import Settings
from vidtrace.domain.media import MediaKind
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.ingest.item import IngestItem
from vidtrace.ingest.reader import TooLargeError, read_once
from vidtrace.ingest.steps import STAGED_KINDS, FileContext, run_steps
from vidtrace.sources.archive import MemberReadError, archive_formats, find_format
from vidtrace.sources.base import ContainerRef, SourceEntry, open_evidence
from vidtrace.store.database import make_engine
from vidtrace.store.media_lookup import MediaLookup
from vidtrace.store.vault import Vault

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkUnit:
    entries: tuple[SourceEntry, ...]
    container: ContainerRef | None = None  # set: the entries are members of this archive
    done: frozenset[str] = frozenset()  # display paths already ingested (resume)


@dataclass
class WorkResult:
    items: list[IngestItem] = field(default_factory=list)
    # Archives on disk whose members the runner schedules as further units.
    containers: list[ContainerRef] = field(default_factory=list)


@dataclass
class _WorkerState:
    settings: Settings
    vault: Vault
    lookup: MediaLookup


_state: _WorkerState | None = None


def init_worker(settings: Settings) -> None:
    """Per-process set-up: the vault and a read-only lookup of media already ingested."""
    global _state
    _state = _WorkerState(
        settings,
        Vault(settings.vault_dir),
        MediaLookup(make_engine(settings.resolved_database_url)),
    )


def process_unit(unit: WorkUnit) -> WorkResult:
    assert _state is not None, "init_worker() was not called in this process"
    result = WorkResult()
    _consume(unit, result, _state)
    return result


def _consume(unit: WorkUnit, result: WorkResult, state: _WorkerState) -> None:
    """Process every entry of ``unit``; a broken archive skips its other members, not the run."""
    handled: set[str] = set()
    try:
        for entry, opened in _open_entries(unit, state.settings):
            handled.add(entry.provenance.display_path)
            if isinstance(opened, SkipReason):
                result.items.append(IngestItem(entry.provenance, skipped=opened))
                continue
            with opened as stream:
                _process_stream(entry, stream, unit.done, result, state)
    except Exception as error:  # corrupt archive structures surface while iterating
        reason = SkipReason(SkipCode.ARCHIVE_CORRUPT, f"{type(error).__name__}: {error}")
        for entry in unit.entries:
            if entry.provenance.display_path not in handled:
                result.items.append(IngestItem(entry.provenance, skipped=reason))


def _open_entries(
    unit: WorkUnit, settings: Settings
) -> Iterator[tuple[SourceEntry, BinaryIO | SkipReason]]:
    if unit.container is None:
        for entry in unit.entries:
            if entry.skipped is not None:
                yield entry, entry.skipped
                continue
            assert entry.fs_path is not None
            try:
                yield entry, open_evidence(entry.fs_path)
            except OSError as error:
                yield entry, SkipReason(SkipCode.UNREADABLE, error.strerror or str(error))
        return
    archive = archive_formats.get(unit.container.format)
    pending = [entry for entry in unit.entries if entry.skipped is None]
    for entry in unit.entries:
        if entry.skipped is not None:
            yield entry, entry.skipped
    yield from archive().open_members(unit.container, pending, settings.limits)


def _process_stream(
    entry: SourceEntry,
    stream: BinaryIO,
    done: frozenset[str],
    result: WorkResult,
    state: _WorkerState,
) -> None:
    item = IngestItem(entry.provenance)
    result.items.append(item)
    settings = state.settings
    with state.vault.staging() as (staged, handle):
        try:
            read = read_once(stream, handle, STAGED_KINDS, settings.limits.max_file_bytes)
        except TooLargeError as error:
            item.skipped = SkipReason(SkipCode.TOO_LARGE, str(error))
            return
        except MemberReadError as error:  # a lying or broken archive member
            item.skipped = error.reason
            return
        except OSError as error:
            item.skipped = SkipReason(SkipCode.UNREADABLE, str(error))
            return
        item.digests, item.facts.kind, item.facts.mime = read.digests, read.kind, read.mime
        if read.digests.size == 0:
            item.skipped = SkipReason(SkipCode.EMPTY, "zero bytes")
            return
        ctx = FileContext(staged, settings, state.vault, state.lookup.is_ingested)
        try:
            run_steps(item, ctx)
        except Exception as error:  # a decoder bug must not stop the run or lose the hashes
            log.exception("step failed on %s", entry.provenance.display_path)
            item.skipped = SkipReason(SkipCode.INTERNAL_ERROR, f"{type(error).__name__}: {error}")
        if item.facts.kind is MediaKind.ARCHIVE:
            _expand_archive(entry, item, staged, done, result, state)


def _expand_archive(
    entry: SourceEntry,
    item: IngestItem,
    staged: Path,
    done: frozenset[str],
    result: WorkResult,
    state: _WorkerState,
) -> None:
    """An archive on disk goes back to the runner; one inside an archive is expanded here."""
    archive = find_format(Path(entry.fs_path) if entry.fs_path else staged, item.facts.mime or "")
    if archive is None:
        item.facts.kind = MediaKind.OTHER  # e.g. a gzip that holds no tar
        return
    chain = (*entry.provenance.chain, entry.provenance.path)
    if len(chain) > state.settings.limits.max_archive_depth:
        item.skipped = SkipReason(
            SkipCode.ARCHIVE_BOMB, f"archive nested deeper than {len(chain) - 1}"
        )
        return
    if entry.fs_path is not None:
        result.containers.append(ContainerRef(entry.fs_path, chain, archive.name))
        return
    container = ContainerRef(str(staged), chain, archive.name)
    members = tuple(
        member
        for member in archive().list_members(container, state.settings.limits)
        if member.provenance.display_path not in done
    )
    _consume(WorkUnit(members, container, done), result, state)
