"""The workspace's PDQ index over every bank entry that carries a PDQ.

The database is the truth; the index is derived from it and catches up by entry id, so an
index left behind by a crash (or built before another workspace imported into a shared
PostgreSQL database) is completed on the next use. Entries removed from the database may stay
in the index until it is rebuilt: their hits find no entry row and are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vidtrace.index import BatchHits, PdqIndex
from vidtrace.store.banks import BankRepository


class BankPdqIndex:
    def __init__(self, directory: Path, banks: BankRepository) -> None:
        self.directory = directory
        self.banks = banks
        self._index: PdqIndex | None = None

    @property
    def index(self) -> PdqIndex:
        if self._index is None:
            self._index = PdqIndex.open(self.directory)
        return self._index

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
        self.sync()
        return self.index.search_batch(hashes, radius)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
