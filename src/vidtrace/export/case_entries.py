"""A case's media as hash-set records: hashes (with our PDQ), where they were found, what the
camera said, and the verdict, series and victim status of the closest bank match."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, select

from vidtrace.hashsets.base import BankEntry
from vidtrace.store.models import HashSet, HashSetEntry, Match, Media, Occurrence

PAGE = 2_000
_EXACT_FIRST = {"sha256": 0, "sha1": 1, "md5": 2, "pdq": 3, "video-pdq": 4}


def verdict_profile(engine: Engine, case_id: int) -> str | None:
    """The jurisdiction profile of the banks that gave this case's verdicts (the commonest)."""
    in_case = select(Occurrence.media_sha256).where(Occurrence.case_id == case_id)
    with engine.connect() as conn:
        profiles = Counter(
            conn.scalars(
                select(HashSet.profile)
                .join(Match, Match.hash_set_id == HashSet.id)
                .where(Match.media_sha256.in_(in_case), Match.category.is_not(None))
            )
        )
    profiles.pop(None, None)
    return profiles.most_common(1)[0][0] if profiles else None


def case_entries(engine: Engine, case_id: int) -> Iterator[BankEntry]:
    """Every media item of the case, in SHA-256 order, as a BankEntry (record = 1, 2, ...)."""
    last, record = "", 0
    while True:
        with engine.connect() as conn:
            media = (
                conn.execute(
                    select(Media)
                    .where(
                        Media.sha256 > last,
                        Media.sha256.in_(
                            select(Occurrence.media_sha256).where(Occurrence.case_id == case_id)
                        ),
                    )
                    .order_by(Media.sha256)
                    .limit(PAGE)
                )
                .mappings()
                .all()
            )
            if not media:
                return
            shas = [m["sha256"] for m in media]
            paths = _paths(conn, case_id, shas)
            best = _best_matches(conn, shas)
        for row in media:
            record += 1
            yield _entry(record, row, paths.get(row["sha256"], []), best.get(row["sha256"]))
        last = shas[-1]


def _paths(conn: Connection, case_id: int, shas: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    rows = conn.execute(
        select(Occurrence.media_sha256, Occurrence.path)
        .where(Occurrence.case_id == case_id, Occurrence.media_sha256.in_(shas))
        .order_by(Occurrence.path)
    )
    for sha256, path in rows:
        found[sha256].append(path)
    return found


def _best_matches(conn: Connection, shas: list[str]) -> dict[str, dict[str, Any]]:
    """Per media, the match whose entry carries a verdict, closest first (exact before PDQ)."""
    rows = conn.execute(
        select(
            Match.media_sha256,
            Match.kind,
            Match.distance,
            HashSetEntry.category,
            HashSetEntry.category_label,
            HashSetEntry.series,
            HashSetEntry.victim_identified,
            HashSetEntry.offender_identified,
            HashSetEntry.is_distributed,
            HashSetEntry.photodna,
        )
        .join(HashSetEntry, HashSetEntry.id == Match.entry_id)
        .join(HashSet, HashSet.id == Match.hash_set_id)
        .where(Match.media_sha256.in_(shas), HashSet.bank_type == "known")
    )
    best: dict[str, dict[str, Any]] = {}
    for row in rows.mappings():
        rank = (row["category"] is None, _EXACT_FIRST.get(row["kind"], 9), row["distance"])
        kept = best.get(row["media_sha256"])
        if kept is None or rank < kept["rank"]:
            best[row["media_sha256"]] = {**row, "rank": rank}
    return best


def _exifs(row: Any) -> list[dict[str, str]]:
    fields = [
        ("Make", row["camera_make"]),
        ("Model", row["camera_model"]),
        ("SerialNumber", row["camera_serial"]),
        ("DateTimeOriginal", row["taken_at"]),
        ("Software", row["software"]),
    ]
    if row["gps_lat"] is not None and row["gps_lon"] is not None:
        fields.append(("Lat/Lon", f"{row['gps_lat']:.6f}, {row['gps_lon']:.6f}"))
    return [
        {"PropertyName": name, "PropertyValue": str(value), "PropertyGroup": "EXIF"}
        for name, value in fields
        if value is not None
    ]


def _entry(record: int, row: Any, paths: list[str], match: dict[str, Any] | None) -> BankEntry:
    known = match or {}
    extra: dict[str, Any] = {}
    if exifs := _exifs(row):
        extra["exifs"] = exifs
    return BankEntry(
        record=record,
        md5=row["md5"],
        sha1=row["sha1"],
        sha256=row["sha256"],
        pdq=row["pdq"],
        photodna=known.get("photodna"),
        category=known.get("category"),
        category_label=known.get("category_label"),
        victim_identified=known.get("victim_identified"),
        offender_identified=known.get("offender_identified"),
        is_distributed=known.get("is_distributed"),
        series=known.get("series"),
        media_size=row["size"],
        mime_type=row["mime"],
        file_paths=tuple(paths),
        extra=extra,
    )
