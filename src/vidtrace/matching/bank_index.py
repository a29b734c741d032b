"""The workspace's PDQ index over every bank entry that carries a PDQ.

The database is the truth; the index is derived from it and catches up by entry id, so an
index left behind by a crash (or built before another workspace imported into a shared
PostgreSQL database) is completed on the next use. Entries removed from the database may stay
in the index until it is rebuilt: their hits find no entry row and are dropped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

from vidtrace.index import BatchHits, IndexLockedError, PdqIndex
from vidtrace.store.banks import BankRepository

log = logging.getLogger(__name__)
LOCK_WAIT_SECONDS = 600.0


class BankPdqIndex:
    def __init__(self, directory: Path, banks: BankRepository) -> None:
        self.directory = directory
        self.banks = banks
        self._index: PdqIndex | None = None

    @property
    def index(self) -> PdqIndex:
        if self._index is None:
            self._index = self._open_when_free()
        return self._index

    def _open_when_free(self) -> PdqIndex:
        """The index, opened for writing; another vidtrace process (an ingest matching its
        new media, say) may hold it for a while, so wait for it rather than fail."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return PdqIndex.open(self.directory)
            except IndexLockedError:
                if time.monotonic() > deadline:
                    raise
                log.warning("waiting for the bank PDQ index, in use by another process")
                time.sleep(1.0)

    def sync(self) -> int:
        """Add the entries the index lacks; how many were added."""
        index = self.index
        added = 0
        for batch in self.banks.pdq_entries_after(index.max_id or 0):
            index.add([pdq for _, pdq in batch], [entry_id for entry_id, _ in batch])
            added += len(batch)
        return added

    def rebuild(self) -> int:
        self.index.reset()
        return self.sync()

    def search(self, hashes: Sequence[str], radius: int) -> BatchHits:
        """Search as the index stands: callers ``sync`` first (the matcher does, once per run)."""
        return self.index.search_batch(hashes, radius)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
