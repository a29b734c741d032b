"""The portal's own SQLite database: WAL with synchronous=FULL, and no guessing at a database
written by a portal of another schema version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from vidtrace.portal.store import DATABASE_FILE, PortalDatabase, SchemaVersionError

FULL = 2


def test_every_connection_is_durable(tmp_path: Path) -> None:
    database = PortalDatabase(tmp_path)
    try:
        for engine in (database.reads, database.writes):
            with engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
                assert connection.exec_driver_sql("PRAGMA synchronous").scalar_one() == FULL
    finally:
        database.close()


def test_a_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DATABASE_FILE) as connection:
        connection.execute("PRAGMA user_version=99")
    with pytest.raises(SchemaVersionError, match="schema version 99"):
        PortalDatabase(tmp_path)


def test_opening_again_keeps_what_is_there(tmp_path: Path) -> None:
    PortalDatabase(tmp_path).close()
    database = PortalDatabase(tmp_path)
    with database.read() as connection:
        assert connection.exec_driver_sql("PRAGMA user_version").scalar_one() == 1
    database.close()
