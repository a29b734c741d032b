"""The store on both databases: migrations, cases and sources, the media lookup."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from vidtrace.config import Settings
from vidtrace.store.cases import CaseRepository
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.media_lookup import MediaLookup
from vidtrace.store.models import Base

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


def _declared(thing: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
    # Substring search (migration 0007) lives outside the models: SQLite's FTS5 tables and
    # PostgreSQL's trigram indexes.
    if kind == "table" and name and "_search" in name:
        return False
    return not (kind == "index" and name and name.endswith("_trgm"))


# Neither database reflects expression indexes (PDQ chunks, lower-cased camera fields): they
# are left out of the comparison.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_the_migrations_build_what_the_models_declare(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    upgrade_schema(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _declared})
        assert compare_metadata(context, Base.metadata) == []
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
