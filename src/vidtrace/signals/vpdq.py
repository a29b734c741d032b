"""vPDQ: PDQ hashes of video frames sampled at a fixed rate, and the reference comparison.

The frames come from the one decode pass in ``video.probe_and_hash_video``. Two videos match
(vPDQ's rule) when enough of each one's good-quality frames have a frame of the other within
the PDQ distance threshold; ``match_percentages`` gives both sides of that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from vidtrace.domain.media import FrameHash, VideoInfo
from vidtrace.signals.base import VideoResult, VideoSignal, signals
from vidtrace.signals.pdq import hamming

QUALITY_THRESHOLD = 50  # vPDQ ignores frames below this PDQ quality when comparing


class VpdqSignal(VideoSignal):
    name = "vpdq"
    version = 1
    facts_field = "frames"
    max_match_distance: ClassVar[int] = 31

    def compute(self, video: VideoResult) -> list[FrameHash]:
        return list(video.frames)

    def distance(self, a: str, b: str) -> int:
        """Frame to frame: PDQ Hamming distance."""
        return hamming(a, b)


class VideoInfoSignal(VideoSignal):
    """Container facts: duration, codec, size, rate, creation time and place."""

    name = "video"
    version = 1
    facts_field = "video"

    def compute(self, video: VideoResult) -> VideoInfo:
        return video.info


def match_percentages(
    query: Sequence[FrameHash],
    target: Sequence[FrameHash],
    distance: int = VpdqSignal.max_match_distance,
    quality: int = QUALITY_THRESHOLD,
) -> tuple[float, float]:
    """Percent of ``query``'s distinct good frames found in ``target``, and the reverse."""
    q = {f.pdq for f in query if f.quality >= quality}
    t = {f.pdq for f in target if f.quality >= quality}
    if not q or not t:
        return 0.0, 0.0
    q_found = sum(1 for a in q if any(hamming(a, b) <= distance for b in t))
    t_found = sum(1 for b in t if any(hamming(a, b) <= distance for a in q))
    return 100.0 * q_found / len(q), 100.0 * t_found / len(t)


signals.register(VpdqSignal)
signals.register(VideoInfoSignal)
