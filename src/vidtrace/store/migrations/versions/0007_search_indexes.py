"""search indexes: PDQ chunks, lower-cased camera fields, substrings of paths, text and clues

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00.000000

What store/search_queries.py reads (see store/search_predicates.py):

- ``media``: the 16 four-hex-character chunks of ``pdq`` (multi-index hashing for "PDQ within
  d bits"), and ``lower()`` of camera make, model and serial ("starts with"; PostgreSQL indexes
  them with ``text_pattern_ops`` so that ``LIKE 'x%'`` uses them in any collation).
- Substrings of ``occurrence.path``, ``media_text.text`` and ``clue.value``. SQLite: an FTS5
  table with the trigram tokenizer per column, its content read from the table itself
  (external content, rowid = id), filled now and kept current by triggers. A later migration
  that copies one of these tables (SQLite batch mode) drops its triggers and must make them
  again. PostgreSQL: pg_trgm GIN indexes, used by ``ILIKE '%x%'``; where the extension cannot be
  installed the search still works, by scanning.

The statements are written out here so that the migration does not change when models do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PDQ_CHUNKS = 16
CAMERA_FIELDS = ("camera_make", "camera_model", "camera_serial")
# (table, id column, text column, FTS5 table on SQLite, GIN index on PostgreSQL)
SUBSTRINGS = (
    ("occurrence", "id", "path", "occurrence_path_search", "ix_occurrence_path_trgm"),
    ("media_text", "id", "text", "media_text_search", "ix_media_text_text_trgm"),
    ("clue", "id", "value", "clue_value_search", "ix_clue_value_trgm"),
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for chunk in range(PDQ_CHUNKS):
        op.execute(
            f"CREATE INDEX ix_media_pdq_chunk_{chunk} ON media (substr(pdq, {4 * chunk + 1}, 4))"
        )
    ops = "" if sqlite else " text_pattern_ops"
    for field in CAMERA_FIELDS:
        op.execute(f"CREATE INDEX ix_media_{field}_lower ON media (lower({field}){ops})")
    if not sqlite:
        # An expression index has no statistics until the table is analysed; without them the
        # planner would rather scan media than probe the 16 chunk indexes.
        op.execute("ANALYZE media")
    if sqlite:
        for table, key, column, fts, _ in SUBSTRINGS:
            _sqlite_substrings(table, key, column, fts)
    elif _pg_trgm_installed():
        for table, _, column, _, index in SUBSTRINGS:
            op.execute(f"CREATE INDEX {index} ON {table} USING gin ({column} gin_trgm_ops)")


def _sqlite_substrings(table: str, key: str, column: str, fts: str) -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
        f"content_rowid='{key}', tokenize='trigram')"
    )
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    add = f"INSERT INTO {fts}(rowid, {column}) VALUES (new.{key}, new.{column});"
    remove = (
        f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{key}, old.{column});"
    )
    op.execute(f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END")
    op.execute(
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {key}, {column} ON {table} "
        f"BEGIN {remove} {add} END"
    )


def _pg_trgm_installed() -> bool:
    """Install pg_trgm where the server has it and this role may (it is a trusted extension:
    a database owner may). A refusal is not an error: the search then scans."""
    bind = op.get_bind()
    available = bind.scalar(
        sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
    )
    if not available:
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return False
    return True


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for _, _, _, fts, index in SUBSTRINGS:
        if sqlite:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{event}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
        else:
            op.execute(f"DROP INDEX IF EXISTS {index}")
    for field in CAMERA_FIELDS:
        op.drop_index(f"ix_media_{field}_lower", table_name="media")
    for chunk in range(PDQ_CHUNKS):
        op.drop_index(f"ix_media_pdq_chunk_{chunk}", table_name="media")
