"""Matches and the media flags they set: the store slice of matching and of media listings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Integer, cast, delete, func, insert, or_, select, update

from vidtrace.store.models import Case, HashSet, Match, Media, Occurrence


class MatchRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def media_pages(self, generation: int | None, page: int) -> Iterator[list[str]]:
        """SHA-256s of media to match, in pages: all (generation None) or those not yet matched
        against ``generation``. Keyset-paged, so updating a page does not disturb the next."""
        last = ""
        while True:
            query = select(Media.sha256).where(Media.sha256 > last)
            if generation is not None:
                query = query.where(
                    or_(Media.matched_generation.is_(None), Media.matched_generation != generation)
                )
            with self.engine.connect() as conn:
                rows = list(conn.scalars(query.order_by(Media.sha256).limit(page)))
            if not rows:
                return
            yield rows
            last = rows[-1]

    @staticmethod
    def replace_for_media(
        conn: Connection,
        media_sha256s: Sequence[str],
        rows: Sequence[dict[str, Any]],
        precategorised: Collection[str],
        known_good: Collection[str],
        generation: int,
    ) -> None:
        """Make ``rows`` the matches of ``media_sha256s`` and set their flags, in one step."""
        conn.execute(delete(Match).where(Match.media_sha256.in_(media_sha256s)))
        if rows:
            conn.execute(insert(Match), list(rows))
        conn.execute(
            update(Media)
            .where(Media.sha256.in_(media_sha256s))
            .values(precategorised=False, known_good=False, matched_generation=generation)
        )
        if precategorised:
            conn.execute(
                update(Media).where(Media.sha256.in_(precategorised)).values(precategorised=True)
            )
        if known_good:
            conn.execute(update(Media).where(Media.sha256.in_(known_good)).values(known_good=True))

    def case_counts(self) -> list[dict[str, Any]]:
        """Per case: media, pre-categorised and known-good counts (distinct media)."""
        pairs = select(Occurrence.case_id, Occurrence.media_sha256).distinct().subquery()
        query = (
            select(
                Case.name,
                func.count(),
                func.sum(cast(Media.precategorised, Integer)),
                func.sum(cast(Media.known_good, Integer)),
            )
            .join(pairs, pairs.c.case_id == Case.id)
            .join(Media, Media.sha256 == pairs.c.media_sha256)
            .group_by(Case.name)
            .order_by(Case.name)
        )
        with self.engine.connect() as conn:
            return [
                {
                    "case": name,
                    "media": int(total),
                    "precategorised": int(pre or 0),
                    "known_good": int(good or 0),
                }
                for name, total, pre, good in conn.execute(query)
            ]

    def totals(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            total, pre, good = conn.execute(
                select(
                    func.count(),
                    func.sum(cast(Media.precategorised, Integer)),
                    func.sum(cast(Media.known_good, Integer)),
                ).select_from(Media)
            ).one()
        return {"media": int(total), "precategorised": int(pre or 0), "known_good": int(good or 0)}

    @staticmethod
    def for_media(
        conn: Connection, media_sha256s: Sequence[str]
    ) -> dict[str, list[dict[str, Any]]]:
        """The matches of each media item, as the media listings show them."""
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        query = (
            select(
                *Match.__table__.c, HashSet.name.label("bank"), HashSet.bank_type.label("bank_type")
            )
            .join(HashSet, HashSet.id == Match.hash_set_id)
            .order_by(Match.media_sha256, HashSet.name, Match.kind, Match.distance)
        )
        if len(media_sha256s) < 5000:
            query = query.where(Match.media_sha256.in_(media_sha256s))
        for row in conn.execute(query).mappings():
            found[row["media_sha256"]].append(
                {
                    "bank": row["bank"],
                    "bank_type": row["bank_type"],
                    "kind": row["kind"],
                    "distance": row["distance"],
                    "dihedral": row["dihedral"],
                    "frame": row["frame"],
                    "category": row["category"],
                    "category_label": row["category_label"],
                    "series": row["series"],
                    "victim_identified": row["victim_identified"],
                    "entry_id": row["entry_id"],
                }
            )
        return found
