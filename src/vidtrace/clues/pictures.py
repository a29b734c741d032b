"""The pictures extractors look at: an image upright at reading resolution, a video's keyframes
decoded again from the original at full size (the stored keyframe thumbnails are too small to
read signs or barcodes on)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import av
from PIL import Image, ImageOps

from vidtrace.clues.extractors.base import Picture
from vidtrace.clues.results import MediaForClues, PictureRef
from vidtrace.config import Limits
from vidtrace.signals.image_decode import decode_reduced
from vidtrace.signals.thumbnail import upright
from vidtrace.signals.video import OPEN_OPTIONS

READING_PX = 2000  # longest side: large enough for small print, small enough to OCR quickly
MAX_VIDEO_PICTURES = 8


def pictures_of(item: MediaForClues, limits: Limits) -> tuple[Picture, ...]:
    if item.kind == "image" and item.original is not None:
        return (Picture(load=partial(load_image, item.original, limits)),)
    if item.kind != "video":
        return ()
    if item.original is not None and item.keyframe_seconds:
        path = Path(item.original.path)
        return tuple(
            Picture(load=partial(video_frame_at, path, s), seconds=s)
            for s in item.keyframe_seconds[:MAX_VIDEO_PICTURES]
        )
    return tuple(
        Picture(load=partial(load_image, ref, limits), seconds=ref.seconds)
        for ref in item.keyframes[:MAX_VIDEO_PICTURES]
    )


def load_image(ref: PictureRef, limits: Limits) -> Image.Image:
    """The image upright, RGB, its longest side at most about READING_PX (DecodeError when the
    file cannot be decoded)."""
    reduced = decode_reduced(Path(ref.path), ref.mime, limits, target=READING_PX // 2)
    image = upright(reduced.image, reduced.orientation)
    if max(image.size) > READING_PX:
        image = ImageOps.contain(image, (READING_PX, READING_PX))
    return image


def video_frame_at(path: Path, seconds: float) -> Image.Image:
    """The first frame at or after ``seconds`` (ValueError when there is none)."""
    av.logging.set_level(av.logging.PANIC)
    with av.open(str(path), "r", options=OPEN_OPTIONS, metadata_errors="ignore") as container:
        stream = container.streams.video[0]
        base = stream.time_base
        if base is not None and seconds > 0:
            container.seek(int(seconds / base), stream=stream, backward=True)
        for frame in container.decode(stream):
            if frame.time is None or frame.time + 1e-3 >= seconds:
                image: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
                if max(image.size) > READING_PX:
                    image = ImageOps.contain(image, (READING_PX, READING_PX))
                return image
    raise ValueError(f"no frame at {seconds:.2f} s")
