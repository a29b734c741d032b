"""Places the demo videos: pans across series scenes, a clip cut from one of them, a broken one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from PIL import Image

from vidtrace.demo.cases import B_USB, C_DESKTOP
from vidtrace.demo.corrupt import broken_video
from vidtrace.demo.evidence_tree import EvidenceTree
from vidtrace.demo.exif_writer import posix_time, utc_iso
from vidtrace.demo.ground_truth import GroundTruth
from vidtrace.demo.series_writer import WrittenSeries
from vidtrace.demo.variants import Edit
from vidtrace.demo.videos import (
    Camerawork,
    VideoContainer,
    container_time,
    encode_video,
    render_frames,
)

FRAME_SIZE = (320, 240)
FPS = 25


@dataclass(frozen=True)
class VideoPlan:
    series_id: str
    container: VideoContainer
    seconds: float
    move: Camerawork
    with_time: bool
    with_location: bool
    folder: str | None = None  # None: next to the camera originals
    name: str | None = None  # None: the camera's own naming


VIDEO_PLANS = (
    VideoPlan(
        "S01",
        VideoContainer.MP4,
        6.0,
        Camerawork((0.3, 0.45, 0.5), (0.7, 0.55, 0.35)),
        with_time=True,
        with_location=True,
    ),
    VideoPlan(
        "S02",
        VideoContainer.MOV,
        4.0,
        Camerawork((0.5, 0.5, 0.8), (0.5, 0.6, 0.4)),
        with_time=True,
        with_location=True,
    ),
    VideoPlan(
        "S05",
        VideoContainer.MP4,
        5.0,
        Camerawork((0.7, 0.5, 0.45), (0.3, 0.5, 0.45)),
        with_time=True,
        with_location=True,
    ),
    VideoPlan(
        "S07",
        VideoContainer.WEBM,
        4.0,
        Camerawork((0.5, 0.5, 0.4), (0.5, 0.5, 0.85)),
        with_time=True,
        with_location=False,
        folder=C_DESKTOP + "/Downloads",
        name="vacances.webm",
    ),
)
CLIP_START, CLIP_END = 2.0, 5.0  # seconds of the S01 video re-encoded as a clip
CLIP_PATH = C_DESKTOP + "/Downloads/clip_2023.mkv"
BROKEN_VIDEO_PATH = B_USB + "/Videos/transfer_0612.mp4"


def _default_name(written: WrittenSeries, container: VideoContainer) -> str:
    camera = written.plan.camera
    if camera.make == "Canon":
        return f"MVI_{written.next_counter:04d}.MP4"
    taken = written.start + timedelta(minutes=20)
    return camera.file_name(
        written.next_counter,
        taken,
        container.value.upper() if camera.make == "Apple" else container.value,
    )


def write_videos(series: dict[str, WrittenSeries], tree: EvidenceTree, truth: GroundTruth) -> None:
    """Write every planned video, the clip and the broken video, and record them in ``truth``."""
    written = [_write_pan(plan, series[plan.series_id], tree, truth) for plan in VIDEO_PLANS]
    _write_clip(written[0], series[VIDEO_PLANS[0].series_id], tree, truth)
    _write_broken(series["S06"], tree, truth)


def _write_pan(
    plan: VideoPlan, written: WrittenSeries, tree: EvidenceTree, truth: GroundTruth
) -> tuple[str, list[Image.Image]]:
    place = written.plan.place
    frames = render_frames(written.world, plan.move, FRAME_SIZE, plan.seconds, FPS)
    shot_at = written.start + timedelta(minutes=20)
    created_at = utc_iso(shot_at, place.utc_offset) if plan.with_time else None
    lat, lon = round(written.lat, 4), round(written.lon, 4)
    iso6709 = f"{lat:+08.4f}{lon:+09.4f}/" if plan.with_location else None
    metadata = {}
    if created_at:
        metadata["creation_time"] = container_time(created_at)
    if iso6709:
        metadata["location"] = iso6709
    data = encode_video(frames, plan.container, FPS, metadata)
    folder = plan.folder or written.plan.origin
    path = tree.free_path(folder, plan.name or _default_name(written, plan.container))
    tree.add(path, data, posix_time(shot_at, place.utc_offset))
    written.next_counter += 1
    written.add(path, Edit.VIDEO)
    if iso6709 and written.truth.planted is not None:
        written.truth.planted.video_location = True
    truth.videos.append(
        _video_truth(
            path,
            plan.series_id,
            plan.container,
            len(frames),
            created_at=created_at,
            location={"lat": lat, "lon": lon} if iso6709 else None,
            iso6709=iso6709,
        )
    )
    return path, frames


def _write_clip(
    source: tuple[str, list[Image.Image]],
    written: WrittenSeries,
    tree: EvidenceTree,
    truth: GroundTruth,
) -> None:
    """Seconds CLIP_START..CLIP_END of ``source``, re-encoded into another container, no tags."""
    source_path, source_frames = source
    frames = source_frames[round(CLIP_START * FPS) : round(CLIP_END * FPS)]
    tree.add(CLIP_PATH, encode_video(frames, VideoContainer.MKV, FPS))
    written.add(CLIP_PATH, Edit.VIDEO_CLIP)
    clip_of = {"path": source_path, "start": CLIP_START, "end": CLIP_END}
    truth.videos.append(
        _video_truth(CLIP_PATH, written.plan.id, VideoContainer.MKV, len(frames), clip_of=clip_of)
    )


def _write_broken(written: WrittenSeries, tree: EvidenceTree, truth: GroundTruth) -> None:
    move = Camerawork((0.4, 0.5, 0.6), (0.6, 0.5, 0.6))
    frames = render_frames(written.world, move, FRAME_SIZE, 4.0, FPS)
    full = encode_video(frames, VideoContainer.MP4, FPS, faststart=True)
    tree.add(BROKEN_VIDEO_PATH, broken_video(full))
    truth.corrupt.append(
        {
            "path": BROKEN_VIDEO_PATH,
            "why": "truncated MP4: the header promises 4 s, the stream breaks off",
        }
    )


def _video_truth(
    path: str,
    series_id: str,
    container: VideoContainer,
    frames: int,
    *,
    created_at: str | None = None,
    location: dict[str, float] | None = None,
    iso6709: str | None = None,
    clip_of: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "path": path,
        "series": series_id,
        "container": container.value,
        "codec": container.codec_name,
        "width": FRAME_SIZE[0],
        "height": FRAME_SIZE[1],
        "fps": FPS,
        "frames": frames,
        "duration": frames / FPS,
        "created_at": created_at,
        "location": location,
        "location_iso6709": iso6709,
        "clip_of": clip_of,
    }
