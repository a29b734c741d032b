"""The workbench's search: what an analyst may type, how it is read, and what a hit says. No I/O.

``plan_search`` turns the typed text and the chosen kind into the searches to run, or raises
``ValueError`` with a message meant for the analyst. ``store/search_queries.py`` runs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class SearchKind(StrEnum):
    AUTO = "auto"  # recognise hashes; otherwise every text search
    HASH = "hash"  # MD5, SHA-1 or SHA-256, exactly
    PDQ = "pdq"  # PDQ hashes within a Hamming distance
    PATH = "path"  # file name or path: contains
    CAMERA = "camera"  # camera make, model or serial number: starts with
    TEXT = "text"  # text read off the media (OCR): contains
    CLUE = "clue"  # clue values: contains


TEXT_KINDS = (SearchKind.PATH, SearchKind.CAMERA, SearchKind.TEXT, SearchKind.CLUE)
HASH_LENGTHS = {32: "md5", 40: "sha1", 64: "sha256"}
PDQ_LENGTH = 64
# 16 chunks of 16 bits: a hash within 31 bits of the query has a chunk within one bit of the
# query's (pigeonhole), which is what the database's chunk indexes can look up.
MAX_DISTANCE = 31
DEFAULT_DISTANCE = 31
MIN_TEXT = 3  # a substring index needs three characters (trigrams)
MAX_TEXT = 500
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
TEXT_NOTES = {
    SearchKind.PATH: "file names and paths that contain it",
    SearchKind.CAMERA: "camera makes, models and serial numbers that start with it",
    SearchKind.TEXT: "recognised text that contains it",
    SearchKind.CLUE: "clue values that contain it",
}
HEX = re.compile(r"[0-9a-f]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SearchPlan:
    """The searches one query runs. ``text`` is the query as searched (trimmed; lower-cased
    for hashes); ``hash_field`` is md5, sha1 or sha256 when a hash is searched; ``note`` says
    how the query was read."""

    text: str
    kinds: tuple[SearchKind, ...]
    distance: int
    limit: int
    note: str
    hash_field: str | None = None


@dataclass(frozen=True)
class SearchHit:
    """One media item found, and why.

    ``match``: which search found it. ``where``: the field that matched (md5, sha1, sha256,
    pdq, path, camera make/model/serial, ocr text, or the clue's kind). ``value``: what is there
    (the path, the camera, a snippet of the text, the clue value). ``distance``: differing bits,
    for PDQ. ``case``: the case holding the path, for paths. ``known``: a bank knows the item
    (pre-categorised); ``known_good``: an operating-system or application file (NSRL)."""

    media: str
    media_kind: str
    match: SearchKind
    where: str
    value: str
    series: int | None
    known: bool
    known_good: bool
    distance: int | None = None
    case: str | None = None


@dataclass(frozen=True)
class SearchResult:
    """What a search found among the media the viewer may see. ``more``: the kinds that found
    more than ``limit`` hits (only the first are given), or stopped reading matches before
    finding that many (make the query more specific)."""

    query: str
    kinds: tuple[SearchKind, ...]
    note: str
    hits: tuple[SearchHit, ...]
    more: tuple[SearchKind, ...]


def plan_search(
    text: str,
    kind: SearchKind | str = SearchKind.AUTO,
    distance: int = DEFAULT_DISTANCE,
    limit: int = DEFAULT_LIMIT,
) -> SearchPlan:
    """How ``text`` is searched as ``kind``; ``ValueError`` with the reason when it cannot be."""
    try:
        kind = SearchKind(kind)
    except ValueError:
        names = ", ".join(k.value for k in SearchKind)
        raise ValueError(f"unknown search kind {kind!r}: use one of {names}") from None
    if not 0 <= distance <= MAX_DISTANCE:
        raise ValueError(f"the PDQ distance must be between 0 and {MAX_DISTANCE} bits")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"the limit must be between 1 and {MAX_LIMIT}")
    text = text.strip()
    if not text:
        raise ValueError("type something to search for")
    if len(text) > MAX_TEXT:
        raise ValueError(f"a search is at most {MAX_TEXT} characters")
    if CONTROL.search(text):
        raise ValueError("a search cannot contain control characters")
    if kind == SearchKind.HASH:
        digest = _hex(text, "a hash")
        if len(digest) not in HASH_LENGTHS:
            raise ValueError(
                "a hash is 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hexadecimal characters, "
                f"not {len(digest)}"
            )
        field = HASH_LENGTHS[len(digest)]
        note = f"{field.upper().replace('SHA', 'SHA-')} {digest}"
        return SearchPlan(digest, (kind,), distance, limit, note, field)
    if kind == SearchKind.PDQ:
        digest = _hex(text, "a PDQ hash")
        if len(digest) != PDQ_LENGTH:
            raise ValueError(
                f"a PDQ hash is {PDQ_LENGTH} hexadecimal characters, not {len(digest)}"
            )
        return SearchPlan(digest, (kind,), distance, limit, _pdq_note(distance))
    if kind == SearchKind.AUTO:
        return _auto(text, distance, limit)
    _check_text_length(text)
    return SearchPlan(text, (kind,), distance, limit, TEXT_NOTES[kind])


def _auto(text: str, distance: int, limit: int) -> SearchPlan:
    lowered = text.lower()
    if HEX.fullmatch(lowered) and len(lowered) in HASH_LENGTHS:
        field = HASH_LENGTHS[len(lowered)]
        if len(lowered) == PDQ_LENGTH:
            note = (
                "64 hexadecimal characters: searched as a SHA-256 and as a PDQ hash "
                f"({_pdq_note(distance)})"
            )
            kinds = (SearchKind.HASH, SearchKind.PDQ)
            return SearchPlan(lowered, kinds, distance, limit, note, field)
        label = "an MD5" if field == "md5" else "a SHA-1"
        note = f"{len(lowered)} hexadecimal characters: searched as {label}"
        return SearchPlan(lowered, (SearchKind.HASH,), distance, limit, note, field)
    _check_text_length(text)
    note = "searched in file names and paths, cameras, recognised text and clue values"
    return SearchPlan(text, TEXT_KINDS, distance, limit, note)


def _hex(text: str, what: str) -> str:
    digest = text.lower().removeprefix("0x")
    if not HEX.fullmatch(digest):
        raise ValueError(f"{what} is hexadecimal: only 0-9 and a-f")
    return digest


def _check_text_length(text: str) -> None:
    if len(text) < MIN_TEXT:
        raise ValueError(f"type at least {MIN_TEXT} characters")


def _pdq_note(distance: int) -> str:
    return f"PDQ hashes at most {distance} bits away"
