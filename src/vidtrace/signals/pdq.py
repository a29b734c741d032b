"""PDQ: Meta's 256-bit perceptual hash for photos, with its 8 dihedral variants.

Hashes are computed on the stored pixels, EXIF orientation NOT applied: that is how the
reference tools hash (ThreatExchange's pdq-photo-hasher gives the EXIF-rotated phone photos of
its test set the hashes of their unrotated pixels), so hashes stay comparable with shared lists.
A rotated copy is still found through the dihedral variants.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import numpy.typing as npt
import pdqhash

from vidtrace.domain.media import PdqHash
from vidtrace.signals.base import ImageSignal, ReducedImage, signals
from vidtrace.signals.pdq_downscale import grid_as_rgb, pdq_grid

HEX_LENGTH = 64
# pdqhash's order: identity, rotations (counter-clockwise), flips.
DIHEDRAL_NAMES = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flipx",
    "flipy",
    "flipplus1",
    "flipminus1",
)


def bits_to_hex(bits: npt.NDArray[np.integer]) -> str:
    """pdqhash's bit vector (most significant bit first) as the usual 64 hex characters."""
    return np.packbits(bits.astype(np.uint8)).tobytes().hex()


def hamming(a: str, b: str) -> int:
    """Bits that differ between two PDQ hex hashes."""
    if len(a) != HEX_LENGTH or len(b) != HEX_LENGTH:
        raise ValueError("a PDQ hash is 64 hex characters")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def pdq_input(
    pixels: npt.NDArray[np.uint8], full_width: int, full_height: int
) -> npt.NDArray[np.uint8]:
    """What pdqhash should hash for ``pixels``, a reduced copy of a full_width x full_height
    original: the pixels themselves if they are the original, else PDQ's 64x64 buffer of it."""
    rows, cols = pixels.shape[:2]
    if (cols, rows) == (full_width, full_height):
        return np.ascontiguousarray(pixels)
    return grid_as_rgb(pdq_grid(pixels, full_width, full_height))


def pdq_hash(pixels: npt.NDArray[np.uint8], full_width: int, full_height: int) -> PdqHash:
    """PDQ hash, quality and dihedral variants of the original that ``pixels`` was reduced from."""
    variants, quality = pdqhash.compute_dihedral(pdq_input(pixels, full_width, full_height))
    dihedral = tuple(bits_to_hex(bits) for bits in variants)
    return PdqHash(hex=dihedral[0], quality=int(quality), dihedral=dihedral)


class PdqSignal(ImageSignal):
    name = "pdq"
    version = 1
    facts_field = "pdq"
    # Meta's recommended match threshold for PDQ.
    max_match_distance: ClassVar[int] = 31

    def compute(self, image: ReducedImage) -> PdqHash:
        rgb = image.image if image.image.mode == "RGB" else image.image.convert("RGB")
        pixels = np.asarray(rgb, dtype=np.uint8)
        return pdq_hash(pixels, image.width, image.height)

    def distance(self, a: str, b: str) -> int:
        return hamming(a, b)


signals.register(PdqSignal)
