"""What bench/web.py generates and measures for the workbench's search.

Rows carry what search reads: a random PDQ hash per media item, a camera (make, model, serial)
on one in three, a path with a folder per run of 997 media and a camera-style file name, text
read off one in twenty (OCR), and a clue value per clue. Everything here is a function of the
media number (and of its own random generator), so the rows bench/web.py already drew for
triage do not change.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import numpy as np
from sqlalchemy import Engine, select

from bench.timing import timed
from vidtrace.domain.viewer import Viewer
from vidtrace.store.access import media_visible
from vidtrace.store.models import ClueRow, Media
from vidtrace.store.search_queries import SearchQueries

RUN = 997  # media per folder (bench/web.py puts a run of 997 in one case)
FOLDERS = ("holiday", "beach", "party", "school", "camera-roll", "whatsapp", "downloads")
NAMES = ("IMG_", "DSC", "photo-")
CAMERAS = (
    ("Canon", "Canon EOS 80D"),
    ("NIKON CORPORATION", "NIKON D750"),
    ("Apple", "iPhone 12"),
    ("SONY", "ILCE-7M3"),
    ("samsung", "SM-G991B"),
)
SHOPS = ("Bakkerij", "Slagerij", "Apotheek", "Supermarkt", "Kapsalon", "Fietsen", "Bloemen")
STREETS = ("Prinsengracht", "Kalverstraat", "Damrak", "Coolsingel", "Oudegracht", "Grote Markt")
TEXT_EVERY = 20  # one media item in twenty has text read off it


def pdq_hashes(media: int, seed: int) -> list[str]:
    raw = np.random.default_rng(seed + 1).bytes(32 * media)
    return [raw[i : i + 32].hex() for i in range(0, len(raw), 32)]


def folder(n: int) -> str:
    run = n // RUN
    return f"{FOLDERS[run % len(FOLDERS)]}-{run:04d}"


def file_name(n: int) -> str:
    return f"{NAMES[n % len(NAMES)]}{n:07d}.jpg"


def path(n: int) -> str:
    return f"{folder(n)}/{file_name(n)}"


def camera(n: int) -> dict[str, Any]:
    """Make, model and serial on one in three; a camera shoots 100 consecutive media."""
    if n % 3:
        return {"camera_make": None, "camera_model": None, "camera_serial": None}
    make, model = CAMERAS[(n // 100) % len(CAMERAS)]
    return {"camera_make": make, "camera_model": model, "camera_serial": serial(n)}


def serial(n: int) -> str:
    return f"SN{n // 100:07d}"


def text_of(n: int) -> str:
    shop, street = SHOPS[(n // TEXT_EVERY) % len(SHOPS)], STREETS[n % len(STREETS)]
    return f"{shop} {street} {n % 300} open 8-18 tel 020-{n:07d}"


def texts(media: int) -> Iterator[dict[str, Any]]:
    for n in range(0, media, TEXT_EVERY):
        yield {
            "media_sha256": f"{n:064x}",
            "text": text_of(n),
            "script": "Latin",
            "language": "nl",
            "language_probability": 0.9,
            "confidence": 88.0,
        }


def clue_value(kind: str, n: int) -> str:
    values = {
        "gps": f"{50 + n % 400 / 100:.2f} N {3 + n % 700 / 100:.2f} E",
        "language": ("nl", "de", "fr", "en")[n % 4],
        "phone": f"+31 20 {n:07d}",
        "domain": f"shop-{n % 50_000}.nl",
        "barcode": f"87{n:011d}",
        "timezone": ("+01:00", "+02:00")[n % 2],
    }
    return values[kind]


def measure_search(
    engine: Engine,
    media: int,
    viewers: dict[str, Viewer],
    analyst: Viewer,
    calls: int,
) -> dict[str, Any]:
    """p50/p95 of each kind of search for each viewer, on an item ``analyst`` may see (each
    search must find it, but those of a common word, which stop at the first page)."""
    with engine.connect() as conn:
        n = media // 2 - (media // 2) % 300  # with a camera and text
        while not media_visible(conn, analyst, f"{n:064x}"):
            n += 300
        sha256 = f"{n:064x}"
        row = conn.execute(select(Media.md5, Media.pdq).where(Media.sha256 == sha256)).one()
        domains = select(ClueRow.value, ClueRow.media_sha256).where(ClueRow.kind == "domain")
        clue, clue_media = next(
            (value, key)
            for value, key in conn.execute(domains.limit(1000))
            if media_visible(conn, analyst, key)
        )
    near = f"{int(row.pdq, 16) ^ 0x8000_0100_0020_0004_0000_0800_0010_0200:064x}"  # 8 bits off
    searches: dict[str, tuple[str, str, str | None]] = {
        "sha256": (sha256, "hash", sha256),
        "md5": (row.md5, "auto", sha256),
        "pdq_31": (near, "pdq", sha256),
        "64hex_sha256_and_pdq": (near, "auto", sha256),
        "file_name": (file_name(n)[:-4], "path", sha256),
        "path_folder": (folder(n), "path", None),
        "camera_serial": (serial(n), "camera", sha256),
        "camera_make": ("canon", "camera", None),
        "ocr_text": (f"tel 020-{n:07d}", "text", sha256),
        "ocr_common_word": (STREETS[n % len(STREETS)], "text", None),
        "clue_value": (clue, "clue", clue_media),
        "auto_text": (f"{n:07d}", "auto", sha256),
        "path_common_word": ("holiday", "path", None),
    }
    queries = SearchQueries(engine)
    figures: dict[str, Any] = {}
    for who, viewer in viewers.items():
        for name, (query, kind, expected) in searches.items():
            result = queries.search(viewer, query, kind)
            if expected is not None:
                assert expected in {h.media for h in result.hits}, f"{name}: not found ({who})"
            figures[f"search_{name}_{who}"] = timed(
                partial(queries.search, viewer, query, kind), calls
            )
    return figures
