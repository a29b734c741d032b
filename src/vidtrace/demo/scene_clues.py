"""Hangs a series' sign and product barcode into its scene, before any shot is taken, so every
picture of the scene that frames them shows the same sign (and different series' signs differ).

Sizes are set for the camera original of the base shot: text at least ``BASE_TEXT_PX`` px on
pictures at least 1000 px wide, which Tesseract reads without rescaling. A generated room's
base shot squeezes the room horizontally more than vertically; its sign is pre-stretched by the
ratio, so that on the original the letters have their natural shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from vidtrace.demo.patterns import Rgb
from vidtrace.demo.sign_board import TYPEFACES, Board, draw_barcode_label, draw_sign
from vidtrace.demo.signs import ProductBarcode, Sign

BASE_TEXT_PX = 46  # font size of a sign's smaller lines on the base camera original
BARCODE_MODULE_PX = 3  # width of one bar module on the base camera original
_PAPERS: tuple[Rgb, ...] = (
    (250, 246, 228),
    (247, 247, 243),
    (252, 241, 196),
    (226, 238, 250),
    (229, 245, 229),
)
_INKS: tuple[Rgb, ...] = ((22, 22, 22), (20, 32, 92), (72, 36, 14), (14, 70, 36), (118, 22, 22))


@dataclass(frozen=True)
class Spot:
    """Where a board goes: its centre and top edge as fractions of the scene's width, height."""

    cx: float
    top: float


@dataclass(frozen=True)
class Scale:
    """How many pixels of the base original one pixel of the scene becomes, across and down."""

    x: float = 1.0
    y: float = 1.0


Rect = tuple[int, int, int, int]  # left, top, right, bottom in pixels of the scene


def hang(
    world: Image.Image, board: Image.Image, spot: Spot, stretch: float = 1.0
) -> tuple[Image.Image, Rect]:
    """``world`` with ``board`` (widened by ``stretch``) pasted at ``spot``, kept inside the
    scene, with a faint shadow; and where it went. The board is left sharp: Tesseract drops
    the spaces between the groups of a blurred phone number at this size."""
    if stretch != 1.0:
        size = (round(board.width * stretch), board.height)
        board = board.resize(size, Image.Resampling.LANCZOS)
    x = round(spot.cx * world.width - board.width / 2)
    x = min(max(x, 4), world.width - board.width - 4)
    y = min(max(round(spot.top * world.height), 4), world.height - board.height - 4)
    out = world.copy()
    shade = max(3, board.height // 40)
    shadow = Image.new("RGB", board.size, (0, 0, 0))
    out.paste(shadow, (x + shade, y + shade), Image.new("L", board.size, 70))
    out.paste(board, (x, y))
    return out, (x, y, x + board.width, y + board.height)


@dataclass(frozen=True)
class HungSign:
    board: Board
    rect: Rect


def plant_sign(
    world: Image.Image, sign: Sign, spot: Spot, scale: Scale, rng: np.random.Generator
) -> tuple[Image.Image, HungSign | None]:
    """Hang ``sign`` so that the base original shows its text at ``BASE_TEXT_PX``; returns the
    new scene and the board with where it hangs (None, and the scene unchanged, when no font
    can print it)."""
    paper = _PAPERS[int(rng.integers(len(_PAPERS)))]
    ink = _INKS[int(rng.integers(len(_INKS)))]
    typeface = TYPEFACES[int(rng.integers(len(TYPEFACES)))]
    text_px = math.ceil(BASE_TEXT_PX / scale.y)
    board = draw_sign(sign, text_px, paper, ink, typeface)
    if board is None:
        return world, None
    out, rect = hang(world, board.image, spot, stretch=scale.y / scale.x)
    return out, HungSign(board, rect)


def plant_barcode(
    world: Image.Image, barcode: ProductBarcode, spot: Spot, scale: Scale
) -> Image.Image:
    """Hang the product's barcode label with ``BARCODE_MODULE_PX`` px modules on the original."""
    module_px = math.ceil(BARCODE_MODULE_PX / scale.x)
    return hang(world, draw_barcode_label(barcode, module_px), spot)[0]
