"""Verification for the same-scene linker: ratio-tested SIFT matches, a plausible RANSAC
homography, and pixel agreement once aligned; then the strength, score and evidence of a link."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from vidtrace.domain.series import LinkStrength
from vidtrace.series.linkers.scene_features import Grey, Points, SceneFeatures, root_sift

RATIO = 0.8
RANSAC_PX = 4.0
RANSAC_SEED = 20240229
MIN_MATCHES = 8
SCALE_LIMIT = 20.0
STRONG_INLIERS, STRONG_COVER, STRONG_AGREEMENT = 25, 0.15, 0.50  # cover: of each picture
WEAK_INLIERS, WEAK_COVER, WEAK_AGREEMENT = 8, 0.20, 0.60  # cover: of the better-covered one
MIN_OVERLAP = 0.05  # of the frame the agreement is measured in


@dataclass(frozen=True)
class SceneMatch:
    """The outcome of verifying one pair: inliers, how far they spread, how well pixels agree."""

    inliers: int
    cover_a: float  # area of the inliers' convex hull over the picture's area
    cover_b: float
    agreement: float  # band-pass correlation of the aligned pictures over their overlap
    homography: npt.NDArray[np.float64]  # (3, 3), maps a's pixels onto b's


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
