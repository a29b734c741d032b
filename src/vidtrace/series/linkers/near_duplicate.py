"""Near-duplicate images: PDQ hashes within a distance, also after a turn or a flip.

Two images link when their PDQ hashes are at most ``max_distance`` bits apart (31, Meta's
threshold), or when a dihedral variant of one (turned a quarter, half or three quarters, or
flipped) is close to the other's hash: a copy saved upright from a phone photo, or mirrored.
Both hashes need quality >= 50; videos are left to the video linkers.

Candidates come from a PDQ index, never from comparing all pairs: a self-join of the identity
hashes, then searches of the variants. Variants are searched at two radii, a trade-off between
recall and time, measured:

* Recall: 18 scikit-image photos were turned and flipped the 7 ways, shrunk to 60 % and saved
  as JPEG quality 50. The nearest variant was within 21 bits for 69 % of the 126 copies and
  within 31 for 87 % (unturned copies, same edits: 83 % within 31). For the quarter turns
  alone: 26 and 31 of 36.
* Time: a search at radius 22..32 probes 2 bits per chunk of the index and answers ~9,000
  queries/s at 1 M hashes on one core; at 11..21 it probes 1 bit and answers ~84,000/s.

So the quarter turns, the common case (one copy had its EXIF orientation applied, the other
not), are searched at 31; the half turn and the four flips at 21. On 1 M synthetic images and
two cores shared with other work this linker took 220-280 s (260 s of CPU): the self-join about
a quarter, the rotate90 search at 31 nearly half, the five searches at 21 the rest. Those five
at 31 would add about 10 minutes.

Fewer searches: a quarter turn one way is undone by a quarter turn the other way, so when every
image is searched (a first run) searching ``rotate90`` from both sides of a pair also finds the
pairs ``rotate270`` would, at nearly the same distance: 6 variants a run. When only some images
are new, the new ones are searched with all 7 variants (they must find old images turned either
way), unless searching every image with 6 would cost less. The identity hashes: a self-join
when at least half the images are new, else a search of the new ones.

A link is one per pair of images, the closest match kept (the identity before a variant at the
same distance). Score: ``1 - distance / 64`` (1 for identical hashes, about 0.52 at 31).
Evidence: "PDQ distance 12", or "PDQ distance 6 after rotate90": ``rotate90`` of the link's
first image (``a``) is 6 bits from the second.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

import numpy as np

from vidtrace.domain.series import Link, LinkStrength, symmetric_link
from vidtrace.series.linkers.base import Bools, Ints, LinkCorpus, Linker, linkers
from vidtrace.series.linkers.pdq_candidates import (
    IDENTITY,
    INVERSE,
    MATCH_DISTANCE,
    MIN_QUALITY,
    Int16s,
    ScratchIndex,
    distance_score,
    query_cost,
    sha_ranks,
    stored,
    usable_pdq,
)
from vidtrace.signals.pdq import DIHEDRAL_NAMES

ROTATE90, ROTATE270 = DIHEDRAL_NAMES.index("rotate90"), DIHEDRAL_NAMES.index("rotate270")
# How far each variant is searched (DIHEDRAL_NAMES order; at most max_distance): the quarter
# turns as far as the hashes themselves, the half turn and the flips to 21 (module docstring).
VARIANT_RADIUS: tuple[int, ...] = (31, 31, 21, 31, 21, 21, 21, 21)
ALL_VARIANTS = tuple(v for v in range(len(DIHEDRAL_NAMES)) if v != IDENTITY)
ONE_WAY_VARIANTS = tuple(v for v in ALL_VARIANTS if v != ROTATE270)
# Searching rotate90 from both sides stands for rotate270 only if both are searched as far.
assert VARIANT_RADIUS[ROTATE90] == VARIANT_RADIUS[ROTATE270]
assert INVERSE[ROTATE90] == ROTATE270


@linkers.register
class NearDuplicateLinker(Linker):
    name = "near-duplicate"
    version = 1
    description = "Images whose PDQ hashes are close, also after a turn or a flip"
    min_quality: ClassVar[int] = MIN_QUALITY

    def __init__(self, max_distance: int = MATCH_DISTANCE) -> None:
        self.max_distance = max_distance

    def propose(self, corpus: LinkCorpus) -> Iterator[Link]:
        images = np.flatnonzero(~corpus.is_video & usable_pdq(corpus.pdq_quality, self.min_quality))
        new = corpus.new[images]
        if len(images) < 2 or not new.any():
            return
        parent = corpus.work_dir / self.name if corpus.work_dir is not None else None
        with ScratchIndex(corpus.pdq[images], corpus.workers, parent) as index:
            pairs = index.pairs_with_new(new, self.max_distance)
            searched, variants = self._variant_plan(new)
            rows, found, turned_distance, turned = self._variant_hits(
                index, corpus, images[searched], variants
            )
        first = np.concatenate([pairs.id_a, searched[rows]])
        second = np.concatenate([pairs.id_b, found])
        distance = np.concatenate([pairs.distance, turned_distance]).astype(np.int64)
        variant = np.concatenate([np.full(len(pairs), IDENTITY), turned])
        # Variant hits of a row on itself (symmetric pictures) and between old rows go.
        keep = np.flatnonzero((first != second) & (new[first] | new[second]))
        yield from self._links(
            corpus, images, first[keep], second[keep], distance[keep], variant[keep]
        )

    def _variant_plan(self, new: Bools) -> tuple[Ints, tuple[int, ...]]:
        """Which rows to search, with which variants: the cheaper of the new rows with every
        variant and every row with ``rotate90`` standing for ``rotate270`` too."""

        def cost(variants: tuple[int, ...]) -> float:
            return sum(query_cost(min(VARIANT_RADIUS[v], self.max_distance)) for v in variants)

        new_rows = np.flatnonzero(new)
        if len(new) * cost(ONE_WAY_VARIANTS) < len(new_rows) * cost(ALL_VARIANTS):
            return np.arange(len(new), dtype=np.int64), ONE_WAY_VARIANTS
        return new_rows, ALL_VARIANTS

    def _variant_hits(
        self, index: ScratchIndex, corpus: LinkCorpus, positions: Ints, variants: Sequence[int]
    ) -> tuple[Ints, Ints, Int16s, Ints]:
        """(row of ``positions``, index row, distance, variant): variant ``v`` of that image is
        within ``distance`` of the index row, each variant searched to its radius."""
        found: list[tuple[Ints, Ints, Int16s, Ints]] = []
        for variant in variants:
            words = corpus.dihedral[positions, variant]  # one variant at a time: 32 B an image
            rows = stored(words)
            hits = index.search(words[rows], min(VARIANT_RADIUS[variant], self.max_distance))
            found.append((rows[hits.query], hits.id, hits.distance, np.full(len(hits), variant)))
        if not found:
            return _nothing()
        rows, ids, distance, variant_of = (
            np.concatenate(part) for part in zip(*found, strict=True)
        )
        return rows, ids, distance, variant_of.astype(np.int64)

    def _links(
        self,
        corpus: LinkCorpus,
        images: Ints,
        first: Ints,
        second: Ints,
        distance: Ints,
        variant: Ints,
    ) -> Iterator[Link]:
        """One link per pair, its closest match; ``variant`` of ``first`` is near ``second``."""
        rank = sha_ranks(corpus.sha256, images)
        swap = rank[first] > rank[second]  # the link's first image is the smaller key
        first, second = np.where(swap, second, first), np.where(swap, first, second)
        variant = np.where(swap, np.asarray(INVERSE)[variant], variant)
        order = np.lexsort((variant, distance, second, first))
        first, second = first[order], second[order]
        start = np.ones(len(first), dtype=bool)
        start[1:] = (first[1:] != first[:-1]) | (second[1:] != second[:-1])
        best = order[start]
        scores = distance_score(distance[best])
        for a, b, bits, turn, score in zip(
            images[first[start]].tolist(),
            images[second[start]].tolist(),
            distance[best].tolist(),
            variant[best].tolist(),
            scores.tolist(),
            strict=True,
        ):
            evidence = f"PDQ distance {bits}"
            if turn != IDENTITY:
                evidence += f" after {DIHEDRAL_NAMES[turn]}"
            yield symmetric_link(
                corpus.sha256[a],
                corpus.sha256[b],
                self.name,
                score,
                evidence,
                LinkStrength.STRONG,
                self.version,
            )


def _nothing() -> tuple[Ints, Ints, Int16s, Ints]:
    empty = np.empty(0, np.int64)
    return empty, empty, np.empty(0, np.int16), empty
