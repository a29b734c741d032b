"""Still images that are frames of a video: a screenshot, a cover picture, a still exported.

An image links to a video when its PDQ hash is within distance 31 of a sampled frame of the
video, or one of its dihedral variants (a turned or mirrored still) within 21; both need
quality >= 50. One link per (image, video), for the closest frame: "matches frame 42 (14.0 s)
of the video, PDQ distance 6", with "after rotate90 of the image" when the image matched
turned. Score: ``1 - distance / 64``.

Each run compares the new images with every frame and, when videos are new, the old images
with the new videos' frames. Per variant the smaller side is searched in an index of the other:
usually the frames, in an index of the images' hashes (the identity, then each variant in turn,
one index at a time), since building an index costs ~1 us a hash and a search at radius 31
~100 us. The variants are searched to 21 bits rather than the near-duplicate linker's 31 for
quarter turns (see near_duplicate.py): a turned still of a video is rare, and at 31 each
variant costs as much as the identity search.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import numpy as np

from vidtrace.domain.series import Link, LinkStrength, symmetric_link
from vidtrace.series.linkers.base import Ints, LinkCorpus, Linker, Words, linkers
from vidtrace.series.linkers.pdq_candidates import (
    IDENTITY,
    MATCH_DISTANCE,
    MIN_QUALITY,
    Int16s,
    ScratchIndex,
    distance_score,
    stored,
    usable_pdq,
)
from vidtrace.signals.pdq import DIHEDRAL_NAMES


@linkers.register
class VideoFrameLinker(Linker):
    name = "video-frame"
    version = 1
    description = "Still images that match a sampled frame of a video"
    min_quality: ClassVar[int] = MIN_QUALITY
    variant_distance: ClassVar[int] = 21  # see the module docstring

    def __init__(self, max_distance: int = MATCH_DISTANCE) -> None:
        self.max_distance = max_distance

    def propose(self, corpus: LinkCorpus) -> Iterator[Link]:
        images = np.flatnonzero(~corpus.is_video & usable_pdq(corpus.pdq_quality, self.min_quality))
        frame_rows = np.flatnonzero(
            usable_pdq(corpus.frames.quality, self.min_quality)
            & corpus.is_video[corpus.frames.media]
        )
        if len(images) == 0 or len(frame_rows) == 0:
            return
        new_image = corpus.new[images]
        new_frame = corpus.new[corpus.frames.media[frame_rows]]
        found = [
            self._search(corpus, images[new_image], frame_rows),
            self._search(corpus, images[~new_image], frame_rows[new_frame]),
        ]
        image, frame, distance, variant = (
            np.concatenate(part) for part in zip(*found, strict=True)
        )
        yield from self._links(corpus, image, frame, distance, variant)

    def _search(
        self, corpus: LinkCorpus, images: Ints, frame_rows: Ints
    ) -> tuple[Ints, Ints, Ints, Ints]:
        """(image, frame row, distance, variant) of every image or image variant near a frame."""
        if len(images) == 0 or len(frame_rows) == 0:
            empty = np.empty(0, np.int64)
            return empty, empty, empty, empty
        found: list[tuple[Ints, Ints, Int16s, int]] = []
        parent = corpus.work_dir / self.name if corpus.work_dir is not None else None
        frame_words = corpus.frames.words[frame_rows]
        if len(images) <= len(frame_rows):  # the images are fewer: search them among the frames
            with ScratchIndex(frame_words, corpus.workers, parent) as frames:
                for variant, radius in self._radii():
                    words, present = _hashes(corpus, images, variant)
                    hits = frames.search(words, radius)
                    found.append((present[hits.query], hits.id, hits.distance, variant))
        else:  # the frames are fewer: search them among each variant of the images in turn
            for variant, radius in self._radii():
                words, present = _hashes(corpus, images, variant)
                with ScratchIndex(words, corpus.workers, parent) as stills:
                    hits = stills.search(frame_words, radius)
                found.append((present[hits.id], hits.query, hits.distance, variant))
        return (
            images[np.concatenate([image for image, _, _, _ in found])],
            frame_rows[np.concatenate([frame for _, frame, _, _ in found])],
            np.concatenate([distance for _, _, distance, _ in found]).astype(np.int64),
            np.concatenate([np.full(len(image), v) for image, _, _, v in found]).astype(np.int64),
        )

    def _radii(self) -> list[tuple[int, int]]:
        """(variant, how far it is searched), the identity first."""
        turned = max(0, min(self.variant_distance, self.max_distance))
        return [
            (v, self.max_distance if v == IDENTITY else turned) for v in range(len(DIHEDRAL_NAMES))
        ]

    def _links(
        self, corpus: LinkCorpus, image: Ints, frame: Ints, distance: Ints, variant: Ints
    ) -> Iterator[Link]:
        """One link per (image, video): the closest frame, the identity before a variant, then
        the earliest frame (values, not rows, so that the input order does not matter)."""
        frames = corpus.frames
        video = frames.media[frame]
        order = np.lexsort(
            (frames.frame[frame], frames.seconds[frame], variant, distance, video, image)
        )
        image, video = image[order], video[order]
        start = np.ones(len(order), dtype=bool)
        start[1:] = (image[1:] != image[:-1]) | (video[1:] != video[:-1])
        best = order[start]
        for still, film, number, seconds, bits, turn, score in zip(
            image[start].tolist(),
            video[start].tolist(),
            frames.frame[frame[best]].tolist(),
            frames.seconds[frame[best]].tolist(),
            distance[best].tolist(),
            variant[best].tolist(),
            distance_score(distance[best]).tolist(),
            strict=True,
        ):
            evidence = f"matches frame {number} ({seconds:.1f} s) of the video, PDQ distance {bits}"
            if turn != IDENTITY:
                evidence += f" after {DIHEDRAL_NAMES[turn]} of the image"
            yield symmetric_link(
                corpus.sha256[still],
                corpus.sha256[film],
                self.name,
                score,
                evidence,
                LinkStrength.STRONG,
                self.version,
            )


def _hashes(corpus: LinkCorpus, images: Ints, variant: int) -> tuple[Words, Ints]:
    """The images' hashes of one variant, where there is one, and which images they are."""
    words = corpus.pdq[images] if variant == IDENTITY else corpus.dihedral[images, variant]
    present = stored(words)
    return words[present], present
