"""What a file is, from its first bytes only (magic numbers), never from its name.

``sniff(header)`` takes the first 4096 bytes (or the whole file when shorter) and returns the
media kind and a MIME type. The archive layer (``sources.archive.find_format``) decides whether
an ARCHIVE is one it can open: a gzip stream may hold a tar or a single file.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from vidtrace.domain.media import MediaKind

HEADER_BYTES = 4096  # how many leading bytes callers should pass
UNKNOWN = (MediaKind.OTHER, "application/octet-stream")

Sniffed = tuple[MediaKind, str]
_I, _V, _A, _O = MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.ARCHIVE, MediaKind.OTHER

# (all of these (offset, bytes) must match, kind, mime); first match wins, so order matters.
_SIGNATURES: tuple[tuple[tuple[tuple[int, bytes], ...], MediaKind, str], ...] = (
    (((0, b"\xff\xd8\xff"),), _I, "image/jpeg"),
    (((0, b"\x89PNG\r\n\x1a\n"),), _I, "image/png"),
    (((0, b"GIF87a"),), _I, "image/gif"),
    (((0, b"GIF89a"),), _I, "image/gif"),
    (((0, b"II*\x00"),), _I, "image/tiff"),
    (((0, b"MM\x00*"),), _I, "image/tiff"),
    (((0, b"II+\x00"),), _I, "image/tiff"),  # BigTIFF
    (((0, b"MM\x00+"),), _I, "image/tiff"),
    (((0, b"RIFF"), (8, b"WEBP")), _I, "image/webp"),
    (((0, b"\xff\x0a"),), _I, "image/jxl"),  # bare JPEG XL codestream
    (((0, b"\x00\x00\x00\x0cJXL \r\n\x87\n"),), _I, "image/jxl"),  # JPEG XL container
    (((0, b"RIFF"), (8, b"AVI ")), _V, "video/x-msvideo"),
    (((0, b"FLV\x01"),), _V, "video/x-flv"),
    (((0, b"0&\xb2u\x8ef\xcf\x11\xa6\xd9\x00\xaa\x00b\xcel"),), _V, "video/x-ms-asf"),
    (((0, b"\x00\x00\x01\xba"),), _V, "video/mpeg"),  # MPEG program stream (.mpg, .vob)
    (((0, b"PK\x03\x04"),), _A, "application/zip"),
    (((0, b"PK\x05\x06"),), _A, "application/zip"),  # empty zip: only the end record
    (((257, b"ustar"),), _A, "application/x-tar"),
    (((0, b"\x1f\x8b"),), _A, "application/gzip"),
    (((0, b"\xfd7zXZ\x00"),), _A, "application/x-xz"),
    (((0, b"7z\xbc\xaf\x27\x1c"),), _A, "application/x-7z-compressed"),
    (((0, b"Rar!\x1a\x07"),), _A, "application/vnd.rar"),
    (((0, b"%PDF-"),), _O, "application/pdf"),
    (((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),), _O, "application/x-ole-storage"),
    (((0, b"SQLite format 3\x00"),), _O, "application/vnd.sqlite3"),
    (((0, b"\x7fELF"),), _O, "application/x-elf"),
    (((0, b"MZ"),), _O, "application/vnd.microsoft.portable-executable"),
    (((0, b"RIFF"), (8, b"WAVE")), _O, "audio/wav"),
    (((0, b"ID3"),), _O, "audio/mpeg"),
    (((0, b"OggS"),), _O, "application/ogg"),
    (((0, b"fLaC"),), _O, "audio/flac"),
)

_AVIF_BRANDS = {b"avif", b"avis"}
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1", b"mif2"}
_MOV_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def _ftyp_brands(header: bytes) -> list[bytes]:
    """Major brand then compatible brands of an ISO BMFF ``ftyp`` box, or [] if there is none."""
    if len(header) < 16 or header[4:8] != b"ftyp":
        return []
    size = min(struct.unpack(">I", header[:4])[0], len(header))
    if size < 16:
        return []
    return [header[8:12]] + [header[i : i + 4] for i in range(16, size - 3, 4)]


def _iso_bmff(header: bytes) -> Sniffed | None:
    brands = _ftyp_brands(header)
    if not brands:
        return None
    major, found = brands[0], set(brands)
    # HEIF is a container: the image codec brand (avif vs heic) decides, wherever it is listed.
    if major in _AVIF_BRANDS or (major not in _HEIC_BRANDS and found & _AVIF_BRANDS):
        return _I, "image/avif"
    if major in _HEIC_BRANDS or found & _HEIC_BRANDS:
        return _I, "image/heic"
    if major in _HEIF_BRANDS or found & _HEIF_BRANDS:
        return _I, "image/heif"
    if major == b"qt  ":
        return _V, "video/quicktime"
    if major.startswith(b"3g2"):
        return _V, "video/3gpp2"
    if major.startswith((b"3gp", b"3ge", b"3gg")):
        return _V, "video/3gpp"
    if major.startswith(b"M4V"):
        return _V, "video/x-m4v"
    if major in {b"M4A ", b"M4B ", b"M4P "}:
        return _O, "audio/mp4"
    if major == b"crx ":
        return _I, "image/x-canon-cr3"
    if b"qt  " in found:
        return _V, "video/quicktime"
    return _V, "video/mp4"  # isom, iso2..iso9, mp41, mp42, avc1, dash, MSNV and other MP4 brands


def _quicktime_atoms(header: bytes) -> Sniffed | None:
    """Old QuickTime files start with a movie atom instead of ``ftyp``."""
    if len(header) < 8 or header[4:8] not in _MOV_ATOMS:
        return None
    size = struct.unpack(">I", header[:4])[0]
    return (_V, "video/quicktime") if size in (0, 1) or size >= 8 else None


def _read_vint(data: bytes, pos: int) -> tuple[int, int] | None:
    """An EBML variable-length integer at ``pos``: (value, length) or None."""
    if pos >= len(data) or data[pos] == 0:
        return None
    first = data[pos]
    length = 8 - first.bit_length() + 1
    if pos + length > len(data):
        return None
    value = first & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    return value, length


def _ebml(header: bytes) -> Sniffed | None:
    if not header.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    at = header.find(b"\x42\x82", 4, 256)  # the DocType element sits in the EBML header
    size = _read_vint(header, at + 2) if at > 0 else None
    if size is not None:
        doctype = header[at + 2 + size[1] : at + 2 + size[1] + size[0]].rstrip(b"\x00")
        if doctype == b"webm":
            return _V, "video/webm"
    return _V, "video/x-matroska"


def _mpeg_ts(header: bytes) -> Sniffed | None:
    for start, step in ((0, 188), (4, 192)):  # plain TS, and M2TS with a 4-byte timecode
        packets = (len(header) - start + step - 1) // step  # every sync byte the header holds
        if packets >= 3 and all(header[start + i * step] == 0x47 for i in range(packets)):
            return _V, "video/mp2t"
    return None


def _bmp(header: bytes) -> Sniffed | None:
    if len(header) < 18 or not header.startswith(b"BM"):
        return None
    dib_size = struct.unpack("<I", header[14:18])[0]
    return (_I, "image/bmp") if dib_size in {12, 16, 40, 52, 56, 64, 108, 124} else None


def _bzip2(header: bytes) -> Sniffed | None:
    is_bz2 = len(header) >= 4 and header.startswith(b"BZh") and 0x31 <= header[3] <= 0x39
    return (_A, "application/x-bzip2") if is_bz2 else None


def _v7_tar(header: bytes) -> Sniffed | None:
    """A pre-POSIX tar has no magic; its header checksum is the evidence."""
    if len(header) < 512 or header[0] == 0:
        return None
    try:
        stored = int(header[148:156].split(b"\x00")[0].strip() or b"-1", 8)
    except ValueError:
        return None
    computed = sum(header[:148]) + 8 * 0x20 + sum(header[156:512])
    return (_A, "application/x-tar") if stored == computed else None


_CHECKS: tuple[Callable[[bytes], Sniffed | None], ...] = (
    _iso_bmff,
    _quicktime_atoms,
    _ebml,
    _bmp,
    _bzip2,
    _mpeg_ts,
    _v7_tar,
)


def sniff(header: bytes) -> Sniffed:
    """(kind, mime) of a file from its first bytes; (OTHER, application/octet-stream) if unknown."""
    for conditions, kind, mime in _SIGNATURES:
        if all(header[off : off + len(magic)] == magic for off, magic in conditions):
            return kind, mime
    for check in _CHECKS:
        found = check(header)
        if found is not None:
            return found
    return UNKNOWN
