"""Banks and their entries: the store slice that importing and matching use."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from vidtrace.domain.known import Bank, BankType, EntryVerdict
from vidtrace.hashsets.base import BankEntry
from vidtrace.store.counters import BANK_GENERATION, bump_counter
from vidtrace.store.models import HashSet, HashSetEntry, Match

ENTRY_FIELDS = (
    "md5",
    "sha1",
    "sha256",
    "pdq",
    "photodna",
    "category",
    "category_label",
    "victim_identified",
    "offender_identified",
    "is_distributed",
    "series",
    "tags",
    "comments",
    "media_size",
    "mime_type",
)


def entry_row(bank_id: int, entry: BankEntry) -> dict[str, Any]:
    row = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    row.update(
        hash_set_id=bank_id,
        record=entry.record,
        file_paths=list(entry.file_paths),
        extra=entry.extra,
    )
    return row


def row_to_entry(row: Any) -> BankEntry:
    """A stored entry back as the BankEntry it was imported from."""
    values = {name: row[name] for name in ENTRY_FIELDS}
    return BankEntry(
        record=row["record"],
        file_paths=tuple(row["file_paths"] or ()),
        extra=row["extra"] or {},
        **values,
    )


class BankRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- writing (inside the importer's transaction) --------------------------------------
    @staticmethod
    def bank_id(conn: Connection, name: str) -> int | None:
        return conn.scalar(select(HashSet.id).where(HashSet.name == name))

    @staticmethod
    def create(conn: Connection, **fields: Any) -> int:
        bank_id = conn.execute(insert(HashSet).values(**fields).returning(HashSet.id)).scalar_one()
        bump_counter(conn, BANK_GENERATION)
        return int(bank_id)

    @staticmethod
    def add_entries(conn: Connection, bank_id: int, entries: Sequence[BankEntry]) -> None:
        if entries:
            conn.execute(insert(HashSetEntry), [entry_row(bank_id, e) for e in entries])

    @staticmethod
    def finish(conn: Connection, bank_id: int, **counts: Any) -> None:
        conn.execute(update(HashSet).where(HashSet.id == bank_id).values(**counts))

    @staticmethod
    def drop(conn: Connection, bank_id: int) -> None:
        """Remove a bank, its entries and the matches it produced; media flags follow at the
        next ``vidtrace match`` (the bank generation changes)."""
        conn.execute(delete(Match).where(Match.hash_set_id == bank_id))
        conn.execute(delete(HashSetEntry).where(HashSetEntry.hash_set_id == bank_id))
        conn.execute(delete(HashSet).where(HashSet.id == bank_id))
        bump_counter(conn, BANK_GENERATION)

    def remove(self, name: str) -> bool:
        with self.engine.begin() as conn:
            bank_id = self.bank_id(conn, name)
            if bank_id is None:
                return False
            self.drop(conn, bank_id)
            return True

    def set_policy(
        self, name: str, pdq_threshold: int | None = None, bank_type: BankType | None = None
    ) -> bool:
        values: dict[str, Any] = {}
        if pdq_threshold is not None:
            values["pdq_threshold"] = pdq_threshold
        if bank_type is not None:
            values["bank_type"] = bank_type.value
        with self.engine.begin() as conn:
            done = conn.execute(update(HashSet).where(HashSet.name == name).values(**values))
            if done.rowcount and values:
                bump_counter(conn, BANK_GENERATION)
            return bool(done.rowcount)

    # -- reading -------------------------------------------------------------------------
    def banks(self) -> dict[int, Bank]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(HashSet.id, HashSet.name, HashSet.bank_type, HashSet.pdq_threshold)
            )
            return {r.id: Bank(r.id, r.name, BankType(r.bank_type), r.pdq_threshold) for r in rows}

    def listing(self) -> list[dict[str, Any]]:
        """Every bank with its policy, provenance and counts, by name."""
        with self.engine.connect() as conn:
            with_pdq = dict(
                conn.execute(
                    select(HashSetEntry.hash_set_id, func.count())
                    .where(HashSetEntry.pdq.is_not(None))
                    .group_by(HashSetEntry.hash_set_id)
                ).all()
            )
            matched = dict(
                conn.execute(
                    select(
                        Match.hash_set_id, func.count(func.distinct(Match.media_sha256))
                    ).group_by(Match.hash_set_id)
                ).all()
            )
            rows = conn.execute(select(HashSet).order_by(HashSet.name)).mappings().all()
        return [
            {
                "name": r["name"],
                "format": r["format"],
                "type": r["bank_type"],
                "pdq_threshold": r["pdq_threshold"],
                "source": r["source"],
                "version": r["version"],
                "profile": r["profile"],
                "file_name": r["file_name"],
                "file_sha256": r["file_sha256"],
                "imported_at": r["imported_at"].isoformat() if r["imported_at"] else None,
                "records_read": r["records_read"],
                "entries": r["entries"],
                "entries_with_pdq": with_pdq.get(r["id"], 0),
                "rejected": r["rejected"],
                "media_matched": matched.get(r["id"], 0),
            }
            for r in rows
        ]

    def entries(self, name: str) -> Iterator[BankEntry]:
        """A bank's entries in record order (for tests and re-export)."""
        with self.engine.connect() as conn:
            bank_id = self.bank_id(conn, name)
            query = (
                select(HashSetEntry)
                .where(HashSetEntry.hash_set_id == bank_id)
                .order_by(HashSetEntry.record, HashSetEntry.id)
            )
            for row in conn.execute(query).mappings():
                yield row_to_entry(row)

    def pdq_entries_after(
        self, after_id: int, batch: int = 50_000
    ) -> Iterator[list[tuple[int, str]]]:
        """(entry id, PDQ) of every entry with a PDQ and an id above ``after_id``, in batches."""
        last = after_id
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(HashSetEntry.id, HashSetEntry.pdq)
                    .where(HashSetEntry.id > last, HashSetEntry.pdq.is_not(None))
                    .order_by(HashSetEntry.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            yield [(int(i), str(p)) for i, p in rows]
            last = int(rows[-1][0])

    def max_pdq_entry_id(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.scalar(select(func.max(HashSetEntry.id)).where(HashSetEntry.pdq.is_not(None)))
                or 0
            )

    @staticmethod
    def verdicts(conn: Connection, entry_ids: Iterable[int]) -> dict[int, EntryVerdict]:
        ids = sorted(set(entry_ids))
        found: dict[int, EntryVerdict] = {}
        for start in range(0, len(ids), 5000):
            rows = conn.execute(
                select(
                    HashSetEntry.id,
                    HashSetEntry.hash_set_id,
                    HashSetEntry.category,
                    HashSetEntry.category_label,
                    HashSetEntry.series,
                    HashSetEntry.victim_identified,
                ).where(HashSetEntry.id.in_(ids[start : start + 5000]))
            )
            for row in rows:
                found[int(row[0])] = EntryVerdict(int(row[0]), *row[1:])
        return found
