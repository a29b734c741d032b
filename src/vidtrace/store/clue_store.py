"""Where clue extraction reads its work and writes its results.

Progress is kept per media item and extractor version (``clue_extraction``), and each batch's
clues, texts and progress are written in one transaction: an interrupted run resumes where it
stopped, and nothing is stored twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Engine, and_, delete, false, func, insert, or_, select

from vidtrace.clues.results import ExtractionResult, MediaForClues, PictureRef
from vidtrace.domain.clue import ClueStatus, RecognisedText
from vidtrace.domain.media import CameraExif, GeoPoint
from vidtrace.store.clue_rows import clue_values, text_of, text_values
from vidtrace.store.models import ClueExtraction, ClueRow, Derivative, Media, MediaText
from vidtrace.store.series_summary import refresh_summary_of_media
from vidtrace.store.vault import Vault


class ClueStore:
    def __init__(self, engine: Engine, vault: Vault, include_known: bool = False) -> None:
        self.engine = engine
        self.vault = vault
        # Known material was identified before, so it is not read unless asked for; known-good
        # files (operating-system and software files) never are.
        self.searched = and_(Media.kind.in_(("image", "video")), Media.known_good == false())
        if not include_known:
            self.searched = and_(self.searched, Media.precategorised == false())

    def pending(self, versions: Mapping[str, int], after: str = "", limit: int = 500) -> list[str]:
        """The next media (by key, after ``after``) that an extractor has not yet read at its
        current version."""
        done = (
            select(func.count())
            .select_from(ClueExtraction)
            .where(
                ClueExtraction.media_sha256 == Media.sha256,
                or_(
                    *(
                        and_(ClueExtraction.extractor == name, ClueExtraction.version == version)
                        for name, version in versions.items()
                    )
                ),
            )
            .scalar_subquery()
        )
        query = (
            select(Media.sha256)
            .where(self.searched, Media.sha256 > after, done < len(versions))
            .order_by(Media.sha256)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return list(conn.scalars(query))

    def count_pending(self, versions: Mapping[str, int]) -> int:
        total, after = 0, ""
        while batch := self.pending(versions, after, 5000):
            total += len(batch)
            after = batch[-1]
        return total

    def media_for_clues(
        self, sha256s: Sequence[str], versions: Mapping[str, int]
    ) -> list[MediaForClues]:
        """What the workers need of each media item, with the extractors still to run on it."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Media).where(Media.sha256.in_(sha256s))).all()
            done: dict[str, set[str]] = defaultdict(set)
            for sha256, name, version in conn.execute(
                select(
                    ClueExtraction.media_sha256, ClueExtraction.extractor, ClueExtraction.version
                ).where(ClueExtraction.media_sha256.in_(sha256s))
            ):
                if versions.get(name) == version:
                    done[sha256].add(name)
            keyframes: dict[str, list[tuple[str, str, float | None]]] = defaultdict(list)
            for sha256, vault_sha256, mime, seconds in conn.execute(
                select(
                    Derivative.media_sha256,
                    Derivative.vault_sha256,
                    Derivative.mime,
                    Derivative.seconds,
                )
                .where(Derivative.media_sha256.in_(sha256s), Derivative.role == "keyframe")
                .order_by(Derivative.media_sha256, Derivative.position)
            ):
                keyframes[sha256].append((vault_sha256, mime, seconds))
            texts: dict[str, list[RecognisedText]] = defaultdict(list)
            for row in conn.execute(
                select(MediaText).where(MediaText.media_sha256.in_(sha256s)).order_by(MediaText.id)
            ):
                texts[row.media_sha256].append(text_of(row))
        items = [
            replace(
                self._item(row, keyframes[row.sha256], done[row.sha256], versions),
                texts=tuple(texts[row.sha256]),
            )
            for row in rows
        ]
        return sorted(items, key=lambda item: item.sha256)

    def _item(
        self,
        row: Any,
        keyframes: list[tuple[str, str, float | None]],
        done: set[str],
        versions: Mapping[str, int],
    ) -> MediaForClues:
        original = (
            PictureRef(str(self.vault.path_for(row.sha256)), row.mime or "")
            if self.vault.exists(row.sha256)
            else None
        )
        gps = (
            GeoPoint(row.gps_lat, row.gps_lon, row.gps_alt)
            if row.gps_lat is not None and row.gps_lon is not None
            else None
        )
        camera = CameraExif(
            make=row.camera_make,
            model=row.camera_model,
            serial=row.camera_serial,
            lens=row.lens,
            software=row.software,
            taken_at=row.taken_at or row.video_created_at,
            offset=row.taken_at_offset,
            gps=gps if row.kind == "image" else None,
            orientation=row.orientation,
        )
        return MediaForClues(
            sha256=row.sha256,
            kind=row.kind,
            mime=row.mime or "",
            camera=camera,
            location=gps if row.kind == "video" else None,
            original=original,
            keyframes=tuple(
                PictureRef(str(self.vault.path_for(k)), mime, s) for k, mime, s in keyframes
            ),
            keyframe_seconds=tuple(s for _, _, s in keyframes if s is not None),
            extractors=tuple(name for name in versions if name not in done),
        )

    def save(self, results: Sequence[ExtractionResult]) -> None:
        """Store one batch: each extractor's new proposals replace its earlier ones on the same
        media (clues an analyst confirmed or rejected stay), and progress is recorded."""
        with self.engine.begin() as conn:
            for result in results:
                ran = list(result.ran)
                if not ran:
                    continue
                reviewed = {
                    (kind, value, extractor)
                    for kind, value, extractor in conn.execute(
                        select(ClueRow.kind, ClueRow.value, ClueRow.extractor).where(
                            ClueRow.media_sha256 == result.sha256,
                            ClueRow.extractor.in_(ran),
                            ClueRow.status != str(ClueStatus.PROPOSED),
                        )
                    )
                }
                conn.execute(
                    delete(ClueRow).where(
                        ClueRow.media_sha256 == result.sha256,
                        ClueRow.extractor.in_(ran),
                        ClueRow.status == str(ClueStatus.PROPOSED),
                    )
                )
                fresh = [
                    clue_values(c)
                    for c in result.clues
                    if (c.kind, c.value[:500], c.extractor) not in reviewed
                ]
                if fresh:
                    conn.execute(insert(ClueRow), fresh)
                if "text" in result.ran:
                    conn.execute(delete(MediaText).where(MediaText.media_sha256 == result.sha256))
                    if result.texts:
                        conn.execute(
                            insert(MediaText), [text_values(result.sha256, t) for t in result.texts]
                        )
                conn.execute(
                    delete(ClueExtraction).where(
                        ClueExtraction.media_sha256 == result.sha256,
                        ClueExtraction.extractor.in_(ran),
                    )
                )
                conn.execute(
                    insert(ClueExtraction),
                    [
                        {
                            "media_sha256": result.sha256,
                            "extractor": name,
                            "version": version,
                            "outcome": result.outcome(name)[0],
                            "reason": result.outcome(name)[1][:2000],
                        }
                        for name, version in result.ran.items()
                    ],
                )
            refresh_summary_of_media(conn, [result.sha256 for result in results if result.ran])
