"""sniff(): the kind and MIME type of real files, from their first bytes only."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import cast

import av
import numpy as np
import pytest
from PIL import Image

from vidtrace.domain.media import MediaKind
from vidtrace.ingest.sniff import HEADER_BYTES, UNKNOWN, sniff


def _image(fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


def _heic() -> bytes:
    import pillow_heif

    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (32, 24), (10, 200, 30))).save(out, quality=50)
    return out.getvalue()


def _video(fmt: str, codec: str, size: tuple[int, int] = (176, 144)) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format=fmt) as container:
        stream = cast(av.VideoStream, container.add_stream(codec, rate=25))
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        black = np.zeros((size[1], size[0], 3), dtype=np.uint8)
        for _ in range(3):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(black, format="rgb24")))
        container.mux(stream.encode())
    return out.getvalue()


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + b"\x00\x00\x00\x08free"


def _zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in names:
            zf.writestr(name, b"hello")
    return out.getvalue()


def _tar(fmt: int = tarfile.PAX_FORMAT) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as tf:
        info = tarfile.TarInfo("a.txt")
        info.size = 5
        tf.addfile(info, io.BytesIO(b"hello"))
    return out.getvalue()


def _v7_tar() -> bytes:
    """A USTAR header with the magic wiped and its checksum recomputed: an old V7 tar."""
    block = bytearray(_tar(tarfile.USTAR_FORMAT)[:512])
    block[257:265] = b"\x00" * 8
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\x00 " % sum(block)
    return bytes(block) + b"hello".ljust(512, b"\x00") + b"\x00" * 1024


IMAGES = {
    "jpeg": (lambda: _image("JPEG"), "image/jpeg"),
    "png": (lambda: _image("PNG"), "image/png"),
    "gif": (lambda: _image("GIF"), "image/gif"),
    "bmp": (lambda: _image("BMP"), "image/bmp"),
    "tiff-le": (lambda: _image("TIFF"), "image/tiff"),
    "tiff-be": (lambda: b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 64, "image/tiff"),
    "webp": (lambda: _image("WEBP"), "image/webp"),
    "avif": (lambda: _image("AVIF"), "image/avif"),
    "heic": (_heic, "image/heic"),
    "jxl-container": (lambda: b"\x00\x00\x00\x0cJXL \r\n\x87\n" + _ftyp(b"jxl "), "image/jxl"),
    "jxl-codestream": (lambda: b"\xff\x0a\xfa\x7f" + b"\x00" * 32, "image/jxl"),
}

VIDEOS = {
    "mp4": (lambda: _video("mp4", "mpeg4"), "video/mp4"),
    "m4v": (lambda: _video("ipod", "mpeg4"), "video/x-m4v"),
    "mov": (lambda: _video("mov", "mpeg4"), "video/quicktime"),
    "3gp": (lambda: _video("3gp", "h263"), "video/3gpp"),
    "3g2": (lambda: _video("3g2", "h263"), "video/3gpp2"),
    "avi": (lambda: _video("avi", "mpeg4"), "video/x-msvideo"),
    "mkv": (lambda: _video("matroska", "mpeg4"), "video/x-matroska"),
    "webm": (lambda: _video("webm", "libvpx"), "video/webm"),
    "flv": (lambda: _video("flv", "flv"), "video/x-flv"),
    "asf": (lambda: _video("asf", "mpeg4"), "video/x-ms-asf"),
    "mpeg-ts": (lambda: _video("mpegts", "mpeg2video"), "video/mp2t"),
    "mpeg-ps": (lambda: _video("mpeg", "mpeg1video"), "video/mpeg"),
}

ARCHIVES = {
    "zip": (lambda: _zip("a.txt"), "application/zip"),
    "zip-empty": (lambda: _zip(), "application/zip"),
    "tar-pax": (_tar, "application/x-tar"),
    "tar-gnu": (lambda: _tar(tarfile.GNU_FORMAT), "application/x-tar"),
    "tar-v7": (_v7_tar, "application/x-tar"),
    "gzip": (lambda: gzip.compress(b"hello"), "application/gzip"),
    "tar-gz": (lambda: gzip.compress(_tar()), "application/gzip"),
    "bzip2": (lambda: bz2.compress(b"hello"), "application/x-bzip2"),
    "xz": (lambda: lzma.compress(b"hello"), "application/x-xz"),
}


def _cases(table: dict[str, tuple[Callable[[], bytes], str]], kind: MediaKind) -> list[object]:
    return [pytest.param(make, kind, mime, id=name) for name, (make, mime) in table.items()]


@pytest.mark.parametrize(
    ("make", "kind", "mime"),
    _cases(IMAGES, MediaKind.IMAGE)
    + _cases(VIDEOS, MediaKind.VIDEO)
    + _cases(ARCHIVES, MediaKind.ARCHIVE),
)
def test_real_files_are_recognised(make: Callable[[], bytes], kind: MediaKind, mime: str) -> None:
    assert sniff(make()[:HEADER_BYTES]) == (kind, mime)


@pytest.mark.parametrize(
    ("header", "mime"),
    [
        pytest.param(_ftyp(b"mif1", b"mif1", b"avif", b"miaf"), "image/avif", id="mif1+avif"),
        pytest.param(_ftyp(b"mif1", b"mif1", b"heic"), "image/heic", id="mif1+heic"),
        pytest.param(_ftyp(b"mif1", b"mif1", b"miaf"), "image/heif", id="mif1-only"),
        pytest.param(_ftyp(b"msf1", b"msf1", b"hevc"), "image/heic", id="heif-sequence"),
        pytest.param(_ftyp(b"avis", b"avis", b"msf1"), "image/avif", id="avif-sequence"),
        pytest.param(_ftyp(b"heix", b"mif1"), "image/heic", id="heix"),
    ],
)
def test_heif_family_is_told_apart_by_brands(header: bytes, mime: str) -> None:
    assert sniff(header) == (MediaKind.IMAGE, mime)


@pytest.mark.parametrize(
    ("header", "mime"),
    [
        pytest.param(_ftyp(b"isom", b"isom", b"mp41"), "video/mp4", id="isom"),
        pytest.param(_ftyp(b"mp42", b"mp42", b"isom"), "video/mp4", id="mp42"),
        pytest.param(_ftyp(b"3gp5", b"3gp5", b"isom"), "video/3gpp", id="3gp5"),
        pytest.param(_ftyp(b"qt  ", b"qt  "), "video/quicktime", id="qt"),
    ],
)
def test_iso_bmff_videos(header: bytes, mime: str) -> None:
    assert sniff(header) == (MediaKind.VIDEO, mime)


def test_quicktime_without_ftyp_starts_with_an_atom() -> None:
    mov = _video("mov", "mpeg4")
    ftyp_size = struct.unpack(">I", mov[:4])[0]
    assert sniff(mov[ftyp_size:]) == (MediaKind.VIDEO, "video/quicktime")  # "wide" atom first
    moov_first = struct.pack(">I", 108) + b"moov" + struct.pack(">I", 100) + b"mvhd"
    assert sniff(moov_first) == (MediaKind.VIDEO, "video/quicktime")


def test_matroska_without_doctype_is_matroska() -> None:
    assert sniff(b"\x1a\x45\xdf\xa3\x80" + b"\x00" * 16) == (MediaKind.VIDEO, "video/x-matroska")


@pytest.mark.parametrize(
    ("header", "mime"),
    [
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf", id="pdf"),
        pytest.param(b"SQLite format 3\x00" + b"\x00" * 84, "application/vnd.sqlite3", id="sqlite"),
        pytest.param(b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav", id="wav"),
    ],
)
def test_common_other_files_get_a_mime(header: bytes, mime: str) -> None:
    assert sniff(header) == (MediaKind.OTHER, mime)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"BM", id="two-bytes"),
        pytest.param(b"hello, world\n" * 10, id="text"),
        pytest.param(b"BMx" + b"\x00" * 40, id="bm-text"),
        pytest.param(b"RIFF\x24\x00\x00\x00XXXX", id="riff-unknown"),
        pytest.param(b"G" + b"\x00" * 400, id="lone-ts-sync"),
    ],
)
def test_unknown_bytes_are_octet_stream(header: bytes) -> None:
    assert sniff(header) == UNKNOWN == (MediaKind.OTHER, "application/octet-stream")


def test_names_do_not_matter(tmp_path: Path) -> None:
    disguised = tmp_path / "holiday.jpg"
    disguised.write_bytes(_zip("a.txt"))
    assert sniff(disguised.read_bytes()[:HEADER_BYTES]) == (MediaKind.ARCHIVE, "application/zip")


@pytest.mark.parametrize("folder", ["heic", "avif", "jxl"])
def test_shared_camera_samples(shared_data: Path, folder: str) -> None:
    files = sorted((shared_data / "exif" / "exif-py" / folder).rglob("*.*"))
    assert files
    for path in files:
        with path.open("rb") as fp:
            assert sniff(fp.read(HEADER_BYTES)) == (MediaKind.IMAGE, f"image/{folder}"), path
