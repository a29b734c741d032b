"""Builders for workbench tests: media placed in cases and series with plain inserts, fast
enough for the access, triage and workflow tests on both databases."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select

from vidtrace.store.models import Media, Occurrence, Series, SeriesMember, Source
from vidtrace.store.series_summary import refresh_series_summary


def sha(n: int) -> str:
    return f"{n:064x}"


def add_media(engine: Engine, case_id: int, n: int, series_id: int | None = None) -> str:
    key = sha(n)
    with engine.begin() as conn:
        source_id = conn.scalar(select(Source.id).where(Source.case_id == case_id))
        conn.execute(
            insert(Media).values(sha256=key, md5="0" * 32, sha1="0" * 40, size=1, kind="image")
        )
        conn.execute(
            insert(Occurrence).values(
                media_sha256=key,
                case_id=case_id,
                source_id=source_id,
                path=f"{n}.jpg",
                member_path=f"{n}.jpg",
            )
        )
        if series_id is not None:
            if conn.scalar(select(Series.id).where(Series.id == series_id)) is None:
                conn.execute(insert(Series).values(id=series_id, size=1, links_by_kind={}))
            conn.execute(insert(SeriesMember).values(media_sha256=key, series_id=series_id))
            refresh_series_summary(conn, [series_id])
    return key
