"""Short videos panning and zooming across a scene, encoded with PyAV (H.264, VP8) in memory."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import av
import numpy as np
from av.video.stream import VideoStream
from numpy.typing import NDArray
from PIL import Image

View = tuple[float, float, float]  # centre x, centre y and width, as fractions of the scene


class VideoContainer(StrEnum):
    """Container (the file extension) with the FFmpeg muxer and the codec used in it."""

    MP4 = "mp4"
    MOV = "mov"
    MKV = "mkv"
    WEBM = "webm"

    @property
    def muxer(self) -> str:
        return {"mp4": "mp4", "mov": "mov", "mkv": "matroska", "webm": "webm"}[self.value]

    @property
    def codec(self) -> str:
        return "libvpx" if self is VideoContainer.WEBM else "libx264"

    @property
    def codec_name(self) -> str:
        """The codec as a decoder reports it."""
        return "vp8" if self is VideoContainer.WEBM else "h264"


@dataclass(frozen=True)
class Camerawork:
    """A straight pan/zoom from ``start`` to ``end`` over the scene."""

    start: View
    end: View


def render_frames(
    scene: Image.Image, move: Camerawork, size: tuple[int, int], seconds: float, fps: int
) -> list[Image.Image]:
    """Every frame of the move, resized to ``size``."""
    count = round(seconds * fps)
    # A smaller copy of the scene keeps resampling cheap; frames are tiny anyway.
    scale = min(1.0, 3 * size[0] / scene.width)
    small = scene.resize(
        (round(scene.width * scale), round(scene.height * scale)), Image.Resampling.BILINEAR
    )
    frames = []
    for index in range(count):
        t = index / max(1, count - 1)
        cx, cy, width = (a + (b - a) * t for a, b in zip(move.start, move.end, strict=True))
        half_w = width * small.width / 2
        half_h = half_w * size[1] / size[0]
        # Keep the view inside the scene: slide it back rather than show an empty border.
        half_h = min(half_h, small.height / 2)
        x = min(max(cx * small.width, half_w), small.width - half_w)
        y = min(max(cy * small.height, half_h), small.height - half_h)
        pixel_box = (x - half_w, y - half_h, x + half_w, y + half_h)
        frames.append(small.resize(size, Image.Resampling.BILINEAR, box=pixel_box))
    return frames


def encode_video(
    frames: list[Image.Image],
    container: VideoContainer,
    fps: int,
    metadata: dict[str, str] | None = None,
    faststart: bool = False,
) -> bytes:
    """Encode ``frames`` single-threaded (so the bytes are the same on every machine)."""
    width, height = frames[0].size
    with tempfile.TemporaryDirectory(prefix="vidtrace-demo-") as folder:
        target = Path(folder) / f"video.{container.value}"
        # bitexact: no random Matroska segment UID and no muxer version string in the file.
        options = {"fflags": "+bitexact"}
        if faststart:
            options["movflags"] = "+faststart"
        with av.open(str(target), mode="w", format=container.muxer, options=options) as output:
            output.metadata.update(metadata or {})
            # x264's macroblock-tree rate control gave different bytes for the same frames from
            # one call to the next (even single-threaded); without it the output is stable.
            # libvpx's "realtime" deadline adapts its effort to the clock, so a busy machine
            # changed the bytes; "good" at a fixed speed does not.
            codec_options = (
                {"preset": "veryfast", "crf": "26", "x264-params": "mbtree=0"}
                if container.codec == "libx264"
                else {"crf": "20", "b": "250k", "deadline": "good", "cpu-used": "5"}
            )
            stream = output.add_stream(container.codec, rate=fps, options=codec_options)
            assert isinstance(stream, VideoStream)
            stream.width, stream.height = width, height
            stream.pix_fmt = "yuv420p"
            stream.codec_context.thread_count = 1
            for index, image in enumerate(frames):
                frame = av.VideoFrame.from_ndarray(_yuv420p(image), format="yuv420p")
                frame.pts = index
                output.mux(stream.encode(frame))
            output.mux(stream.encode(None))
        return target.read_bytes()


def _yuv420p(image: Image.Image) -> NDArray[np.uint8]:
    """BT.601 limited-range YUV 4:2:0 planes stacked as PyAV expects (height * 3/2, width).

    Done here rather than by swscale inside PyAV, whose output was seen to vary from run to run.
    """
    rgb = np.asarray(image.convert("RGB"), dtype=np.float32)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    u = 128 - 0.148 * r - 0.291 * g + 0.439 * b
    v = 128 + 0.439 * r - 0.368 * g - 0.071 * b
    height, width = y.shape

    def quarter(plane: NDArray[np.float32]) -> NDArray[np.float32]:
        return np.asarray(plane.reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3)))

    planes = np.concatenate([y.ravel(), quarter(u).ravel(), quarter(v).ravel()])
    return np.clip(np.round(planes), 0, 255).astype(np.uint8).reshape(height * 3 // 2, width)


def container_time(utc_iso: str) -> str:
    """``creation_time`` as FFmpeg writes and reads it: "2023-06-14T08:20:00.000000Z"."""
    return utc_iso.removesuffix("Z") + ".000000Z"
