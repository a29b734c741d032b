"""Broken files, the kind seized devices are full of; ingest must record each and move on."""

from __future__ import annotations

import io

import av
import numpy as np
from PIL import Image


def image_loads(data: bytes) -> bool:
    """True if Pillow can fully decode ``data`` (the test that every corrupt image must fail)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:
        return False
    return True


def video_decodes(data: bytes) -> bool:
    """True if PyAV can open ``data`` and decode every frame of its first video stream."""
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            for _ in container.decode(video=0):
                pass
    except Exception:
        return False
    return True


def truncated(data: bytes, keep: float = 0.4) -> bytes:
    """The first ``keep`` of the file, as a copy interrupted mid-transfer leaves it."""
    return data[: int(len(data) * keep)]


def jpeg_with_garbage(data: bytes, rng: np.random.Generator, length: int = 4096) -> bytes:
    """``length`` random bytes over the middle of the entropy-coded data.

    libjpeg shrugs off some damage with a warning, so garbage is redrawn (from the same seeded
    generator, hence deterministically) until Pillow really fails to decode the result.
    """
    middle = len(data) // 2
    for _ in range(64):
        garbage = rng.integers(0, 256, size=length, dtype=np.uint8).tobytes()
        broken = data[:middle] + garbage + data[middle + length :]
        if not image_loads(broken):
            return broken
    raise RuntimeError("could not break the JPEG")  # pragma: no cover - never seen


def text_posing_as_image(text: str) -> bytes:
    """A text file that will be named ``.jpg``."""
    return text.encode("utf-8")


def broken_video(data: bytes) -> bytes:
    """Half of a fast-start MP4: the header still promises every frame, the stream breaks off."""
    broken = truncated(data, 0.5)
    if video_decodes(broken):  # pragma: no cover - a guard, not a branch the demo takes
        raise RuntimeError("truncation left a decodable video")
    return broken
