"""The linkers. Importing this package registers every built-in linker, in this order."""

from vidtrace.series.linkers import (  # noqa: F401
    near_duplicate,
    same_camera,
    same_scene,
    sequence,
    video_frame,
    video_in_video,
)
from vidtrace.series.linkers.base import LinkCorpus, Linker, linkers

__all__ = ["LinkCorpus", "Linker", "linkers"]
