"""PDQ from reduced decodes: agrees with reference hashes and with full-resolution hashing."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import skimage.data
from PIL import Image

from tests.kit.signal_kit import SignalContract, photo, save
from vidtrace.config import Limits
from vidtrace.signals.base import ReducedImage
from vidtrace.signals.image_decode import decode_reduced
from vidtrace.signals.pdq import PdqSignal, hamming, pdq_hash

IMAGE_SUFFIXES = {".jpg", ".png", ".webp"}
# ThreatExchange's C++ pdq-photo-hasher on the EXIF-rotated phone photos (pdq/mysql README):
# hashes of the stored pixels. With the EXIF orientation applied, 3/6/8 are ~130 bits away.
CPP_EXIF_ROTN = {
    "exif-rotn-1.jpg": "f439d924da56a1d4c63973a56acfc926cd53d9341b18367d318666cf9b142649",
    "exif-rotn-3.jpg": "3acfa3cfab36b95e39cfa0023946790af441f1417d850401f7616005ffc17ff2",
    "exif-rotn-6.jpg": "e9782aad54ae0b6365315ac278592d68d4b5434a5fcd7471f7abcb594b481a94",
    "exif-rotn-8.jpg": "6b507c23b4adb07ec2fe2b4db52038b15e0c970fcaf3f049058ae8687bf9251e",
}
SIGNAL = PdqSignal()


def reduced_hash(path: Path) -> str:
    return SIGNAL.compute(decode_reduced(path, "image/x", Limits())).hex


def full_resolution_hash(path: Path) -> str:
    with Image.open(path) as image:
        pixels = np.asarray(image.convert("RGB"))
    return pdq_hash(pixels, pixels.shape[1], pixels.shape[0]).hex


class TestPdqSignal(SignalContract):
    signal = SIGNAL

    @pytest.fixture
    def sample_input(self, tmp_path: Path) -> ReducedImage:
        return decode_reduced(save(photo(1200, 800), tmp_path / "p.jpg"), "image/jpeg", Limits())


def test_hash_shape_and_dihedral_identity_first(tmp_path: Path) -> None:
    value = SIGNAL.compute(decode_reduced(save(photo(640, 480), tmp_path / "p.png"), "x", Limits()))
    assert len(value.hex) == 64 and int(value.hex, 16) >= 0
    assert len(value.dihedral) == 8 and value.dihedral[0] == value.hex
    assert len(set(value.dihedral)) == 8
    assert 0 <= value.quality <= 100


def test_distance_is_hamming_on_hex() -> None:
    zero, ones = "0" * 64, "f" * 64
    assert SIGNAL.distance(zero, ones) == 256
    assert SIGNAL.distance(zero, "0" * 63 + "3") == 2
    with pytest.raises(ValueError):
        hamming(zero, "abc")


def test_within_16_bits_of_reference_hashes(shared_data: Path) -> None:
    root = shared_data / "pdq"
    rows = list(csv.DictReader((root / "expected-pdq.csv").open()))
    assert len(rows) >= 15
    for row in rows:
        ours = reduced_hash(root / row["path"])
        assert hamming(ours, row["pdq_hex"]) <= 16, row["path"]


def test_reduced_route_within_10_bits_of_full_resolution(shared_data: Path) -> None:
    paths = sorted(p for p in (shared_data / "pdq").rglob("*") if p.suffix in IMAGE_SUFFIXES)
    assert len(paths) >= 40
    for path in paths:
        assert hamming(reduced_hash(path), full_resolution_hash(path)) <= 10, path.name


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea", "rocket"])
@pytest.mark.parametrize("fmt", ["jpg", "png"])
def test_reduced_route_on_generated_sizes(tmp_path: Path, name: str, fmt: str) -> None:
    # Smooth photos (coffee) moved by up to 20 bits when pdqhash ran on the reduced pixels.
    source = Image.fromarray(getattr(skimage.data, name)())
    big = source.resize((source.width * 5 // 2, source.height * 5 // 2), Image.Resampling.BICUBIC)
    path = save(big, tmp_path / f"big.{fmt}")
    assert hamming(reduced_hash(path), full_resolution_hash(path)) <= 8


def test_exif_rotated_photos_hash_their_stored_pixels(shared_data: Path) -> None:
    for name, reference in CPP_EXIF_ROTN.items():
        reduced = decode_reduced(shared_data / "pdq/reg-test-input/exif-rotn" / name, "x", Limits())
        assert hamming(SIGNAL.compute(reduced).hex, reference) <= 10, name


def test_rotated_and_flipped_copies_match_a_dihedral_variant(shared_data: Path) -> None:
    folder = shared_data / "pdq/reg-test-input/dih"
    original = SIGNAL.compute(decode_reduced(folder / "bridge-1-original.jpg", "x", Limits()))
    for position, path in enumerate(sorted(folder.glob("bridge-*.jpg"))):
        copy = reduced_hash(path)
        assert min(hamming(copy, variant) for variant in original.dihedral) <= 10, path.name
        # pdqhash's variant order is the order of the reference file names.
        assert hamming(copy, original.dihedral[position]) <= 10, path.name


@pytest.mark.parametrize("transpose", list(Image.Transpose))
def test_generated_rotations_match_a_dihedral_variant(
    tmp_path: Path, transpose: Image.Transpose
) -> None:
    image = photo(900, 600, seed=3)
    original = SIGNAL.compute(decode_reduced(save(image, tmp_path / "a.png"), "x", Limits()))
    turned = save(image.transpose(transpose), tmp_path / "b.png")
    copy = reduced_hash(turned)
    assert hamming(copy, original.hex) > 31 or transpose is Image.Transpose.ROTATE_180
    assert min(hamming(copy, variant) for variant in original.dihedral) <= 10
