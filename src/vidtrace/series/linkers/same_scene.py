"""Same room, different shot: pictures of one scene in another framing, crop or zoom.

PDQ links copies of one picture; it misses a second photo of the same room with another crop,
zoom or angle, which an analyst spots by the same wallpaper, bedding or furniture. This linker
looks for that in the upright thumbnails (longest side 256 px; a video's is its first keyframe):

1. **Features.** At most 500 SIFT keypoints per picture, cached under the work folder.
2. **Candidates.** Each descriptor (RootSIFT) gets one visual word in each of 4 vocabularies of
   1,024 words, the signs of fixed random projections: nothing is trained, so a picture's words
   never change as the corpus grows. Pictures are compared by the cosine of their sets of words
   and a new picture is verified against its ``top_k`` (20) nearest only; an old picture among a
   new one's 2 x ``top_k`` nearest is asked back whether new pictures are among its own
   ``top_k``, so that a run over new pictures verifies nearly what one run over everything
   would. Counts are exact integers: similarities, ranks, ties (to the smaller SHA-256) and so
   the links ignore input order.
3. **Verification.** Matches passing Lowe's ratio test (0.8), one per keypoint, then a RANSAC
   homography (4 px, fixed seed) that must be plausible: corners in front of the camera, neither
   folded nor mirrored, area scale within 1/20..20. Measured: *inliers*; *cover*, the area of
   the inliers' convex hull over each picture's area; *agreement*, the correlation of the
   band-pass (1-4 px) pixels once the homography aligns the pictures, over their overlap.

Strength. **Strong**: 25 inliers, cover 0.15 of each picture, agreement 0.50. **Weak**: 8
inliers, cover 0.20 of one picture, agreement 0.60. Nothing below. A shared window view, poster
or wallpaper pattern gives many matches in one place (small cover) or aligns a few objects
while the rest disagrees (low agreement); a scene seen again agrees wherever the pictures meet.

Measured (verification of every pair, ``vidtrace demo`` evidence and ``shared/data``):

* demo, 81 pictures: 3,367 pairs of different series or distractors (seven rooms built from the
  same patterns and furniture) give at most 12 inliers and agreement 0.39: no link. Against the
  original, other shots have 10..150 inliers (8 strong, 1 weak, 1 none: the dim rocket), portrait
  shots 10..135 (8 strong, 2 weak), crops 13..209 (8 strong, 2 weak).
* 221 real photos (scikit-image, UKBench, jenssegers, PDQ, exif-py): 23,968 pairs of different
  scenes give at most 8 inliers: no link; the 10 UKBench scenes never link. The 5 forest edits
  (crop, thumbnail) link, as do a stereo pair (146 inliers, agreement 0.52), 2 office views and
  5 of 6 pairs of one scene photographed at other angles.
* stress test: the above plus 3 shots each of 300 generated rooms drawing wallpaper and cover
  from the same 9 patterns. Of 17,114 candidate pairs of different scenes, the closest come to
  33 inliers; with 25 or more, agreement is at most 0.41; with cover 0.20, at most 0.54; with
  agreement 0.60, cover at most 0.17. No false link; 275 of the 300 rooms end in one group.

Cost, one core, 256 px: features 15-30 ms a picture; a verification 2.4 ms (unrelated) to
5 ms (aligned), about 15 a picture; searching the words of 100,000: 18 ms a new picture (2 cores).
Mirrored copies are left to the PDQ linker's dihedral hashes.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import cv2
import numpy as np
import numpy.typing as npt

from vidtrace.domain.series import Link, LinkStrength, symmetric_link
from vidtrace.series.linkers.base import Bools, LinkCorpus, Linker, linkers

MAX_FEATURES = 500
CONTRAST_THRESHOLD = 0.02  # half OpenCV's default: dim rooms and night shots still get keypoints
MIN_SIDE = 32  # smaller thumbnails hold too little to match
WORD_BITS, WORD_TABLES = 10, 4  # 4 vocabularies of 1,024 words: a near miss in one still counts
VOCABULARY = WORD_TABLES << WORD_BITS
TOP_K = 20
REVERSE_DEPTH = 2  # x top_k: how deep old neighbours of a new picture are asked back
RATIO = 0.8
RANSAC_PX = 4.0
RANSAC_SEED = 20240229
MIN_MATCHES = 8
SCALE_LIMIT = 20.0
STRONG_INLIERS, STRONG_COVER, STRONG_AGREEMENT = 25, 0.15, 0.50  # cover: of each picture
WEAK_INLIERS, WEAK_COVER, WEAK_AGREEMENT = 8, 0.20, 0.60  # cover: of the better-covered one
MIN_OVERLAP = 0.05  # of the frame the agreement is measured in
CACHE_FORMAT = f"sift{MAX_FEATURES}-c{CONTRAST_THRESHOLD}-w{WORD_TABLES}x{WORD_BITS}-v1"

Grey = npt.NDArray[np.uint8]
Points = npt.NDArray[np.float32]


@dataclass(frozen=True)
class SceneFeatures:
    """What one picture contributes: keypoints, their SIFT descriptors and its visual words."""

    points: Points  # (n, 2) x, y in thumbnail pixels
    descriptors: npt.NDArray[np.uint8]  # (n, 128) SIFT, integer-valued as OpenCV computes them
    words: npt.NDArray[np.uint8]  # (VOCABULARY / 8,) which words occur, as packed bits
    width: int
    height: int


@dataclass(frozen=True)
class SceneMatch:
    """The outcome of verifying one pair: inliers, how far they spread, how well pixels agree."""

    inliers: int
    cover_a: float  # area of the inliers' convex hull over the picture's area
    cover_b: float
    agreement: float  # band-pass correlation of the aligned pictures over their overlap
    homography: npt.NDArray[np.float64]  # (3, 3), maps a's pixels onto b's


def _hyperplanes() -> npt.NDArray[np.float32]:
    """Fixed +-1 projections from a SplitMix64 counter: identical on every machine and version."""
    z = np.arange(1, 128 * WORD_BITS * WORD_TABLES + 1, dtype=np.uint64)
    z *= np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    signs = np.where((z >> np.uint64(63)) == 1, 1.0, -1.0)
    return np.asarray(signs.reshape(128, WORD_TABLES * WORD_BITS), np.float32)


_PLANES = _hyperplanes()
_WORD_WEIGHTS = (1 << np.arange(WORD_BITS)).astype(np.int64)
_TABLE_OFFSETS = (np.arange(WORD_TABLES) << WORD_BITS).astype(np.int64)


def root_sift(descriptors: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """RootSIFT (Arandjelovic & Zisserman): Hellinger-normalised, compared with L2."""
    d = descriptors.astype(np.float32)
    return np.asarray(np.sqrt(d / (d.sum(axis=1, keepdims=True) + 1e-7)), np.float32)


def visual_words(descriptors: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Which visual words a picture's descriptors fall into, as ``VOCABULARY`` packed bits.

    Presence, not counts: a repeated pattern fills one word many times and would dominate.
    """
    present = np.zeros(VOCABULARY, bool)
    if len(descriptors):
        d = root_sift(descriptors)
        signs = ((d - d.mean(axis=1, keepdims=True)) @ _PLANES) > 0
        tables = signs.reshape(len(d), WORD_TABLES, WORD_BITS).astype(np.int64)
        present[(tables @ _WORD_WEIGHTS + _TABLE_OFFSETS).ravel()] = True
    return np.packbits(present)


def describe(grey: Grey) -> SceneFeatures:
    """SIFT features and visual words of an upright grey thumbnail."""
    sift = cv2.SIFT.create(nfeatures=MAX_FEATURES, contrastThreshold=CONTRAST_THRESHOLD)
    keypoints, descriptors = sift.detectAndCompute(grey, None)
    if descriptors is None or not keypoints:
        points, codes = np.zeros((0, 2), np.float32), np.zeros((0, 128), np.uint8)
    else:
        points = np.array([k.pt for k in keypoints], np.float32)
        codes = np.clip(descriptors, 0, 255).astype(np.uint8)
    height, width = grey.shape
    return SceneFeatures(points, codes, visual_words(codes), width, height)


def _top(sims: npt.NDArray[np.float64], depth: int) -> npt.NDArray[np.int64]:
    """Positions of the ``depth`` highest positive values, best first; ties: lower position."""
    positive = np.flatnonzero(sims > 0)
    if len(positive) > depth:
        kth = np.partition(sims[positive], len(positive) - depth)[len(positive) - depth]
        above = positive[sims[positive] > kth]
        tied = positive[sims[positive] == kth][: depth - len(above)]
        positive = np.concatenate([above, tied])
    return positive[np.lexsort((positive, -sims[positive]))].astype(np.int64)


def _neighbours(
    words: npt.NDArray[np.uint8], rows: npt.NDArray[np.int64], depth: int
) -> list[npt.NDArray[np.int64]]:
    """For each row, its ``depth`` most similar pictures: cosine of their sets of words."""
    # Sums of 0/1 products below 2**24 are exact in float32, so similarities and their order do
    # not depend on how BLAS splits the work, nor on the input order.
    sizes = np.bitwise_count(words).sum(axis=1).astype(np.float64)
    sizes[sizes == 0] = np.inf
    kept = [(np.empty(0, np.int64), np.empty(0, np.float64)) for _ in rows]
    # The corpus is unpacked once, 16k pictures at a time (256 MB); each block keeps its best.
    for block in range(0, len(words), 16384):
        pictures = np.unpackbits(words[block : block + 16384], axis=1).astype(np.float32)
        in_block = slice(block, block + len(pictures))
        for start in range(0, len(rows), 256):
            chunk = rows[start : start + 256]
            queries = np.unpackbits(words[chunk], axis=1).astype(np.float32)
            sims = (queries @ pictures.T).astype(np.float64)
            sims /= np.sqrt(sizes[chunk, None] * sizes[None, in_block])
            own = (chunk >= block) & (chunk < block + len(pictures))
            sims[np.flatnonzero(own), chunk[own] - block] = 0.0
            for k, row in enumerate(sims):
                best = _top(row, depth)
                index = np.concatenate([kept[start + k][0], best + block])
                value = np.concatenate([kept[start + k][1], row[best]])
                order = np.lexsort((index, -value))[:depth]
                kept[start + k] = (index[order], value[order])
    return [index for index, _ in kept]


def candidate_pairs(words: npt.NDArray[np.uint8], new: Bools, top_k: int) -> list[tuple[int, int]]:
    """The pairs ``(i, j)``, ``i < j``, worth verifying; each involves at least one new picture.

    A new picture brings its ``top_k`` nearest; an old picture among a new one's
    ``REVERSE_DEPTH * top_k`` nearest brings the new pictures among its own ``top_k``.
    """
    new_rows = np.flatnonzero(new).astype(np.int64)
    pairs: set[tuple[int, int]] = set()
    asked_back: set[int] = set()
    for q, near in zip(new_rows, _neighbours(words, new_rows, top_k * REVERSE_DEPTH), strict=True):
        pairs.update((min(q, j), max(q, j)) for j in near[:top_k].tolist())
        asked_back.update(j for j in near.tolist() if not new[j])
    old_rows = np.array(sorted(asked_back), np.int64)
    for o, near in zip(old_rows, _neighbours(words, old_rows, top_k), strict=True):
        pairs.update((min(o, j), max(o, j)) for j in near.tolist() if new[j])
    return sorted((int(i), int(j)) for i, j in pairs)


def _plausible(h: npt.NDArray[np.float64], width: int, height: int) -> bool:
    """Whether ``h`` maps the picture's frame to a convex, unmirrored quad of sane size."""
    corners = np.array([[0, 0, 1], [width, 0, 1], [width, height, 1], [0, height, 1]], np.float64)
    mapped = corners @ h.T
    if not np.all(np.isfinite(mapped)) or np.any(mapped[:, 2] <= 1e-9):
        return False
    quad = mapped[:, :2] / mapped[:, 2:]
    edges = np.roll(quad, -1, axis=0) - quad
    following = np.roll(edges, -1, axis=0)
    turns = edges[:, 0] * following[:, 1] - edges[:, 1] * following[:, 0]
    if np.any(turns <= 0):  # folded, or mirrored (reading order reversed)
        return False
    x, y = quad[:, 0], quad[:, 1]
    area = 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))  # shoelace
    return 1 / SCALE_LIMIT <= area / (width * height) <= SCALE_LIMIT


def _cover(points: Points, width: int, height: int) -> float:
    if len(points) < 3:
        return 0.0
    return float(cv2.contourArea(cv2.convexHull(points.reshape(-1, 1, 2)))) / (width * height)


def _band_pass(grey: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    # Detail at 1-4 px: what a texture or a piece of furniture looks like, not the lighting.
    fine = cv2.GaussianBlur(grey, (0, 0), 1.0)
    return np.asarray(fine - cv2.GaussianBlur(grey, (0, 0), 4.0), np.float32)


def _agreement(grey_a: Grey, grey_b: Grey, h: npt.NDArray[np.float64]) -> float:
    """Correlation of the two pictures' band-pass pixels once ``h`` (a -> b) aligns them."""
    if abs(np.linalg.det(h[:2, :2] / h[2, 2])) > 1.0:
        # a appears larger in b: shrink b into a's frame, so both are compared at one scale
        grey_a, grey_b, h = grey_b, grey_a, np.asarray(np.linalg.inv(h), np.float64)
    height, width = grey_b.shape
    warped = np.asarray(
        cv2.warpPerspective(grey_a.astype(np.float32), h, (width, height)), np.float32
    )
    inside = cv2.warpPerspective(np.ones(grey_a.shape, np.uint8), h, (width, height))
    inside = cv2.erode(inside, np.ones((9, 9), np.uint8)).astype(bool)  # skip blurred borders
    if inside.sum() < MIN_OVERLAP * width * height:
        return 0.0
    x = _band_pass(warped)[inside].astype(np.float64)
    y = _band_pass(grey_b.astype(np.float32))[inside].astype(np.float64)
    x -= x.mean()
    y -= y.mean()
    return float((x * y).sum() / (np.sqrt((x * x).sum() * (y * y).sum()) + 1e-9))


def verify(a: SceneFeatures, grey_a: Grey, b: SceneFeatures, grey_b: Grey) -> SceneMatch | None:
    """Match ``a`` to ``b`` geometrically; None when no plausible homography ties them."""
    if len(a.points) < MIN_MATCHES or len(b.points) < MIN_MATCHES:
        return None
    matcher = cv2.BFMatcher(cv2.NORM_L2)
    knn = matcher.knnMatch(root_sift(a.descriptors), root_sift(b.descriptors), k=2)
    best: dict[int, cv2.DMatch] = {}  # one match per keypoint of b: the closest
    for pair in knn:
        if len(pair) == 2 and pair[0].distance < RATIO * pair[1].distance:
            m = pair[0]
            if m.trainIdx not in best or m.distance < best[m.trainIdx].distance:
                best[m.trainIdx] = m
    if len(best) < MIN_MATCHES:
        return None
    kept = sorted(best.values(), key=lambda m: m.queryIdx)
    src = a.points[[m.queryIdx for m in kept]]
    dst = b.points[[m.trainIdx for m in kept]]
    cv2.setRNGSeed(RANSAC_SEED)  # RANSAC samples with the calling thread's generator
    h, mask = cv2.findHomography(src, dst, cv2.RANSAC, RANSAC_PX, maxIters=2000, confidence=0.995)
    if h is None or mask is None:
        return None
    homography = np.asarray(h, np.float64)
    if not _plausible(homography, a.width, a.height):
        return None
    inlier = mask.ravel().astype(bool)
    return SceneMatch(
        inliers=int(inlier.sum()),
        cover_a=_cover(src[inlier], a.width, a.height),
        cover_b=_cover(dst[inlier], b.width, b.height),
        agreement=_agreement(grey_a, grey_b, homography),
        homography=homography,
    )


def judge(match: SceneMatch) -> LinkStrength | None:
    """The strength the measurements in the module docstring justify, or None for no link."""
    if (
        match.inliers >= STRONG_INLIERS
        and min(match.cover_a, match.cover_b) >= STRONG_COVER
        and match.agreement >= STRONG_AGREEMENT
    ):
        return LinkStrength.STRONG
    # Few matches: only pixels that agree closely, over a fair part of a picture, make a link.
    if (
        match.inliers >= WEAK_INLIERS
        and max(match.cover_a, match.cover_b) >= WEAK_COVER
        and match.agreement >= WEAK_AGREEMENT
    ):
        return LinkStrength.WEAK
    return None


def evidence(match: SceneMatch) -> str:
    low, high = sorted((match.cover_a, match.cover_b))
    return (
        f"{match.inliers} matching local features (SIFT, RANSAC homography), covering "
        f"{high:.0%} of one picture and {low:.0%} of the other; aligned, their details "
        f"agree at {match.agreement:.2f} (1 = identical)"
    )


def score(match: SceneMatch) -> float:
    return round(0.5 * min(1.0, match.inliers / 60) + 0.5 * max(0.0, match.agreement), 4)


class FeatureCache:
    """Features per SHA-256 in ``folder``/ab/<sha256>.npz, so old media are never recomputed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / f"{sha256}.npz"

    def words(self, sha256: str) -> npt.NDArray[np.uint8] | None:
        try:
            with np.load(self._path(sha256)) as stored:  # an .npz reads only the member asked for
                return np.asarray(stored["words"], np.uint8)
        except (OSError, KeyError, ValueError, EOFError):
            return None  # absent or unreadable: computed again

    def load(self, sha256: str) -> SceneFeatures | None:
        try:
            with np.load(self._path(sha256)) as stored:
                width, height = (int(v) for v in stored["size"])
                return SceneFeatures(
                    np.asarray(stored["points"], np.float32),
                    np.asarray(stored["descriptors"], np.uint8),
                    np.asarray(stored["words"], np.uint8),
                    width,
                    height,
                )
        except (OSError, KeyError, ValueError, EOFError):
            return None

    def save(self, sha256: str, features: SceneFeatures) -> None:
        path = self._path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        np.savez(
            buffer,
            points=features.points,
            descriptors=features.descriptors,
            words=features.words,
            size=np.array([features.width, features.height], np.int64),
        )
        staged = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        staged.write_bytes(buffer.getvalue())
        os.replace(staged, path)  # readers see the old file or the whole new one


@linkers.register
class SameSceneLinker(Linker):
    """Links pictures of one scene in other framings: local features, verified by a homography."""

    name = "same-scene"
    version: ClassVar[int] = 1
    description: ClassVar[str] = (
        "Same room, different shot: matching local features that one homography explains"
    )

    def __init__(self, top_k: int = TOP_K) -> None:
        self.top_k = top_k

    def propose(self, corpus: LinkCorpus) -> Iterator[Link]:
        thumbnails = corpus.thumbnails
        if thumbnails is None:
            return
        folder = corpus.work_dir / self.name / CACHE_FORMAT if corpus.work_dir else None
        cache = FeatureCache(folder) if folder else None
        # Videos take part through their thumbnail (the first keyframe): a clip filmed in the
        # room of a photo series, or the same video re-cut with bars and logos, links here.
        have = thumbnails.available(corpus.sha256)
        is_new: dict[str, bool] = {}
        for position, sha256 in enumerate(corpus.sha256):
            if sha256 in have:
                is_new[sha256] = is_new.get(sha256, False) or bool(corpus.new[position])
        memory: dict[str, SceneFeatures] = {}  # this run's features when nothing is cached

        @lru_cache(maxsize=4096)
        def grey(sha256: str) -> Grey | None:
            pixels = thumbnails.grey(sha256)
            if pixels is None or pixels.ndim != 2 or min(pixels.shape) < MIN_SIDE:
                return None
            return np.ascontiguousarray(pixels, np.uint8)

        @lru_cache(maxsize=4096)
        def features(sha256: str) -> SceneFeatures | None:
            return memory.get(sha256) or (cache.load(sha256) if cache else None)

        with ThreadPoolExecutor(max_workers=max(1, corpus.workers)) as pool:
            # Sorted by SHA-256 so that positions, ties and verification order ignore input order.
            shas = sorted(is_new)
            words = {s: w for s in shas if cache and (w := cache.words(s)) is not None}
            missing = [s for s in shas if s not in words and grey(s) is not None]
            for start in range(0, len(missing), 256):
                batch = missing[start : start + 256]
                pixels = [grey(s) for s in batch]  # thumbnail sources need not be thread-safe
                for sha256, found in zip(batch, pool.map(describe, pixels), strict=True):
                    words[sha256] = found.words
                    if cache:
                        cache.save(sha256, found)
                    else:
                        memory[sha256] = found
            usable = [s for s in shas if s in words and words[s].any()]
            if not usable:
                return
            pairs = candidate_pairs(
                np.stack([words[s] for s in usable]),
                np.array([is_new[s] for s in usable], dtype=bool),
                self.top_k,
            )
            for start in range(0, len(pairs), 256):
                batch_pairs = [(usable[i], usable[j]) for i, j in pairs[start : start + 256]]
                jobs = [(features(a), grey(a), features(b), grey(b)) for a, b in batch_pairs]
                for (a, b), match in zip(batch_pairs, pool.map(_verify_job, jobs), strict=True):
                    strength = judge(match) if match else None
                    if match and strength:
                        yield symmetric_link(
                            a, b, self.name, score(match), evidence(match), strength, self.version
                        )


def _verify_job(
    job: tuple[SceneFeatures | None, Grey | None, SceneFeatures | None, Grey | None],
) -> SceneMatch | None:
    a, grey_a, b, grey_b = job
    if a is None or grey_a is None or b is None or grey_b is None:
        return None
    return verify(a, grey_a, b, grey_b)
