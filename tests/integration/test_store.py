"""The store on both databases: migrations, cases and sources, the media lookup."""

from __future__ import annotations

from sqlalchemy import inspect

from vidtrace.config import Settings
from vidtrace.store.cases import CaseRepository
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.media_lookup import MediaLookup

CORE_TABLES = {
    "agency",
    "case",
    "source",
    "media",
    "occurrence",
    "video_frame",
    "derivative",
    "skipped_file",
}


def test_migrations_create_the_core_tables_and_rerun_cleanly(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    upgrade_schema(engine)
    upgrade_schema(engine)  # idempotent
    tables = set(inspect(engine).get_table_names())
    assert tables >= CORE_TABLES
    assert "alembic_version" in tables
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_cases_and_sources_are_created_once(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    upgrade_schema(engine)
    cases = CaseRepository(engine)
    first = cases.ensure_case("Case A", "Agency NL")
    assert cases.ensure_case("Case A", "Agency NL") == first
    other = cases.ensure_case("Case B")
    assert other != first
    source = cases.ensure_source(first, "/evidence/one", "folder")
    assert cases.ensure_source(first, "/evidence/one", "folder") == source
    assert cases.ensure_source(other, "/evidence/one", "folder") != source
    assert cases.find_case("Case A") == first
    assert cases.find_case("nope") is None
    assert MediaLookup(engine).is_ingested("0" * 64) is False
    engine.dispose()
