"""PDQ's full-resolution 64x64 downsample, reproduced from a reduced decode.

PDQ blurs the full-resolution luma with two box passes of ``ceil(side / 128)`` pixels (Jarosz
filters), then samples a 64x64 grid. Hashing a reduced image with pdqhash as-is blurs by the
*reduced* window instead, whose rounding differs: that moved hashes by up to 20 bits from the
full-resolution ones on smooth photos. Here the full-resolution filter is built as two 64 x side
weight matrices, integrated over the footprint of each reduced pixel, so the 64x64 buffer is what
PDQ would have computed from the original pixels (within a few bits), and faster, because only
the 64 sampled rows and columns are ever filtered.

pdqhash passes a 64x64 input straight through its own filter (window 1, no decimation), so the
buffer is handed to it for the DCT, the quality metric and the dihedral variants.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
GRID = 64
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)

# pdqhash only accepts 8-bit RGB and takes luma = .299 R + .587 G + .114 B, so the fractional
# part of each buffer value is spread over the three channels (8 levels in 0..1) instead of being
# rounded away; rounding flipped up to 18 bits on low-contrast images.
_CHANNEL_STEPS = np.array(
    [[0, 0, 0], [0, 0, 1], [1, 0, 0], [1, 0, 1], [0, 1, 0], [0, 1, 1], [1, 1, 0], [1, 1, 1]],
    dtype=np.float32,
)
_STEP_LUMA = _CHANNEL_STEPS @ LUMA


def luma(pixels: npt.NDArray[np.uint8]) -> FloatArray:
    """PDQ's luma (Rec. 601 weights) of an RGB array."""
    rgb = pixels.astype(np.float32)
    out: FloatArray = rgb[..., 0] * LUMA[0] + rgb[..., 1] * LUMA[1] + rgb[..., 2] * LUMA[2]
    return out


def pdq_grid(pixels: npt.NDArray[np.uint8], full_width: int, full_height: int) -> FloatArray:
    """The 64x64 luma buffer PDQ computes for the full-resolution original of ``pixels``."""
    values = luma(pixels)
    rows, cols = values.shape
    grid = axis_weights(full_height, rows) @ values @ axis_weights(full_width, cols).T
    return grid.astype(np.float32, copy=False)


def grid_as_rgb(grid: FloatArray) -> npt.NDArray[np.uint8]:
    """A 64x64x3 uint8 image whose pdqhash luma equals ``grid`` to within about 0.06."""
    clipped = np.clip(grid, 0.0, 255.0)
    base = np.minimum(np.floor(clipped), 254.0)
    fraction = clipped - base
    step = np.abs(fraction[..., None] - _STEP_LUMA).argmin(axis=-1)
    rgb = base[..., None] + _CHANNEL_STEPS[step]
    return np.ascontiguousarray(rgb.astype(np.uint8))


@lru_cache(maxsize=128)
def axis_weights(full: int, reduced: int) -> FloatArray:
    """64 x ``reduced`` weights: PDQ's blur-and-sample along one axis of ``full`` pixels."""
    window = (full + 2 * GRID - 1) // (2 * GRID)
    half = (window + 2) // 2
    index = np.arange(full)
    # One box pass: output j averages inputs lo[j]..hi[j], windows shrinking at the edges.
    lo = np.maximum(0, index - (window - half))
    hi = np.minimum(full - 1, index + half - 1)
    count = (hi - lo + 1).astype(np.float64)
    diff = np.zeros((GRID, full + 1))
    for k in range(GRID):
        sample = int((k + 0.5) * full / GRID)
        inner = np.arange(lo[sample], hi[sample] + 1)
        weight = 1.0 / count[sample] / count[inner]
        np.add.at(diff[k], lo[inner], weight)
        np.add.at(diff[k], hi[inner] + 1, -weight)
    per_pixel = np.cumsum(diff, axis=1)[:, :full]
    cumulative = np.concatenate([np.zeros((GRID, 1)), np.cumsum(per_pixel, axis=1)], axis=1)
    edges = _footprint_edges(full, reduced)
    positions = np.arange(full + 1, dtype=np.float64)
    at_edges = np.stack([np.interp(edges, positions, row) for row in cumulative])
    weights: FloatArray = np.diff(at_edges, axis=1).astype(np.float32)
    return weights


def _footprint_edges(full: int, reduced: int) -> npt.NDArray[np.float64]:
    """Where each reduced pixel starts, in full-resolution pixels.

    libjpeg's DCT scaling and Pillow's ``reduce`` cover ``factor`` pixels each and a partial last
    one; any other resize spreads the pixels evenly.
    """
    factor = max(1, round(full / reduced))
    if -(-full // factor) == reduced:
        return np.minimum(np.arange(reduced + 1) * factor, full).astype(np.float64)
    return np.arange(reduced + 1, dtype=np.float64) * (full / reduced)
