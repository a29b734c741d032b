"""One decode pass over a video: container facts, vPDQ frame hashes and a few stills.

vPDQ (ThreatExchange) hashes every n-th decoded frame with PDQ, n = frame rate / sampling rate,
and stamps it with ``index / frame rate`` seconds; the same rule here keeps our frame hashes
comparable line by line with reference vPDQ output. Frames are scaled down by swscale's area
filter before hashing; ``pdq_hash`` then rebuilds the full-resolution PDQ downsample from them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import av
import av.container
import av.logging
import av.stream
import av.video.stream
import numpy as np
import numpy.typing as npt
from PIL import Image

from vidtrace.config import Limits
from vidtrace.domain.media import FrameHash
from vidtrace.domain.skip import SkipCode
from vidtrace.signals.base import DecodeError, VideoResult
from vidtrace.signals.pdq import pdq_hash
from vidtrace.signals.video_tags import video_info

__all__ = ["DecodeError", "VideoResult", "probe_and_hash_video"]

HASH_PX = 512  # longest side of the frames PDQ reads
STILL_PX = 512  # longest side of the stills kept for thumbnails
MAX_BAD_PACKETS = 200  # damaged packets tolerated before the rest of the stream is given up
FALLBACK_FPS = 30.0  # when a container declares no usable rate
# FFmpeg probes formats by content, and some of them (HLS playlists, concat lists) open other
# files or URLs named inside the evidence. Only self-contained video containers, read from the
# local file, are allowed.
OPEN_OPTIONS = {
    "format_whitelist": "mov,matroska,avi,flv,mpegts,mpeg,mpegvideo,asf,ogg,h264,hevc,m4v,rm,dv,"
    "nut,ivf,mxf,wtv,yuv4mpegpipe,mjpeg,gif,vc1,flic",
    "protocol_whitelist": "file",
}


def probe_and_hash_video(
    path: Path, frames_per_second: float, limits: Limits, keyframe_max: int = 8
) -> VideoResult:
    """Probe ``path`` and hash it at ``frames_per_second`` (vPDQ-style), in one decode pass.

    Decodes what it can: a damaged stream keeps the frames before (and after) the damage and
    comes back with ``complete=False``. Raises ``DecodeError(CORRUPT_VIDEO)`` only when the
    container cannot be opened, has no video stream, or not a single frame decodes.
    """
    av.logging.set_level(av.logging.PANIC)  # damaged input is reported through DecodeError
    try:
        container = av.open(str(path), "r", options=OPEN_OPTIONS, metadata_errors="ignore")
    except Exception as exc:  # FFmpeg reports hostile input through many exception types
        raise DecodeError(SkipCode.CORRUPT_VIDEO, f"cannot open: {exc}") from exc
    with container:
        stream = _main_video_stream(container)
        if stream is None:
            raise DecodeError(SkipCode.CORRUPT_VIDEO, "no video stream")
        info = video_info(container, stream)
        if (info.width or 0) * (info.height or 0) > limits.max_image_pixels:
            raise DecodeError(
                SkipCode.DECOMPRESSION_BOMB,
                f"{info.width}x{info.height} frames exceed {limits.max_image_pixels} pixels",
            )
        rate = info.frame_rate if info.frame_rate and 0 < info.frame_rate <= 1000 else None
        stride = max(1, round((rate or FALLBACK_FPS) / max(frames_per_second, 1e-6)))
        frames: list[FrameHash] = []
        stills = _Stills(keyframe_max)
        complete = True
        decoded = 0
        try:
            for index, frame in enumerate(_decode(container, stream)):
                decoded = index + 1
                if index % stride:
                    continue
                if len(frames) >= limits.max_video_frames:
                    complete = False
                    break
                seconds = index / rate if rate else _frame_seconds(frame, index)
                frames.append(_hash_frame(frame, index, seconds))
                stills.offer(seconds, frame)
        except _StreamDamaged:
            complete = False
        if not decoded:
            raise DecodeError(SkipCode.CORRUPT_VIDEO, "no frame could be decoded")
        if complete and _cut_short(decoded, rate, info.duration):
            complete = False
    return VideoResult(info=info, frames=frames, keyframes=stills.kept(), complete=complete)


class _StreamDamaged(Exception):
    pass


def _main_video_stream(
    container: av.container.InputContainer,
) -> av.video.stream.VideoStream | None:
    """The first real video stream; cover art (attached pictures) also shows up as video."""
    video = list(container.streams.video)
    for stream in video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    return None


def _decode(
    container: av.container.InputContainer, stream: av.video.stream.VideoStream
) -> Iterator[av.VideoFrame]:
    # Slice threads only: with frame threads (AUTO), freeing a decoder left part-way (a capped or
    # damaged stream) can deadlock in avcodec_free_context (PyAV #909); workers use one core each.
    stream.thread_type = "SLICE"
    bad = 0
    try:
        for packet in container.demux(stream):
            try:
                yield from packet.decode()
            except av.FFmpegError:
                bad += 1
                if bad > MAX_BAD_PACKETS:
                    raise _StreamDamaged from None
    except av.FFmpegError as exc:  # the demuxer itself gave up (truncated or garbled container)
        raise _StreamDamaged from exc
    if bad:
        raise _StreamDamaged


def _cut_short(decoded: int, rate: float | None, duration: float | None) -> bool:
    """A truncated file often ends without a demuxer error: compare with the declared length."""
    if not rate or not duration or duration <= 0:
        return False
    return decoded < 0.9 * rate * duration - 2


def _frame_seconds(frame: av.VideoFrame, index: int) -> float:
    time = frame.time
    return float(time) if time is not None and math.isfinite(time) else index / FALLBACK_FPS


def _reduced_size(width: int, height: int, longest: int) -> tuple[int, int]:
    scale = min(1.0, longest / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _rgb(frame: av.VideoFrame, width: int, height: int) -> npt.NDArray[np.uint8]:
    """The frame as RGB, scaled by swscale's area filter (a box average, as PDQ expects)."""
    pixels = frame.to_ndarray(format="rgb24", width=width, height=height, interpolation="AREA")
    return np.asarray(pixels, dtype=np.uint8)


def _hash_frame(frame: av.VideoFrame, index: int, seconds: float) -> FrameHash:
    width, height = _reduced_size(frame.width, frame.height, HASH_PX)
    pdq = pdq_hash(_rgb(frame, width, height), frame.width, frame.height)
    return FrameHash(frame=index, seconds=round(seconds, 3), pdq=pdq.hex, quality=pdq.quality)


class _Stills:
    """Keeps at most ``limit`` frames spread evenly over a video of unknown length.

    Container durations can lie, so instead of aiming at timestamps this keeps every k-th offered
    frame and, when full, drops every other one and doubles k.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(0, limit)
        self.every = 1
        self.offered = 0
        self.frames: list[tuple[float, Image.Image]] = []

    def offer(self, seconds: float, frame: av.VideoFrame) -> None:
        position = self.offered
        self.offered += 1
        if not self.limit or position % self.every:
            return
        if len(self.frames) >= self.limit:
            self.frames = self.frames[::2]
            self.every *= 2
            if position % self.every:
                return
        width, height = _reduced_size(frame.width, frame.height, STILL_PX)
        self.frames.append((seconds, Image.fromarray(_rgb(frame, width, height))))

    def kept(self) -> list[tuple[float, Image.Image]]:
        return list(self.frames)
