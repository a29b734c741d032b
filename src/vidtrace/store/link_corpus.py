"""Reads the link corpus (series/linkers/base.py) out of the store, page by page.

Groupable media are images and videos not known to be good (operating-system files). The corpus
is sorted by SHA-256 so that every run sees the same order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Engine, Executable, and_, false, select

from vidtrace.index import hex_to_words
from vidtrace.series.linkers.base import (
    CameraFacts,
    LinkCorpus,
    Occurrences,
    ThumbnailSource,
    VideoFrames,
)
from vidtrace.store.models import Media, Occurrence, VideoFrame

PAGE = 50_000
NO_HASH = "0" * 64


def groupable() -> ColumnElement[bool]:
    return and_(Media.kind.in_(("image", "video")), Media.known_good == false())


def capture_seconds(taken_at: str | None) -> float:
    """POSIX seconds of the camera's own clock (its offset ignored), NaN when unknown.

    Linkers compare capture times of one camera or one folder, where the clock is the same, so
    the local reading is what counts; an offset written by some cameras and not others would
    only move times apart.
    """
    if not taken_at:
        return float("nan")
    try:
        return datetime.fromisoformat(taken_at[:19]).replace(tzinfo=UTC).timestamp()
    except ValueError:
        return float("nan")


def _pages(engine: Engine, query: Executable) -> Iterator[Sequence[Any]]:
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=PAGE).execute(query)
        yield from result.partitions(PAGE)


def load_link_corpus(
    engine: Engine,
    generation: int,
    *,
    relink: bool = False,
    thumbnails: ThumbnailSource | None = None,
    work_dir: Path | None = None,
    workers: int = 1,
) -> LinkCorpus:
    """Every groupable media item; ``new`` marks those not linked at ``generation`` (all of
    them when ``relink``)."""
    columns = (
        Media.sha256,
        Media.kind,
        Media.pdq,
        Media.pdq_quality,
        Media.pdq_dihedral,
        Media.camera_make,
        Media.camera_model,
        Media.camera_serial,
        Media.software,
        Media.taken_at,
        Media.linked_generation,
        Media.width,
        Media.height,
    )
    sha256: list[str] = []
    is_video: list[bool] = []
    new: list[bool] = []
    quality: list[int] = []
    taken: list[float] = []
    pixels: list[int] = []
    camera: list[CameraFacts | None] = []
    pdq_pages: list[np.ndarray] = []
    dihedral_pages: list[np.ndarray] = []
    query = select(*columns).where(groupable()).order_by(Media.sha256)
    for page in _pages(engine, query):
        identity: list[str] = []
        variants: list[str] = []
        for row in page:
            sha256.append(row.sha256)
            is_video.append(row.kind == "video")
            new.append(relink or row.linked_generation != generation)
            quality.append(row.pdq_quality if row.pdq else -1)
            taken.append(capture_seconds(row.taken_at))
            pixels.append((row.width or 0) * (row.height or 0))
            facts = CameraFacts(row.camera_make, row.camera_model, row.camera_serial, row.software)
            camera.append(None if facts == CameraFacts() else facts)
            identity.append(row.pdq or NO_HASH)
            eight = row.pdq_dihedral.split(",") if row.pdq_dihedral else []
            variants.extend(eight if len(eight) == 8 else [row.pdq or NO_HASH] * 8)
        pdq_pages.append(hex_to_words(identity))
        dihedral_pages.append(hex_to_words(variants).reshape(len(identity), 8, 4))
    position = {key: i for i, key in enumerate(sha256)}
    return LinkCorpus(
        sha256=sha256,
        is_video=np.array(is_video, dtype=bool),
        new=np.array(new, dtype=bool),
        pdq=np.concatenate(pdq_pages) if pdq_pages else np.empty((0, 4), np.uint64),
        pdq_quality=np.array(quality, dtype=np.int64),
        dihedral=(
            np.concatenate(dihedral_pages) if dihedral_pages else np.empty((0, 8, 4), np.uint64)
        ),
        taken_at=np.array(taken, dtype=np.float64),
        camera=camera,
        occurrences=_occurrences(engine, position),
        frames=_frames(engine, position),
        thumbnails=thumbnails,
        work_dir=work_dir,
        workers=workers,
        pixels=np.array(pixels, dtype=np.int64),
    )


def _occurrences(engine: Engine, position: dict[str, int]) -> Occurrences:
    media: list[int] = []
    source: list[int] = []
    folder: list[str] = []
    name: list[str] = []
    query = select(Occurrence.media_sha256, Occurrence.source_id, Occurrence.path).order_by(
        Occurrence.media_sha256, Occurrence.source_id, Occurrence.path
    )
    folders: dict[str, str] = {}  # one string per folder, however many files it holds
    for page in _pages(engine, query):
        for row in page:
            at = position.get(row.media_sha256)
            if at is None:
                continue
            head, _, tail = row.path.rpartition("/")
            media.append(at)
            source.append(row.source_id)
            folder.append(folders.setdefault(head, head))
            name.append(tail)
    return Occurrences(np.array(media, np.int64), np.array(source, np.int64), folder, name)


def _frames(engine: Engine, position: dict[str, int]) -> VideoFrames:
    media: list[int] = []
    frame: list[int] = []
    seconds: list[float] = []
    hashes: list[str] = []
    quality: list[int] = []
    query = (
        select(
            VideoFrame.media_sha256,
            VideoFrame.frame,
            VideoFrame.seconds,
            VideoFrame.pdq,
            VideoFrame.quality,
        )
        .join(Media, Media.sha256 == VideoFrame.media_sha256)
        .where(groupable())
        .order_by(VideoFrame.media_sha256, VideoFrame.frame)
    )
    for page in _pages(engine, query):
        for row in page:
            at = position.get(row.media_sha256)
            if at is None:
                continue
            media.append(at)
            frame.append(row.frame)
            seconds.append(row.seconds)
            hashes.append(row.pdq)
            quality.append(row.quality)
    return VideoFrames(
        np.array(media, np.int64),
        np.array(frame, np.int64),
        np.array(seconds, np.float64),
        hex_to_words(hashes) if hashes else np.empty((0, 4), np.uint64),
        np.array(quality, np.int64),
    )
