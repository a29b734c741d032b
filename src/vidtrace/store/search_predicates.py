"""How a search term becomes a condition that the database answers from an index, on SQLite
and on PostgreSQL (the indexes are made by migration 0007).

- **Contains** (paths, recognised text, clue values): a case-insensitive substring. SQLite
  answers it from FTS5 tables with the trigram tokenizer, kept current by triggers; PostgreSQL
  from pg_trgm GIN indexes under ``ILIKE``. The visible matches are read first, at most
  ``MOST_MATCHES`` of them, then the page is read for those ids.
- **Starts with** (camera make, model, serial): the lower-cased field in a range (SQLite) or
  ``LIKE 'x%'`` (PostgreSQL, whose index uses ``text_pattern_ops`` so any collation works).
- **Near a PDQ hash**: multi-index hashing over the 16 indexed 4-hex-character chunks of
  ``media.pdq`` (``models.pdq_chunk``). Any hash within ``d`` bits of the query has a chunk
  within ``d // 16`` bits of the query's chunk, so probing each chunk's value (and, from 16 bits
  on, its 16 one-bit neighbours) finds every candidate; the caller computes the distances.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    and_,
    any_,
    bindparam,
    column,
    func,
    or_,
    select,
    table,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import InstrumentedAttribute

from vidtrace.store.models import (
    PDQ_SEARCH_CHUNKS,
    Base,
    ClueRow,
    MediaText,
    Occurrence,
    pdq_chunk,
)

SqlText: TypeAlias = ColumnElement[Any] | InstrumentedAttribute[Any]

MOST_MATCHES = 250  # more than a page (at most 200 hits), few enough to check each one
CHUNK_HEX = 4


@dataclass(frozen=True)
class SubstringIndex:
    """A text column with a substring index: its model, the model's ``id`` and media item, and
    on SQLite the FTS5 table (external content, rowid = ``id``) that indexes it."""

    model: type[Base]
    id_column: InstrumentedAttribute[int]
    text_column: InstrumentedAttribute[str]
    media_column: InstrumentedAttribute[str]
    fts_table: str


OCCURRENCE_PATH = SubstringIndex(
    Occurrence, Occurrence.id, Occurrence.path, Occurrence.media_sha256, "occurrence_path_search"
)
MEDIA_TEXT = SubstringIndex(
    MediaText, MediaText.id, MediaText.text, MediaText.media_sha256, "media_text_search"
)
CLUE_VALUE = SubstringIndex(
    ClueRow, ClueRow.id, ClueRow.value, ClueRow.media_sha256, "clue_value_search"
)


def containing(
    conn: Connection,
    index: SubstringIndex,
    words: str,
    visible: ColumnElement[bool] | None,
    most: int = MOST_MATCHES,
) -> list[int]:
    """The ids of at most ``most`` rows that contain ``words``, any case (at least three
    characters: a shorter term has no trigram to look up) and meet ``visible`` (None: all).

    Visibility is applied while matching, so that neither the ids nor their number say
    anything about rows the viewer may not see. On SQLite the FTS5 table drives the join and
    stops at ``most``. On PostgreSQL the table is not scanned: with a LIMIT the planner likes a
    scan that hopes to meet enough matches early, but a folder's files lie together, and when
    they were stored last that scan reads the whole table; the GIN index costs what the term's
    matches cost, wherever they lie.
    """
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        fts = table(index.fts_table, column("rowid"), column(index.text_column.key))
        phrase = '"' + words.replace('"', '""') + '"'  # one FTS5 string: a substring, as typed
        query = (
            select(index.id_column)
            .select_from(fts)
            .join(index.model, index.id_column == fts.c.rowid)
            .where(fts.c[index.text_column.key].op("MATCH")(phrase))
        )
    else:
        pattern = "%" + escape_like(words) + "%"
        query = select(index.id_column).where(index.text_column.ilike(pattern, escape="\\"))
    if visible is not None:
        query = query.where(visible)
    if sqlite:
        return list(conn.scalars(query.limit(most)))
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # this transaction only
    try:
        return list(conn.scalars(query.limit(most)))
    finally:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = on")


def among(conn: Connection, column: SqlText, ids: list[int]) -> ColumnElement[bool]:
    """``column IN ids`` with the ids as one parameter (a JSON array read by json_each on SQLite,
    an integer array on PostgreSQL): thousands of ids cost one bind, not thousands."""
    if conn.dialect.name == "sqlite":
        listed = func.json_each(json.dumps(ids)).table_valued("value")
        return column.in_(select(listed.c.value))
    return column == any_(bindparam(None, ids, type_=postgresql.ARRAY(BigInteger)))


def starting_with(conn: Connection, field: SqlText, prefix: str) -> ColumnElement[bool]:
    """``lower(field)`` starts with ``prefix``, any case, from the lower-cased field's index."""
    lowered_field = func.lower(field)
    lowered = prefix.lower()
    if conn.dialect.name == "sqlite":
        # Binary collation orders by code point: every string starting with p lies in [p, p+1).
        following = lowered[:-1] + chr(ord(lowered[-1]) + 1)
        return and_(lowered_field >= lowered, lowered_field < following)
    return lowered_field.like(escape_like(lowered) + "%", escape="\\")


def pdq_candidates(pdq: SqlText, query: str, distance: int) -> ColumnElement[bool]:
    """A condition true for every stored hash within ``distance`` bits of ``query`` (64 hex
    characters), and for some farther ones: the caller checks each candidate's distance."""
    flips = distance // PDQ_SEARCH_CHUNKS
    assert flips <= 1, "16 chunks reach 31 bits with one flip per chunk"
    terms = []
    for chunk in range(PDQ_SEARCH_CHUNKS):
        key = int(query[chunk * CHUNK_HEX : (chunk + 1) * CHUNK_HEX], 16)
        keys = [key] + ([key ^ (1 << bit) for bit in range(CHUNK_HEX * 4)] if flips else [])
        terms.append(pdq_chunk(pdq, chunk).in_([f"{k:04x}" for k in keys]))
    return or_(*terms)


def escape_like(words: str) -> str:
    return words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
