"""Scene features for the same-scene linker: SIFT keypoints on a thumbnail, their visual words
(fixed random projections, nothing trained), and a per-media cache so old media are not
described again."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

MAX_FEATURES = 500
CONTRAST_THRESHOLD = 0.02  # half OpenCV's default: dim rooms and night shots still get keypoints
MIN_SIDE = 32  # smaller thumbnails hold too little to match
WORD_BITS, WORD_TABLES = 10, 4  # 4 vocabularies of 1,024 words: a near miss in one still counts
VOCABULARY = WORD_TABLES << WORD_BITS
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
