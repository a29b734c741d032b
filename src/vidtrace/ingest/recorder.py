"""Writes worker results to the store: media once per SHA-256, an occurrence per place found.

Each batch is one transaction, so a killed run leaves whole files or nothing, and re-running
finds exactly the files still to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, delete, select

from vidtrace.domain.media import MediaFacts
from vidtrace.ingest.item import IngestItem
from vidtrace.store.models import Derivative, Media, Occurrence, SkippedFile, VideoFrame
from vidtrace.store.series_summary import refresh_summary_of_media
from vidtrace.store.upsert import insert_ignore, upsert


class IngestRecorder:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def done_paths(self, source_id: int) -> set[str]:
        """Paths of a source already recorded; archives are left out so they are re-expanded."""
        query = (
            select(Occurrence.path)
            .join(Media, Media.sha256 == Occurrence.media_sha256)
            .where(Occurrence.source_id == source_id, Media.kind != "archive")
        )
        with self.engine.connect() as conn:
            return set(conn.scalars(query))

    def save(self, case_id: int, source_id: int, items: Sequence[IngestItem]) -> None:
        media_rows: list[dict[str, Any]] = []
        frame_rows: list[dict[str, Any]] = []
        derivative_rows: list[dict[str, Any]] = []
        occurrence_rows: list[dict[str, Any]] = []
        skip_rows: list[dict[str, Any]] = []
        resolved: list[str] = []
        for item in items:
            path = item.provenance.display_path
            sha256 = item.digests.sha256 if item.digests else None
            if item.skipped is not None:
                skip_rows.append(
                    {
                        "case_id": case_id,
                        "source_id": source_id,
                        "path": path,
                        "code": str(item.skipped.code),
                        "detail": item.skipped.detail,
                        "media_sha256": sha256,
                    }
                )
            else:
                resolved.append(path)
            if item.digests is None or item.digests.size == 0:
                continue
            assert sha256 is not None
            if not item.already_known:
                media_rows.append(_media_row(item))
                frame_rows += [
                    {
                        "media_sha256": sha256,
                        "frame": f.frame,
                        "seconds": f.seconds,
                        "pdq": f.pdq,
                        "quality": f.quality,
                    }
                    for f in item.facts.frames
                ]
                derivative_rows += _derivative_rows(sha256, item.facts)
            occurrence_rows.append(_occurrence_row(item, case_id, source_id, sha256))
        with self.engine.begin() as conn:
            insert_ignore(conn, Media.__table__, _dedupe(media_rows, "sha256"), ["sha256"])  # type: ignore[arg-type]
            insert_ignore(conn, VideoFrame.__table__, frame_rows, ["media_sha256", "frame"])  # type: ignore[arg-type]
            insert_ignore(
                conn,
                Derivative.__table__,  # type: ignore[arg-type]
                derivative_rows,
                ["media_sha256", "role", "position"],
            )
            insert_ignore(conn, Occurrence.__table__, occurrence_rows, ["source_id", "path"])  # type: ignore[arg-type]
            # A series member found again in another case now spans that case (triage reads it).
            refresh_summary_of_media(conn, [row["media_sha256"] for row in occurrence_rows])
            upsert(conn, SkippedFile.__table__, skip_rows, ["source_id", "path"])  # type: ignore[arg-type]
            if resolved:
                # A file that failed before and reads now is no longer a skip.
                conn.execute(
                    delete(SkippedFile).where(
                        SkippedFile.source_id == source_id, SkippedFile.path.in_(resolved)
                    )
                )


def _dedupe(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    # The same bytes twice in one batch: PostgreSQL refuses a statement touching a row twice.
    return list({row[key]: row for row in rows}.values())


def _media_row(item: IngestItem) -> dict[str, Any]:
    assert item.digests is not None
    facts = item.facts
    exif, video, pdq = facts.exif, facts.video, facts.pdq
    gps = exif.gps if exif else None
    location = video.location if video else None
    return {
        "sha256": item.digests.sha256,
        "md5": item.digests.md5,
        "sha1": item.digests.sha1,
        "size": item.digests.size,
        "kind": str(facts.kind),
        "mime": facts.mime,
        "width": facts.width,
        "height": facts.height,
        "duration": video.duration if video else None,
        "pdq": pdq.hex if pdq else None,
        "pdq_quality": pdq.quality if pdq else None,
        "pdq_dihedral": ",".join(pdq.dihedral) if pdq and pdq.dihedral else None,
        "camera_make": exif.make if exif else None,
        "camera_model": exif.model if exif else None,
        "camera_serial": exif.serial if exif else None,
        "lens": exif.lens if exif else None,
        "software": exif.software if exif else None,
        "taken_at": exif.taken_at if exif else (video.created_at if video else None),
        "taken_at_offset": exif.offset if exif else None,
        "gps_lat": gps.lat if gps else (location.lat if location else None),
        "gps_lon": gps.lon if gps else (location.lon if location else None),
        "gps_alt": gps.alt if gps else (location.alt if location else None),
        "orientation": exif.orientation if exif else None,
        "video_codec": video.codec if video else None,
        "video_frame_rate": video.frame_rate if video else None,
        "video_created_at": video.created_at if video else None,
        "location_text": video.location_text if video else None,
        "decode_error": facts.decode_error,
    }


def _derivative_rows(sha256: str, facts: MediaFacts) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    positions: dict[str, int] = {}
    for derivative in facts.derivatives:
        position = positions.get(derivative.role, 0)
        positions[derivative.role] = position + 1
        rows.append(
            {
                "media_sha256": sha256,
                "role": derivative.role,
                "position": position,
                "vault_sha256": derivative.vault_sha256,
                "mime": derivative.mime,
                "seconds": derivative.seconds,
                "width": derivative.width,
                "height": derivative.height,
            }
        )
    return rows


def _occurrence_row(item: IngestItem, case_id: int, source_id: int, sha256: str) -> dict[str, Any]:
    provenance = item.provenance
    return {
        "media_sha256": sha256,
        "case_id": case_id,
        "source_id": source_id,
        "path": provenance.display_path,
        "chain": list(provenance.chain),
        "member_path": provenance.path,
        "size": item.digests.size if item.digests else provenance.size,
        "mtime": provenance.mtime,
        "ctime": provenance.ctime,
        "atime": provenance.atime,
    }
