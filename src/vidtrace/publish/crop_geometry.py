"""The region an analyst marks for Trace an Object: a box, an optional polygon inside it, and
what happens outside the polygon. All coordinates are fractions of the upright picture's width
and height, as the viewer's box tool records them, so they hold at any resolution."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

OUTSIDE_MODES = ("keep", "blur", "mask")
MAX_POINTS = 200  # far more than anyone clicks; bounds the work a hostile form can ask for
SEPARATORS = re.compile(r"[;\s]+")

Point = tuple[float, float]


class CropError(ValueError):
    """The marked region cannot be used; the message says why, for the analyst."""


@dataclass(frozen=True)
class CropRegion:
    box: tuple[float, float, float, float]  # x, y, width, height
    polygon: tuple[Point, ...] | None = None
    outside: str = "keep"  # keep | blur | mask: what the sanitiser does outside the polygon

    def __post_init__(self) -> None:
        if self.outside not in OUTSIDE_MODES:
            raise CropError(f"outside the polygon: one of {', '.join(OUTSIDE_MODES)}")
        x, y, width, height = self.box
        if not all(math.isfinite(v) for v in self.box):
            raise CropError("the box must be four numbers")
        if not (0 <= x < 1 and 0 <= y < 1 and width > 0 and height > 0):
            raise CropError("the box must lie on the picture and have a size: drag one")
        if x + width > 1 + 1e-6 or y + height > 1 + 1e-6:
            raise CropError("the box reaches past the edge of the picture")
        if self.polygon is not None:
            if not 3 <= len(self.polygon) <= MAX_POINTS:
                raise CropError(f"a polygon has 3 to {MAX_POINTS} points")
            for px, py in self.polygon:
                if not (math.isfinite(px) and math.isfinite(py) and 0 <= px <= 1 and 0 <= py <= 1):
                    raise CropError("polygon points are fractions of the picture, 0 to 1")

    @property
    def masks_outside(self) -> bool:
        """Whether anything of the box is blurred or masked."""
        return self.polygon is not None and self.outside != "keep"


def _numbers(text: str, what: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise CropError(f"{what}: numbers separated by commas, not {text[:40]!r}") from None


def parse_region(box: str, polygon: str = "", outside: str = "keep") -> CropRegion:
    """The region from the viewer's form fields: ``box`` "x,y,w,h"; ``polygon`` "x,y;x,y;..."
    (spaces also separate points; empty for none); ``outside`` keep, blur or mask."""
    if not box.strip():
        raise CropError("drag a box over the picture first")
    values = _numbers(box.strip(), "the box")
    if len(values) != 4:
        raise CropError("the box is x,y,width,height")
    points = None
    pieces = [p for p in SEPARATORS.split(polygon.strip()) if p]
    if pieces:
        if len(pieces) > MAX_POINTS:
            raise CropError(f"a polygon has 3 to {MAX_POINTS} points")
        pairs = [_numbers(p, "a polygon point") for p in pieces]
        if any(len(pair) != 2 for pair in pairs):
            raise CropError("each polygon point is x,y")
        points = tuple((pair[0], pair[1]) for pair in pairs)
    x, y, width, height = values
    return CropRegion((x, y, width, height), points, outside.strip() or "keep")


def box_in_pixels(region: CropRegion, width: int, height: int) -> tuple[int, int, int, int]:
    """The box on a ``width`` x ``height`` picture: left, top, right, bottom (exclusive)."""
    x, y, w, h = region.box
    left, top = round(x * width), round(y * height)
    right = min(width, round((x + w) * width))
    bottom = min(height, round((y + h) * height))
    return left, top, right, bottom


def polygon_on_crop(region: CropRegion, size: tuple[int, int]) -> list[Point]:
    """The polygon's points on the cropped (and possibly scaled) box of ``size`` pixels."""
    assert region.polygon is not None
    x, y, w, h = region.box
    out_w, out_h = size
    return [((px - x) / w * out_w, (py - y) / h * out_h) for px, py in region.polygon]
