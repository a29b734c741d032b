"""Videos that contain each other: the share of one video's sampled frames found in the other.

This is how vPDQ compares videos: a frame of A "is in" B when some frame of B is within PDQ
distance 31 of it (frames of quality below 50 are left out, from the shares too). The shares
are directed: a 10-second clip cut from a film has nearly all its frames in the film, the film
only a few of its frames in the clip. So each linked pair gives two links, one per direction,
``score`` = the share of ``a``'s frames found in ``b``.

Strength, from the larger of the two shares (the clip's, for a clip of a longer video):

* >= 0.8: strong, the videos are copies or one is cut from the other;
* 0.5 to 0.8: weak, they share a good part (a compilation, a re-edit) and need another reason
  to be joined;
* below 0.5: no link; a shared intro, logo or title card is not a reason to join two videos.

Frame pairs come from a PDQ index over the frames (a self-join, or a search of the new videos'
frames when few are new), never from comparing all pairs. Frames of one video with identical
hashes (a still scene) are indexed once, counted as many times as they occur, so a long still
scene copied in many videos does not square the number of frame pairs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import numpy as np

from vidtrace.domain.series import Link, LinkStrength
from vidtrace.series.linkers.base import Ints, LinkCorpus, Linker, linkers
from vidtrace.series.linkers.pdq_candidates import (
    MATCH_DISTANCE,
    MIN_QUALITY,
    ScratchIndex,
    usable_pdq,
)


@linkers.register
class VideoLinker(Linker):
    name = "video"
    version = 1
    description = "Videos that share most of their frames (one a copy or a cut of the other)"
    min_quality: ClassVar[int] = MIN_QUALITY
    strong_share: ClassVar[float] = 0.8
    weak_share: ClassVar[float] = 0.5

    def __init__(self, max_distance: int = MATCH_DISTANCE) -> None:
        self.max_distance = max_distance

    def propose(self, corpus: LinkCorpus) -> Iterator[Link]:
        frames = corpus.frames
        usable = usable_pdq(frames.quality, self.min_quality)
        usable &= corpus.is_video[frames.media]
        media = frames.media[usable]
        if not corpus.new[media].any():
            return
        # One row per distinct (video, hash): ``weight`` frames share it.
        keys = np.column_stack([media.astype(np.uint64), frames.words[usable]])
        distinct, weight = np.unique(keys, axis=0, return_counts=True)
        video = distinct[:, 0].astype(np.int64)
        parent = corpus.work_dir / self.name if corpus.work_dir is not None else None
        with ScratchIndex(np.ascontiguousarray(distinct[:, 1:]), corpus.workers, parent) as index:
            pairs = index.pairs_with_new(corpus.new[video], self.max_distance)
        across = np.flatnonzero(video[pairs.id_a] != video[pairs.id_b])
        row_a, row_b = pairs.id_a[across], pairs.id_b[across]
        # Each frame row found in the other video, once however many of its frames match.
        row = np.concatenate([row_a, row_b])
        other = np.concatenate([video[row_b], video[row_a]])
        found = np.unique(np.column_stack([row, other]), axis=0)
        in_other = _count_by_pair(video[found[:, 0]], found[:, 1], weight[found[:, 0]])
        totals = np.bincount(media, minlength=len(corpus))
        yield from self._links(corpus, in_other, totals)

    def _links(
        self, corpus: LinkCorpus, in_other: dict[tuple[int, int], int], totals: Ints
    ) -> Iterator[Link]:
        for a, b in sorted({(min(p), max(p)) for p in in_other}):
            a_in_b, b_in_a = in_other.get((a, b), 0), in_other.get((b, a), 0)
            share_a, share_b = a_in_b / int(totals[a]), b_in_a / int(totals[b])
            best = max(share_a, share_b)
            if best < self.weak_share:
                continue
            strength = LinkStrength.STRONG if best >= self.strong_share else LinkStrength.WEAK
            for this, that, mine, theirs in ((a, b, a_in_b, b_in_a), (b, a, b_in_a, a_in_b)):
                mine_total, their_total = int(totals[this]), int(totals[that])
                evidence = (
                    f"{_percent(mine, mine_total)} of this video's {mine_total} frames are in"
                    f" the other ({mine} of {mine_total}); {_percent(theirs, their_total)} the"
                    f" other way ({theirs} of {their_total})"
                )
                yield Link(
                    corpus.sha256[this],
                    corpus.sha256[that],
                    self.name,
                    mine / mine_total,
                    evidence,
                    strength,
                    self.version,
                )


def _count_by_pair(video: Ints, other: Ints, weight: Ints) -> dict[tuple[int, int], int]:
    """Sum of ``weight`` per (video, other video)."""
    pairs, where = np.unique(np.column_stack([video, other]), axis=0, return_inverse=True)
    sums = np.bincount(where.reshape(-1), weights=weight, minlength=len(pairs))
    return {
        (int(v), int(o)): int(s) for (v, o), s in zip(pairs.tolist(), sums.tolist(), strict=True)
    }


def _percent(part: int, whole: int) -> str:
    """Rounded down: "100%" only when every frame is found."""
    return f"{100 * part // whole}%"
