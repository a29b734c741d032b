"""Exact matches: a media item's MD5, SHA-1 or SHA-256 equals a bank entry's."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from vidtrace.domain.known import Candidate, MatchKind
from vidtrace.store.models import HashSetEntry, Media

_COLUMNS = {
    MatchKind.MD5: (Media.md5, HashSetEntry.md5),
    MatchKind.SHA1: (Media.sha1, HashSetEntry.sha1),
    MatchKind.SHA256: (Media.sha256, HashSetEntry.sha256),
}


def exact_candidates(conn: Connection, media_sha256s: Sequence[str]) -> list[Candidate]:
    found: list[Candidate] = []
    for kind, (media_column, entry_column) in _COLUMNS.items():
        rows = conn.execute(
            select(Media.sha256, HashSetEntry.id)
            .join(HashSetEntry, entry_column == media_column)
            .where(Media.sha256.in_(media_sha256s))
        )
        found.extend(Candidate(sha256, int(entry_id), kind) for sha256, entry_id in rows)
    return found
