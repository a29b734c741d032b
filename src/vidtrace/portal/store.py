"""The portal's own database: SQLite in its data folder, its own tables, nothing shared with
the workbench's schema.

Durability: WAL with ``synchronous=FULL``. A tip is acknowledged only after its commit, and in
WAL mode FULL syncs the log on every commit, so an acknowledged tip survives a kill -9 *and* a
power cut or kernel crash; NORMAL would survive the first but could lose the last commits to
the second. The price, one fsync per tip, is small next to the rate the public sends tips at.

Writes go through one connection, each transaction opened with ``BEGIN IMMEDIATE``: writers
queue for it instead of failing with "database is locked" when a read turns into a write, and
tips get their ``seq`` in commit order, so a reader at ``after=SEQ`` never misses one
committed later with a lower number. Reads use their own pool and never wait for writes (WAL).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)

DATABASE_FILE = "portal.sqlite3"
# Bumped with every change of the tables below; a portal refuses a database of another version
# rather than guess (the portal's schema is small enough to need no migration tool yet).
SCHEMA_VERSION = 1

metadata = MetaData()

objects = Table(
    "portal_object",
    metadata,
    Column("public_id", String(32), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("questions", JSON, nullable=False),
    Column("category", String(20), nullable=False),
    Column("image", LargeBinary, nullable=True),  # the sanitised WebP; None once withdrawn
    Column("published_at", DateTime, nullable=False),  # UTC, as every time here
    Column("updated_at", DateTime, nullable=False),
    Column("withdrawn_at", DateTime, nullable=True),
    Index("ix_portal_object_gallery", "withdrawn_at", "category", "published_at"),
)

tips = Table(
    "portal_tip",
    metadata,
    Column("seq", Integer, primary_key=True),  # the sync cursor; AUTOINCREMENT: never reused
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("object", String(32), nullable=False, index=True),  # the object's public id
    Column("text", Text, nullable=False),
    Column("country", String(2), nullable=True),
    Column("place", String(200), nullable=True),
    Column("email", String(254), nullable=True),
    Column("language", String(16), nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("spam_signs", JSON, nullable=False),
    Column("honeypot", Boolean, nullable=False),  # kept aside from the public tip count
    Column("text_hash", String(64), nullable=False, index=True),  # of the normalised text
    # The sender's salted address hash, for the "repeat" sign; cleared after a few hours.
    Column("client_hash", String(64), nullable=True),
    Index("ix_portal_tip_client_text", "client_hash", "text_hash"),
    sqlite_autoincrement=True,
)

figures = Table(
    "portal_figures",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1: one set of outcome figures
    Column("countries_narrowed", Integer, nullable=False),
    Column("children_identified", Integer, nullable=False),
    Column("offenders_prosecuted", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)


def utcnow() -> datetime:
    """Now, in UTC without a zone: how SQLite stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_utc(moment: datetime) -> datetime:
    """A stored (zoneless UTC) time as an aware one."""
    return moment.replace(tzinfo=UTC)


def to_stored(moment: datetime) -> datetime:
    """An aware time as stored; a zoneless one is taken as UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own BEGIN handling is off: we emit BEGIN ourselves (see _begin_*).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin_deferred(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _engine(path: Path, begin: Any, **pool: Any) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": 30, "check_same_thread": False},
        **pool,
    )
    event.listen(engine, "connect", _pragmas)
    event.listen(engine, "begin", begin)
    return engine


class SchemaVersionError(RuntimeError):
    """The database was written by a portal of another schema version."""


class PortalDatabase:
    """The portal's SQLite database in ``data_dir`` (created 0600 if missing)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DATABASE_FILE
        if not self.path.exists():
            # Created before SQLite opens it: SQLite gives its -wal and -shm the same mode.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        self.reads = _engine(self.path, _begin_deferred)
        self.writes = _engine(self.path, _begin_immediate, pool_size=1, max_overflow=0)
        self._create_schema()

    def _create_schema(self) -> None:
        with self.writes.begin() as connection:
            version = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
            if version not in (0, SCHEMA_VERSION):
                raise SchemaVersionError(
                    f"{self.path} has schema version {version}; this portal knows {SCHEMA_VERSION}"
                )
            metadata.create_all(connection)
            connection.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.reads.connect() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction, committed when the block ends without an error."""
        with self.writes.begin() as connection:
            yield connection

    def close(self) -> None:
        self.reads.dispose()
        self.writes.dispose()
