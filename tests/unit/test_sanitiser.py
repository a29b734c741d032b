"""The crop sanitiser (publish/sanitiser.py): only pixels travel. Sources are generated pictures
carrying planted EXIF (camera make, model, serial, GPS), an ICC profile, XMP and a comment; the
published bytes are read back and searched for every one of them."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import piexif
import pytest
from PIL import Image, ImageCms

from tests.kit.evidence import exif_bytes, scene
from vidtrace.publish.crop_geometry import CropError, CropRegion, parse_region
from vidtrace.publish.object_text import ObjectTextError, object_text
from vidtrace.publish.sanitiser import (
    MAX_SIDE,
    SanitiseError,
    check_plain_webp,
    sanitise_file,
)

MAKE, MODEL, SERIAL = "PlantedMake-7731", "PlantedModel-X9", "SN-PLANTED-424242"
COMMENT = b"Planted comment: shot at Hillside Road 12"
XMP_MARK = "PlantedXmpCreator"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{XMP_MARK}</dc:creator>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()
GPS = (51.5072, -0.1276)
ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
WHOLE = parse_region("0,0,1,1")


def planted_exif(orientation: int = 1) -> bytes:
    return exif_bytes(make=MAKE, model=MODEL, serial=SERIAL, gps=GPS, orientation=orientation)


def gps_latitude_bytes() -> bytes:
    """The GPS latitude exactly as the planted EXIF stores it (three big-endian rationals)."""
    gps = piexif.load(planted_exif())["GPS"][piexif.GPSIFD.GPSLatitude]
    return b"".join(n.to_bytes(4, "big") + d.to_bytes(4, "big") for n, d in gps)


def write_source(path: Path, image: Image.Image, fmt: str, orientation: int = 1) -> Path:
    """``image`` saved as ``fmt`` with everything a camera or an editor could leave in it."""
    extra: dict[str, object] = {"exif": planted_exif(orientation), "icc_profile": ICC}
    if fmt == "JPEG":
        extra.update(xmp=XMP, comment=COMMENT, quality=92)
    elif fmt == "WEBP":
        extra.update(xmp=XMP, quality=92)
    image.save(path, fmt, **extra)
    return path


def riff_chunks(data: bytes) -> list[bytes]:
    """The RIFF chunk names of a WebP file, parsed here independently of the sanitiser."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert int.from_bytes(data[4:8], "little") == len(data) - 8
    names, at = [], 12
    while at < len(data):
        size = int.from_bytes(data[at + 4 : at + 8], "little")
        names.append(data[at : at + 4])
        at += 8 + size + (size & 1)
    assert at == len(data)
    return names


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB")).astype(int)


@pytest.mark.parametrize(("fmt", "suffix", "mime"), [
    ("JPEG", "jpg", "image/jpeg"),
    ("PNG", "png", "image/png"),
    ("WEBP", "webp", "image/webp"),
])  # fmt: skip
def test_nothing_but_pixels_reaches_the_published_file(
    tmp_path: Path, fmt: str, suffix: str, mime: str
) -> None:
    source = write_source(tmp_path / f"source.{suffix}", scene(7, 640, 480), fmt)
    original = source.read_bytes()
    with Image.open(source) as planted:  # the planting worked, so its absence means something
        assert "exif" in planted.info and "icc_profile" in planted.info
    assert MAKE.encode() in original

    crop = sanitise_file(source, mime, parse_region("0.1,0.1,0.6,0.6"), (640, 480))
    published = crop.webp

    chunks = riff_chunks(published)
    assert set(chunks) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}, chunks
    assert not {b"EXIF", b"XMP ", b"ICCP"} & set(chunks)
    with Image.open(io.BytesIO(published)) as image:
        assert image.format == "WEBP"
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(image.info)
        assert not image.getexif()
    for planted_text in (MAKE, MODEL, SERIAL, XMP_MARK, "Firmware 1.0.2", "2024:05:01"):
        assert planted_text.encode() not in published, planted_text
    assert COMMENT not in published and b"Exif" not in published
    assert gps_latitude_bytes() not in published
    assert ICC[:64] not in published and b"sRGB" not in published
    for digest in (hashlib.sha256(original), hashlib.md5(original)):
        assert digest.digest() not in published
        assert digest.hexdigest().encode() not in published
        assert digest.hexdigest().upper().encode() not in published
    assert crop.sha256 == hashlib.sha256(published).hexdigest() != hashlib.sha256(original)
    check_plain_webp(published)


def test_the_crop_is_cut_from_the_upright_picture(tmp_path: Path) -> None:
    """A phone stores pixels sideways with an orientation tag; the analyst marked the box on
    the picture shown upright, so the crop must come from the upright one."""
    upright = np.zeros((200, 300, 3), np.uint8)
    upright[:, :] = (0, 0, 255)
    upright[:100, :150] = (255, 0, 0)  # the top-left quarter is red
    stored = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)
    source = write_source(tmp_path / "sideways.jpg", stored, "JPEG", orientation=6)

    crop = sanitise_file(source, "image/jpeg", parse_region("0,0,0.5,0.5"), stored.size)

    red, green, blue = pixels(crop.webp)[20:80, 20:130].mean(axis=(0, 1))
    assert red > 200 and blue < 60 and green < 60
    assert (crop.width, crop.height) == (150, 100)


def test_size_is_bounded_and_tiny_boxes_are_refused(tmp_path: Path) -> None:
    big = write_source(tmp_path / "big.png", scene(3, 2400, 1600), "PNG")
    crop = sanitise_file(big, "image/png", WHOLE, (2400, 1600))
    assert (crop.width, crop.height) == (MAX_SIDE, 683)
    with pytest.raises(SanitiseError, match="too small"):
        sanitise_file(big, "image/png", parse_region("0.5,0.5,0.01,0.3"), (2400, 1600))


def test_a_small_box_on_a_large_photo_keeps_its_full_resolution(tmp_path: Path) -> None:
    """Large JPEGs are decoded at reduced scale only when the box still fills MAX_SIDE."""
    photo = write_source(tmp_path / "photo.jpg", scene(5, 4000, 3000), "JPEG")
    crop = sanitise_file(photo, "image/jpeg", parse_region("0.2,0.2,0.1,0.1"), (4000, 3000))
    assert (crop.width, crop.height) == (400, 300)
    whole = sanitise_file(photo, "image/jpeg", WHOLE, (4000, 3000))
    assert (whole.width, whole.height) == (MAX_SIDE, 768)


def detail(area: np.ndarray) -> float:
    """How much neighbouring pixels differ across the stripes: about 60 sharp, 0 blurred."""
    return float(np.abs(np.diff(area, axis=1)).mean())


def _striped(tmp_path: Path) -> Path:
    """Sharp black and white stripes: any blur shows as grey, a mask as flat grey."""
    stripes = np.zeros((400, 400, 3), np.uint8)
    stripes[:, ::8] = 255
    stripes[:, 1::8] = 255
    stripes[:, 2::8] = 255
    stripes[:, 3::8] = 255
    return write_source(tmp_path / "stripes.png", Image.fromarray(stripes), "PNG")


# A square polygon in the middle of the whole-picture box.
SQUARE = "0.3,0.3;0.7,0.3;0.7,0.7;0.3,0.7"


def test_mask_greys_everything_outside_the_polygon(tmp_path: Path) -> None:
    source = _striped(tmp_path)
    crop = sanitise_file(source, "image/png", parse_region("0,0,1,1", SQUARE, "mask"))
    out = pixels(crop.webp)
    corner = out[10:100, 10:100]
    assert abs(corner.mean() - 128) < 4 and corner.std() < 4
    middle = out[180:220, 180:220]
    assert middle.std() > 80  # the stripes are still there


def test_blur_destroys_detail_outside_the_polygon_only(tmp_path: Path) -> None:
    source = _striped(tmp_path)
    crop = sanitise_file(source, "image/png", parse_region("0,0,1,1", SQUARE, "blur"))
    out = pixels(crop.webp)
    assert detail(out[10:100, 10:100]) < 2  # stripes 4 pixels wide are gone
    assert detail(out[180:220, 180:220]) > 40
    kept = sanitise_file(source, "image/png", parse_region("0,0,1,1", SQUARE, "keep"))
    assert detail(pixels(kept.webp)[10:100, 10:100]) > 40


def test_a_polygon_that_keeps_nothing_is_refused(tmp_path: Path) -> None:
    source = _striped(tmp_path)
    flat = parse_region("0,0,1,1", "0.5,0.5;0.6,0.5;0.55,0.5", "mask")
    with pytest.raises(SanitiseError, match="polygon"):
        sanitise_file(source, "image/png", flat)


def test_a_file_that_is_not_a_picture_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg" * 10)
    with pytest.raises(SanitiseError, match="cannot be decoded"):
        sanitise_file(junk, "image/jpeg", WHOLE)


def test_metadata_chunks_are_refused_by_the_final_check() -> None:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 20, 30)).save(out, "WEBP", exif=planted_exif())
    with pytest.raises(SanitiseError, match=r"EXIF|metadata"):
        check_plain_webp(out.getvalue())


@pytest.mark.parametrize(("box", "polygon", "outside", "message"), [
    ("", "", "keep", "drag a box"),
    ("0.1,0.1,0.5", "", "keep", "x,y,width,height"),
    ("a,b,c,d", "", "keep", "numbers"),
    ("0.1,0.1,0,0.5", "", "keep", "have a size"),
    ("0.6,0.1,0.5,0.5", "", "keep", "past the edge"),
    ("nan,0,0.5,0.5", "", "keep", "four numbers"),
    ("0,0,1,1", "0.1,0.1;0.2,0.2", "blur", "3 to"),
    ("0,0,1,1", "0.1,0.1;0.2;0.3,0.3", "blur", "x,y"),
    ("0,0,1,1", "0.1,0.1;0.2,0.2;1.5,0.3", "blur", "0 to 1"),
    ("0,0,1,1", "", "smudge", "keep, blur, mask"),
])  # fmt: skip
def test_bad_regions_are_refused_with_a_reason(
    box: str, polygon: str, outside: str, message: str
) -> None:
    with pytest.raises(CropError, match=message):
        parse_region(box, polygon, outside)


def test_a_region_reads_the_viewers_fields() -> None:
    region = parse_region("0.1,0.2,0.3,0.4", "0.1,0.2 0.4,0.2;0.25,0.6", "mask")
    assert region == CropRegion((0.1, 0.2, 0.3, 0.4), ((0.1, 0.2), (0.4, 0.2), (0.25, 0.6)), "mask")
    assert region.masks_outside
    assert not parse_region("0,0,1,1", "", "").masks_outside


def test_public_text_is_checked() -> None:
    text = object_text(
        "  A  red bag ", " From a shop \r\n", "Where is this sold?\n\n Who makes it? ", "Clothing"
    )
    assert text.title == "A red bag" and text.description == "From a shop"
    assert text.questions == ("Where is this sold?", "Who makes it?")
    assert text.category == "clothing"
    with pytest.raises(ObjectTextError, match="title"):
        object_text("   ", "", "", "toys")
    with pytest.raises(ObjectTextError, match="category"):
        object_text("A bag", "", "", "weapons")
    with pytest.raises(ObjectTextError, match="at most 10"):
        object_text("A bag", "", "\n".join(f"q{i}?" for i in range(11)), "toys")
