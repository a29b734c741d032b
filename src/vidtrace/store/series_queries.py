"""Read models for ``vidtrace series list/show`` and ``vidtrace overlaps``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from vidtrace.store.audit import audit_trail
from vidtrace.store.links import LinkRepository
from vidtrace.store.models import (
    Agency,
    Case,
    HashSet,
    Match,
    Media,
    Occurrence,
    Series,
    SeriesApart,
    SeriesCase,
    SeriesMember,
)

SHOWN_LINKS = 200


def case_spread(
    conn: Connection, series_ids: Sequence[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Per series: each case holding members, with its agency, country and media count.
    Read from the series summary (``series_case``), kept current by every writer."""
    query = (
        select(SeriesCase.series_id, Case.name, Agency.name, Agency.country, SeriesCase.members)
        .join(Case, Case.id == SeriesCase.case_id)
        .outerjoin(Agency, Agency.id == Case.agency_id)
        .order_by(SeriesCase.series_id, Case.name)
    )
    if series_ids is not None:
        query = query.where(SeriesCase.series_id.in_(list(series_ids)))
    spread: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for sid, case, agency, country, media in conn.execute(query):
        spread[sid].append({"case": case, "agency": agency, "country": country, "media": media})
    return spread


def known_series(conn: Connection) -> dict[int, list[dict[str, Any]]]:
    """Per series: the series names the banks give its members, side by side, and which other
    series the same bank name also covers (a hint that they may be one)."""
    query = (
        select(
            SeriesMember.series_id,
            HashSet.name,
            Match.series,
            func.count(func.distinct(Match.media_sha256)),
        )
        .join(Match, Match.media_sha256 == SeriesMember.media_sha256)
        .join(HashSet, HashSet.id == Match.hash_set_id)
        .where(Match.series.is_not(None), Match.series != "")
        .group_by(SeriesMember.series_id, HashSet.name, Match.series)
        .order_by(SeriesMember.series_id, HashSet.name, Match.series)
    )
    rows = conn.execute(query).all()
    covers: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    for sid, bank, name, _ in rows:
        covers[(bank, name)].add(sid)
    known: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for sid, bank, name, media in rows:
        others = sorted(covers[(bank, name)] - {sid})
        known[sid].append({"bank": bank, "series": name, "media": media, "also_in": others})
    return known


def _summary(row: Any, spread: list[dict[str, Any]], known: list[dict[str, Any]]) -> dict[str, Any]:
    agencies = sorted({c["agency"] for c in spread if c["agency"]})
    countries = sorted({c["country"] for c in spread if c["country"]})
    return {
        "id": row.id,
        "name": row.name,
        "size": row.size,
        "representative": row.representative,
        "locked": row.locked,
        "decided": row.decided,
        "links": dict(sorted((row.links_by_kind or {}).items())),
        "cases": spread,
        "agencies": agencies,
        "countries": countries,  # of the agencies whose cases hold it
        "country_of_production": row.country,  # once an analyst decided it
        "known_series": known,
        "known_as": " = ".join(f"{k['series']} ({k['bank']})" for k in known) or None,
    }


class SeriesQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def list(self, case: str | None = None) -> list[dict[str, Any]]:
        """Live series, largest first; only those with members in ``case`` if given."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(Series)
                .where(Series.merged_into.is_(None), Series.size > 0)
                .order_by(Series.size.desc(), Series.id)
            ).all()
            spread = case_spread(conn)
            known = known_series(conn)
        listing = [_summary(r, spread.get(r.id, []), known.get(r.id, [])) for r in rows]
        if case is not None:
            listing = [s for s in listing if any(c["case"] == case for c in s["cases"])]
        return listing

    def show(self, series_id: int) -> dict[str, Any] | None:
        """One series: members with where they were found, the links between them with their
        evidence (strongest first), links to media outside it, and the decisions taken."""
        with self.engine.connect() as conn:
            row = conn.execute(select(Series).where(Series.id == series_id)).first()
            if row is None:
                return None
            if row.merged_into is not None:
                return {"id": row.id, "merged_into": row.merged_into}
            detail = _summary(
                row,
                case_spread(conn, [series_id]).get(series_id, []),
                known_series(conn).get(series_id, []),
            )
            members = conn.execute(
                select(
                    SeriesMember.media_sha256, SeriesMember.pinned, Media.kind, Media.precategorised
                )
                .join(Media, Media.sha256 == SeriesMember.media_sha256)
                .where(SeriesMember.series_id == series_id)
                .order_by(SeriesMember.media_sha256)
            ).all()
            places: dict[str, list[dict[str, str]]] = defaultdict(list)
            for sha256, case, path in conn.execute(
                select(Occurrence.media_sha256, Case.name, Occurrence.path)
                .join(Case, Case.id == Occurrence.case_id)
                .join(SeriesMember, SeriesMember.media_sha256 == Occurrence.media_sha256)
                .where(SeriesMember.series_id == series_id)
                .order_by(Case.name, Occurrence.path)
            ):
                places[sha256].append({"case": case, "path": path})
            apart = [
                b if a == series_id else a
                for a, b in conn.execute(
                    select(SeriesApart.series_a, SeriesApart.series_b).where(
                        (SeriesApart.series_a == series_id) | (SeriesApart.series_b == series_id)
                    )
                )
            ]
        keys = {m.media_sha256 for m in members}
        links = LinkRepository(self.engine).touching(sorted(keys))
        inside = [ln for ln in links if ln.a in keys and ln.b in keys]
        outside = [ln for ln in links if not (ln.a in keys and ln.b in keys)]
        detail.update(
            members=[
                {
                    "sha256": m.media_sha256,
                    "kind": m.kind,
                    "pinned": m.pinned,
                    "known": m.precategorised,
                    "occurrences": places.get(m.media_sha256, []),
                }
                for m in members
            ],
            link_count=len(inside),
            links_shown=[_link_json(ln) for ln in inside[:SHOWN_LINKS]],
            strongest=[_link_json(ln) for ln in inside[:5]],
            outside_links=[_link_json(ln) for ln in outside[:SHOWN_LINKS]],
            kept_apart_from=sorted(apart),
            decisions=audit_trail(self.engine, "series", series_id),
        )
        return detail

    def series_of_media(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return dict(
                conn.execute(select(SeriesMember.media_sha256, SeriesMember.series_id)).all()
            )


def _link_json(link: Any) -> dict[str, Any]:
    return {
        "a": link.a,
        "b": link.b,
        "kind": link.kind,
        "strength": str(link.strength),
        "score": round(float(link.score), 4),
        "evidence": link.evidence,
    }
