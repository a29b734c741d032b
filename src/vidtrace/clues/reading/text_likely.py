"""A fast check for whether a picture is likely to hold readable text, so OCR (a second or more
per picture) runs only where it may find something.

Text, in any script, is a row of ink marks of similar height that share a band of rows, set
close together, in one tone that stands apart from its background. The check finds candidate
marks in both polarities (dark on light, light on dark), links neighbours of similar height
whose vertical extents overlap, and looks for a chain of at least three marks that stays one
mark tall, holds little other ink, has thin strokes and two clearly separate tones: a text
line. Photos give marks too, but rarely such a chain; noise and textures give marks
everywhere, whose chains grow as tall as they are wide or drown in other ink.

It works on a copy of at most ``WORK_PIXELS`` pixels, so its cost does not grow with the
picture (a few milliseconds); a wide crop of one line keeps its full height.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

WORK_PIXELS = 640 * 480
MIN_MARK_HEIGHT = 6  # working-scale pixels; smaller text is unreadable for Tesseract anyway
MIN_MARKS_PER_LINE = 3
MAX_CHAINS_CHECKED = 24  # the longest, per polarity: bounds the cost on noise and textures
MIN_PURITY = 0.6  # share of the ink in a line's box that belongs to the line's own marks
MAX_STROKE = 0.45  # stroke width over mark height (blobs, discs and blocks are thicker)
MIN_SEPARATION = 0.78  # ink against background, see _two_tone_separation
INK_CONTRAST = 18  # grey levels a pixel must differ from its surroundings to count as ink
# Marks of one line differ in height (x-height against capitals and ascenders) by a bounded
# ratio; linking only within such a band keeps a title and its body text apart.
HEIGHT_BANDS = ((6, 16), (11, 26), (18, 42), (30, 70), (50, 120), (90, 220), (160, 800))

# OpenCV's stubs type every array loosely; these say what the arrays hold.
Ints = npt.NDArray[Any]  # integer indices, labels or component statistics
Grey = npt.NDArray[Any]  # uint8 grey levels, or 0/255 ink masks


@dataclass(frozen=True)
class TextLineCandidate:
    """A chain of marks that looks like a line of text, in the picture's pixels."""

    x: float
    y: float
    width: float
    height: float
    marks: int
    light_on_dark: bool


def looks_like_text(image: Image.Image) -> bool:
    """True when ``image`` probably shows at least one line of text (a sign, a page, a caption,
    or a tight crop of one line); False for most photos without text, plain colours, gradients
    and noise. A cheap pre-filter: it errs towards True, and OCR's quality rule decides."""
    return next(_text_lines(image), None) is not None


def text_lines(image: Image.Image) -> list[TextLineCandidate]:
    """Every text-line-like chain of marks in ``image`` (:func:`looks_like_text` stops at the
    first). A line may be found twice, in overlapping height bands."""
    return list(_text_lines(image))


def _text_lines(image: Image.Image) -> Iterator[TextLineCandidate]:
    grey = working_grey(image, WORK_PIXELS)
    scale = image.width / grey.shape[1]
    for light_on_dark, ink in enumerate(_ink_masks(grey)):
        for x, y, width, height, marks in _lines_in(ink, grey):
            yield TextLineCandidate(
                x * scale, y * scale, width * scale, height * scale, marks, bool(light_on_dark)
            )


def working_grey(image: Image.Image, max_pixels: int | None = None) -> Grey:
    """``image`` as grey pixels, transparency laid over a contrasting background (white text
    on a transparent layer would vanish on white), shrunk to ``max_pixels`` if given."""
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        pixels = np.asarray(image.convert("LA"))
        tone, alpha = _shrunk(pixels[..., 0], max_pixels), _shrunk(pixels[..., 1], max_pixels)
        return _flatten(tone, alpha)
    return _shrunk(np.asarray(image.convert("L")), max_pixels)


def _shrunk(grey: Grey, max_pixels: int | None) -> Grey:
    height, width = grey.shape
    if max_pixels is not None and height * width > max_pixels:
        scale = (max_pixels / (height * width)) ** 0.5
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(grey)


def _flatten(tone: Grey, alpha: Grey) -> Grey:
    weight = alpha.astype(np.float32) / 255
    opaque = alpha > 127
    light = bool(opaque.any()) and float(tone[opaque].mean()) > 127
    background = 0.0 if light else 255.0
    flat = tone * weight + background * (1 - weight)
    return np.clip(flat + 0.5, 0, 255).astype(np.uint8)


def _ink_masks(grey: Grey) -> Iterator[Grey]:
    """Pixels clearly darker (then lighter) than their surroundings."""
    height, width = grey.shape
    block = max(15, (min(height, width) // 8) | 1)
    for tones in (grey, 255 - grey):
        yield cv2.adaptiveThreshold(
            tones, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, INK_CONTRAST
        )


def _lines_in(ink: Grey, grey: Grey) -> Iterator[tuple[int, int, int, int, int]]:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    stats = stats[1:count]
    width, height, area = stats[:, 2], stats[:, 3], stats[:, 4]
    fill = area / np.maximum(width * height, 1)
    # A mark is glyph-sized and glyph-shaped: not a speck, not a frame, not a solid block.
    # Connected scripts (Arabic, Devanagari's headline) join a word into one wide mark.
    is_mark = (
        (height >= MIN_MARK_HEIGHT)
        & (height <= 0.95 * ink.shape[0])
        & (width <= 10 * height)
        & (width * 8 >= height)
        & (fill >= 0.08)
        & (fill <= 0.92)
        & (area >= 12)
    )
    marks = np.flatnonzero(is_mark)
    ink_sum = cv2.integral(ink // 255)
    chains: list[Ints] = []
    for low, high in HEIGHT_BANDS:
        band = marks[(height[marks] >= low) & (height[marks] <= high)]
        if len(band) >= MIN_MARKS_PER_LINE:
            chains += [band[members] for members in _chains(stats[band], ink_sum)]
    chains.sort(key=len, reverse=True)
    for members in chains[:MAX_CHAINS_CHECKED]:
        line = _text_line(members, labels, stats, grey)
        if line is not None:
            yield line


def _chains(stats: Ints, ink_sum: Ints) -> list[Ints]:
    """Groups of neighbouring marks of similar height that share a band of rows, are shaped
    like a line (one mark tall, several wide) and hold little other ink, longest first."""
    left, top, width, height, area = (stats[:, i] for i in range(5))
    bottom = top + height
    centre = np.column_stack([left + width / 2, top + height / 2])
    reach = float(height.max()) * 2.5 + float(width.max()) / 2
    pairs = cKDTree(centre).query_pairs(reach, output_type="ndarray")
    if len(pairs) == 0:
        return []
    a, b = pairs[:, 0], pairs[:, 1]
    low = np.minimum(height[a], height[b])
    high = np.maximum(height[a], height[b])
    overlap = np.minimum(bottom[a], bottom[b]) - np.maximum(top[a], top[b])
    gap = np.maximum(left[a], left[b]) - np.minimum(left[a] + width[a], left[b] + width[b])
    linked = (overlap >= 0.6 * low) & (high <= 2.2 * low) & (gap <= 1.2 * high)
    linked &= gap >= -0.2 * low
    if not linked.any():
        return []
    n = len(left)
    graph = coo_matrix((np.ones(int(linked.sum())), (a[linked], b[linked])), shape=(n, n))
    groups, label = connected_components(graph, directed=False)
    size = np.bincount(label, minlength=groups)
    x0 = np.full(groups, np.iinfo(np.int64).max)
    y0 = x0.copy()
    x1 = np.zeros(groups, np.int64)
    y1 = x1.copy()
    np.minimum.at(x0, label, left)
    np.minimum.at(y0, label, top)
    np.maximum.at(x1, label, left + width)
    np.maximum.at(y1, label, bottom)
    typical = np.bincount(label, weights=height, minlength=groups) / np.maximum(size, 1)
    # A line stays about one mark tall and runs sideways; noise chains grow both ways.
    line_like = (size >= MIN_MARKS_PER_LINE) & (y1 - y0 <= 1.8 * typical)
    line_like &= x1 - x0 >= 2.5 * (y1 - y0)
    # Text stands alone on its background: little other ink among its marks.
    y0, x0, y1, x1 = (np.minimum(v, 2**31 - 1) for v in (y0, x0, y1, x1))
    ink = ink_sum[y1, x1] - ink_sum[y0, x1] - ink_sum[y1, x0] + ink_sum[y0, x0]
    own = np.bincount(label, weights=area, minlength=groups)
    line_like &= own >= MIN_PURITY * ink
    order = np.argsort(-size, kind="stable")
    return [np.flatnonzero(label == group) for group in order[line_like[order]]]


def _text_line(
    members: Ints, labels: Ints, stats: Ints, grey: Grey
) -> tuple[int, int, int, int, int] | None:
    """The chain's box and marks when it looks like a text line."""
    left, top, width, height = (stats[members, i] for i in range(4))
    x0, y0 = int(left.min()), int(top.min())
    x1, y1 = int((left + width).max()), int((top + height).max())
    typical = float(np.median(height))
    is_member = np.zeros(len(stats) + 1, dtype=bool)
    is_member[members + 1] = True
    own = is_member[labels[y0:y1, x0:x1]]
    # Text has strokes that are thin for their height ...
    depth = cv2.distanceTransform(own.astype(np.uint8), cv2.DIST_L2, 3)
    if 4 * float(depth[own].mean()) > MAX_STROKE * typical:
        return None
    # ... and ink and background are two clearly separate tones.
    pad = int(0.25 * typical)
    around = grey[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    if _two_tone_separation(around) < MIN_SEPARATION:
        return None
    return x0, y0, x1 - x0, y1 - y0, len(members)


def _two_tone_separation(pixels: Grey) -> float:
    """Otsu's between-class share of the variance: 1 for two flat tones, 0.75 for uniform
    noise, lower for smooth photo regions."""
    counts = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    share = counts / counts.sum()
    tones = np.arange(256, dtype=np.float64)
    mean = float(share @ tones)
    total = float(share @ (tones - mean) ** 2)
    if total == 0:
        return 0.0
    dark = np.cumsum(share)[:-1]
    dark_sum = np.cumsum(share * tones)[:-1]
    light = 1 - dark
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean * dark - dark_sum) ** 2 / (dark * light)
    return float(np.nanmax(np.where(light > 0, between, np.nan))) / total
