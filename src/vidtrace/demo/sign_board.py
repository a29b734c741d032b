"""Draws the demo's signs and barcode labels: dark text on a light board, large enough for OCR.

Text is set in DejaVu Sans (Debian's ``fonts-dejavu-core``, which CI installs): it has Latin,
Cyrillic and Greek. Where it is missing, Latin signs fall back to Pillow's bundled font, which
has no accented letters, so they are printed without accents (as cheap signs often are); a sign
that still has letters the font lacks is left out rather than drawn with empty boxes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from vidtrace.demo.patterns import Rgb
from vidtrace.demo.signs import ProductBarcode, Sign

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
TYPEFACES = ("DejaVuSans", "DejaVuSerif")  # both in fonts-dejavu-core
_UNASSIGNED = "\U000f0000"  # a private-use code point no font here draws: its .notdef glyph
NAME_SCALE = 1.25  # the shop's name is set larger than the other lines
PAD, GAP, FRAME = 1.0, 0.45, 0.1  # margin, line gap and frame, as fractions of the text size


@dataclass(frozen=True)
class Board:
    """A drawn sign and the lines really printed on it (accents may have been dropped)."""

    image: Image.Image
    lines: tuple[str, ...]
    text_px: int  # the font size of the smaller lines


@lru_cache(maxsize=32)
def sign_font(
    size: int, bold: bool = False, typeface: str = TYPEFACES[0]
) -> ImageFont.FreeTypeFont | None:
    """A DejaVu typeface at ``size`` px, else Pillow's bundled scalable font, else None."""
    path = DEJAVU / f"{typeface}{'-Bold' if bold else ''}.ttf"
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    fallback = ImageFont.load_default(size=size)
    return fallback if isinstance(fallback, ImageFont.FreeTypeFont) else None


def covers(font: ImageFont.FreeTypeFont, text: str) -> bool:
    """Whether ``font`` has a glyph for every visible character of ``text``."""
    missing = font.getmask(_UNASSIGNED)
    for char in set(text):
        if char.isspace():
            continue
        mask = font.getmask(char)
        if mask.size == missing.size and bytes(mask) == bytes(missing):
            return False
    return True


def _without_accents(line: str) -> str:
    decomposed = unicodedata.normalize("NFKD", line)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _printable(
    lines: tuple[str, ...], fonts: list[ImageFont.FreeTypeFont]
) -> tuple[str, ...] | None:
    for candidate in (lines, tuple(_without_accents(line) for line in lines)):
        if all(covers(font, "".join(candidate)) for font in fonts):
            return candidate
    return None


def draw_sign(
    sign: Sign, text_px: int, paper: Rgb, ink: Rgb, typeface: str = TYPEFACES[0]
) -> Board | None:
    """The sign as a board: the name large and bold, the phone number bold, the other lines
    regular, all left-aligned. (Measured: Tesseract reads a phone number in DejaVu Sans Bold at
    46 px every time, in the regular weight only two times in three; domains read better in the
    regular weight.) None when no font here can print it; the ground truth then has no sign."""
    name_font = sign_font(round(text_px * NAME_SCALE), True, typeface)
    bold_font = sign_font(text_px, True, typeface)
    body_font = sign_font(text_px, False, typeface)
    if name_font is None or bold_font is None or body_font is None:
        return None
    lines = _printable(sign.lines, [name_font, bold_font, body_font])
    if lines is None:
        return None
    fonts = [name_font] + [
        bold_font if sign.phone and sign.phone in line else body_font for line in lines[1:]
    ]
    boxes = [
        tuple(round(v) for v in font.getbbox(line)) for font, line in zip(fonts, lines, strict=True)
    ]
    pad, gap = round(text_px * PAD), round(text_px * GAP)
    width = max(right - left for left, _, right, _ in boxes) + 2 * pad
    height = sum(bottom - top for _, top, _, bottom in boxes) + gap * (len(lines) - 1) + 2 * pad
    board = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(board)
    frame = max(3, round(text_px * FRAME))
    draw.rectangle((0, 0, width - 1, height - 1), outline=ink, width=frame)
    y = pad
    for font, line, (left, top, _, bottom) in zip(fonts, lines, boxes, strict=True):
        draw.text((pad - left, y - top), line, font=font, fill=ink)
        y += bottom - top + gap
    return Board(board, lines, text_px)


def draw_barcode_label(barcode: ProductBarcode, module_px: int) -> Image.Image:
    """A white label with the EAN-13 (``module_px`` pixels per bar module, quiet zones kept)
    and its digits underneath when a font can print them."""
    symbol = zxingcpp.create_barcode(barcode.digits, zxingcpp.BarcodeFormat.EAN13)
    bars = Image.fromarray(np.asarray(symbol.to_image(scale=module_px)), "L").convert("RGB")
    font = sign_font(module_px * 8)
    caption = 0 if font is None else module_px * 11
    label = Image.new("RGB", (bars.width, bars.height + caption), (255, 255, 255))
    label.paste(bars, (0, 0))
    if font is not None:
        draw = ImageDraw.Draw(label)
        left, top, right, _ = font.getbbox(barcode.digits)
        x = (label.width - (right - left)) // 2 - left
        draw.text((x, bars.height - top), barcode.digits, font=font, fill=(0, 0, 0))
    return label
