"""Repeating textile and wallpaper patterns, painted with numpy: a whole wall in milliseconds."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from numpy.typing import NDArray
from PIL import Image

Rgb = tuple[int, int, int]


class Pattern(StrEnum):
    PLAIN = "plain"
    STRIPES = "stripes"
    DOTS = "dots"
    CHECKS = "checks"
    DIAMONDS = "diamonds"
    WAVES = "waves"
    GRID = "grid"
    CHEVRONS = "chevrons"
    PLAID = "plaid"
    FLOWERS = "flowers"
    PLANKS = "planks"


def _mask(
    kind: Pattern, x: NDArray[np.float64], y: NDArray[np.float64], s: float
) -> NDArray[np.bool_]:
    """Where the ink goes for a pattern of period ``s`` pixels."""
    return np.asarray(_ink(kind, x, y, s), dtype=bool)


def _ink(kind: Pattern, x: NDArray[np.float64], y: NDArray[np.float64], s: float) -> object:
    half = s / 2
    if kind is Pattern.STRIPES:
        return (x % s) < s * 0.4
    if kind is Pattern.DOTS:
        return ((x % s) - half) ** 2 + ((y % s) - half) ** 2 < (s * 0.22) ** 2
    if kind is Pattern.CHECKS:
        return ((x // s + y // s) % 2) == 0
    if kind is Pattern.DIAMONDS:
        return np.abs((x % s) - half) + np.abs((y % s) - half) < s * 0.32
    if kind is Pattern.WAVES:
        wave = half + s * 0.25 * np.sin(2 * np.pi * x / (2 * s))
        return np.abs((y % s) - wave) < s * 0.09
    if kind is Pattern.GRID:
        return ((x % s) < s * 0.08) | ((y % s) < s * 0.08)
    if kind is Pattern.CHEVRONS:
        return ((y + np.abs((x % s) - half)) // half) % 2 == 0
    if kind is Pattern.PLAID:
        return ((x % s) < s * 0.3) ^ ((y % s) < s * 0.3)
    if kind is Pattern.FLOWERS:
        cx, cy = (x % s) - half, (y % s) - half
        r = np.hypot(cx, cy)
        petals = s * (0.16 + 0.1 * np.cos(5 * np.arctan2(cy, cx)))
        return r < petals
    if kind is Pattern.PLANKS:
        row = y // s
        seam = ((x + row * s * 1.7) % (s * 6)) < s * 0.06
        return ((y % s) < s * 0.06) | seam
    return np.zeros(x.shape, dtype=bool)


def paint(
    size: tuple[int, int],
    kind: Pattern,
    base: Rgb,
    ink: Rgb,
    period: float,
    rng: np.random.Generator,
    grain: float = 6.0,
) -> Image.Image:
    """An RGB image of ``size`` filled with ``kind`` in two colours, plus a little seeded grain."""
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    mask = _mask(kind, x, y, period)
    pixels = np.where(mask[..., None], np.array(ink, np.float64), np.array(base, np.float64))
    if grain:
        pixels += rng.normal(0.0, grain, size=(height, width, 1))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
