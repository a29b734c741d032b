"""Read models for ``vidtrace media list/show``: one JSON-ready dict per media item."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, select

from vidtrace.store.matches import MatchRepository
from vidtrace.store.models import (
    Case,
    Derivative,
    Media,
    Occurrence,
    SeriesMember,
    Source,
    VideoFrame,
)


class MediaQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def list(self, case: str | None = None, review: bool = False) -> list[dict[str, Any]]:
        """Every media item (of ``case`` if given), ordered by SHA-256. ``review``: only what an
        analyst still has to review, leaving out pre-categorised and known-good media."""
        query = select(Media).order_by(Media.sha256)
        if review:
            query = query.where(Media.precategorised.is_(False), Media.known_good.is_(False))
        if case is not None:
            in_case = (
                select(Occurrence.media_sha256)
                .join(Case, Case.id == Occurrence.case_id)
                .where(Case.name == case)
            )
            query = query.where(Media.sha256.in_(in_case))
        with self.engine.connect() as conn:
            media = conn.execute(query).mappings().all()
            places: dict[str, list[dict[str, Any]]] = defaultdict(list)
            occurrence_query = (
                select(Occurrence.media_sha256, Case.name, Occurrence.path, Occurrence.mtime)
                .join(Case, Case.id == Occurrence.case_id)
                .order_by(Case.name, Occurrence.path)
            )
            if case is not None:
                occurrence_query = occurrence_query.where(Case.name == case)
            for sha256, case_name, path, mtime in conn.execute(occurrence_query):
                places[sha256].append({"case": case_name, "path": path, "mtime": mtime})
            matches = MatchRepository.for_media(conn, [row["sha256"] for row in media])
            series = dict(
                conn.execute(select(SeriesMember.media_sha256, SeriesMember.series_id)).all()
            )
        return [
            _to_json(
                row,
                places.get(row["sha256"], []),
                matches.get(row["sha256"], []),
                series.get(row["sha256"]),
            )
            for row in media
        ]

    def located(self) -> dict[str, str]:
        """Every occurrence's full path (an archive member as "a.zip!/member") -> SHA-256."""
        query = select(Source.root_path, Source.kind, Occurrence.path, Occurrence.media_sha256)
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for root, kind, path, sha256 in conn.execute(query.join(Source)):
                base = root.rsplit("/", 1)[0] if kind == "file" else root
                found[f"{base}/{path}"] = sha256
        return found

    def get(self, sha256: str) -> dict[str, Any] | None:
        """One media item with its occurrences in every case, its frames and derivatives."""
        with self.engine.connect() as conn:
            row = conn.execute(select(Media).where(Media.sha256 == sha256)).mappings().first()
            if row is None:
                return None
            places = [
                {
                    "case": case_name,
                    "path": path,
                    "chain": chain,
                    "mtime": mtime,
                    "ctime": ctime,
                    "atime": atime,
                }
                for case_name, path, chain, mtime, ctime, atime in conn.execute(
                    select(
                        Case.name,
                        Occurrence.path,
                        Occurrence.chain,
                        Occurrence.mtime,
                        Occurrence.ctime,
                        Occurrence.atime,
                    )
                    .join(Case, Case.id == Occurrence.case_id)
                    .where(Occurrence.media_sha256 == sha256)
                    .order_by(Case.name, Occurrence.path)
                )
            ]
            frames = [
                {"frame": f, "seconds": s, "pdq": p, "quality": q}
                for f, s, p, q in conn.execute(
                    select(VideoFrame.frame, VideoFrame.seconds, VideoFrame.pdq, VideoFrame.quality)
                    .where(VideoFrame.media_sha256 == sha256)
                    .order_by(VideoFrame.frame)
                )
            ]
            derivatives = [
                {"role": r, "position": p, "vault_sha256": v, "mime": m, "seconds": s}
                for r, p, v, m, s in conn.execute(
                    select(
                        Derivative.role,
                        Derivative.position,
                        Derivative.vault_sha256,
                        Derivative.mime,
                        Derivative.seconds,
                    )
                    .where(Derivative.media_sha256 == sha256)
                    .order_by(Derivative.role, Derivative.position)
                )
            ]
            matches = MatchRepository.for_media(conn, [sha256]).get(sha256, [])
            series = conn.scalar(
                select(SeriesMember.series_id).where(SeriesMember.media_sha256 == sha256)
            )
        detail = _to_json(row, places, matches, series)
        detail["frames"] = frames
        detail["derivatives"] = derivatives
        return detail


def _to_json(
    row: Any,
    occurrences: list[dict[str, Any]],
    matches: list[dict[str, Any]],
    series: int | None,
) -> dict[str, Any]:
    gps = None
    if row["gps_lat"] is not None and row["gps_lon"] is not None:
        gps = {"lat": row["gps_lat"], "lon": row["gps_lon"], "alt": row["gps_alt"]}
    return {
        "sha256": row["sha256"],
        "md5": row["md5"],
        "sha1": row["sha1"],
        "size": row["size"],
        "kind": row["kind"],
        "mime": row["mime"],
        "width": row["width"],
        "height": row["height"],
        "duration": row["duration"],
        "pdq": row["pdq"],
        "pdq_quality": row["pdq_quality"],
        "pdq_dihedral": row["pdq_dihedral"].split(",") if row["pdq_dihedral"] else [],
        "exif": {
            "make": row["camera_make"],
            "model": row["camera_model"],
            "serial": row["camera_serial"],
            "lens": row["lens"],
            "software": row["software"],
            "taken_at": row["taken_at"],
            "offset": row["taken_at_offset"],
            "orientation": row["orientation"],
            "gps": gps,
        },
        "video": None
        if row["kind"] != "video"
        else {
            "codec": row["video_codec"],
            "frame_rate": row["video_frame_rate"],
            "created_at": row["video_created_at"],
            "location": row["location_text"],
        },
        "decode_error": row["decode_error"],
        "occurrences": occurrences,
        "known": bool(row["precategorised"]),  # pre-categorised by a bank verdict
        "known_good": bool(row["known_good"]),  # NSRL: hidden from review
        "matches": matches,
        "series": series,  # the series id, or None while the item stands alone
    }
