"""Write VICS 2.0 JSON, record by record, so an export of any size needs little memory.

``write_vics_cases`` writes the ``#Cases`` form (one case holding its ``Media``), the form VID
tools import a case from; ``write_vics_media`` writes a bare ``#Media`` hash set. Output
follows the VICS 2.0 data model (``ProjectVicDataModel.2.0.xml``): property names and types
as the schema has them, real JSON booleans, ISO 8601 dates with an offset (a naive time is
written as UTC).

Reading the output back with ``VicsFormat`` gives equal ``BankEntry`` values except:
``record``; ``extra["MediaID"]`` (renumbered 1..n), ``extra["IsPrecategorized"]`` (written as
"has a Category") and ``extra["case"]`` (the case written), which the reader adds; extra
values the schema types cannot hold, and keys of kept rows the schema does not define, which
are left out (a non-numeric category such as ICSE's "baseline" is written as no Category);
text given to ``Exifs`` or
``AlternativeHashes`` rows as numbers, which comes back as text. Entries without an MD5
cannot be written (MD5 is the Media key): they are skipped, and the count returned says how
many were written.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import IO, Any

from vidtrace.hashsets.base import BankEntry
from vidtrace.hashsets.vics import VicsCase
from vidtrace.hashsets.vics_values import (
    join_file_path,
    lookup,
    read_bool,
    read_int,
    read_text,
    split_file_path,
    write_date,
)

__all__ = ["VicsCase", "case_record", "media_record", "write_vics_cases", "write_vics_media"]

CONTEXT_URL = (
    "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/{profile}/$metadata#{form}"
)
_PROFILE = re.compile(r"[A-Za-z0-9_-]+")


def _date(value: Any, name: str) -> str | None:
    return write_date(value) if isinstance(value, str | datetime) else None


# Schema properties carried over from ``extra`` (rows), with the writer of their schema type.
_Writer = Callable[[Any, str], Any]
MEDIA_EXTRA: dict[str, _Writer] = {
    "RelativeFilePath": read_text,
    "DateUpdated": _date,
    "PrecategorizationSource": read_text,
    "IsSuspected": read_bool,
    "SelfGenerated": read_bool,
}
MEDIA_FILE_EXTRA: dict[str, _Writer] = {
    "Created": _date,
    "Written": _date,
    "Accessed": _date,
    "Unallocated": read_bool,
    "SourceID": read_text,
    "PhysicalLocation": read_int,
    "Deleted": read_bool,
    "ParentMD5": read_text,
    "ParentFileName": read_text,
    "ParentFilePath": read_text,
    "ParentPhysicalLocation": read_int,
}
CASE_EXTRA: dict[str, _Writer] = {
    "ContactPhone": read_text,
    "ContactEmail": read_text,
    "ContactTitle": read_text,
}


def write_vics_cases(
    out: IO[bytes], case: VicsCase, entries: Iterable[BankEntry], profile: str = "Default"
) -> int:
    """Write ``entries`` as one VICS 2.0 ``#Cases`` document; return the Media written."""
    head = json.dumps(case_record(case), ensure_ascii=False)[:-1] + ', "Media": ['
    out.write(_envelope(profile, "Cases") + head.encode("utf-8"))
    written = _write_media(out, entries)
    out.write(b"\n]}]}\n")
    return written


def write_vics_media(out: IO[bytes], entries: Iterable[BankEntry], profile: str = "Default") -> int:
    """Write ``entries`` as a VICS 2.0 ``#Media`` hash set; return the Media written."""
    out.write(_envelope(profile, "Media"))
    written = _write_media(out, entries)
    out.write(b"\n]}\n")
    return written


def case_record(case: VicsCase) -> dict[str, Any]:
    """The Case object (without its Media). Raises ValueError if ``case_id`` is not a UUID."""
    try:
        case_id = str(uuid.UUID(case.case_id))
    except ValueError:
        raise ValueError(f"CaseID must be a UUID, not {case.case_id!r}") from None
    record: dict[str, Any] = {
        "CaseID": case_id,
        "CaseNumber": case.case_number,
        "ContactOrganization": case.contact_organization,
        "ContactName": case.contact_name,
        "SeizureDate": write_date(case.seizure_date),
        "SourceApplicationName": case.source_application_name,
        "SourceApplicationVersion": case.source_application_version,
    }
    record.update(_typed(case.extra, CASE_EXTRA))
    return record


def media_record(entry: BankEntry, media_id: int) -> dict[str, Any] | None:
    """The VICS Media object for ``entry``; None when it has no MD5 (the Media key)."""
    md5 = entry.md5
    if not md5:
        return None
    code = entry.category
    category = int(code) if code is not None and code.isdigit() and int(code) <= 255 else None
    extra = entry.extra
    record: dict[str, Any] = {
        "MD5": md5,
        "MediaID": media_id,
        "Category": category,
        "SHA1": entry.sha1,
        "VictimIdentified": entry.victim_identified,
        "OffenderIdentified": entry.offender_identified,
        "IsDistributed": entry.is_distributed,
        "Series": entry.series,
        "Tags": entry.tags,
        "Comments": entry.comments,
        "MediaSize": entry.media_size,
        "MimeType": entry.mime_type,
        # The only honest reading of the flag: this record carries a verdict.
        "IsPrecategorized": category is not None,
        "PhotoDNA": entry.photodna,
    }
    record.update(_typed(extra, MEDIA_EXTRA))
    record["AlternativeHashes"] = _alternative_hashes(entry, md5)
    record["Exifs"] = [
        {"MD5": md5, **row} for row in map(_exif_row, _list(extra.get("exifs"))) if row
    ]
    record["MediaFiles"] = [
        {"MD5": md5, "MediaFileID": number, **row}
        for number, row in enumerate(_media_files(entry), start=1)
    ]
    return record


def _write_media(out: IO[bytes], entries: Iterable[BankEntry]) -> int:
    written = 0
    for entry in entries:
        record = media_record(entry, written + 1)
        if record is None:
            continue
        out.write(b"\n" if not written else b",\n")
        out.write(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        written += 1
    return written


def _envelope(profile: str, form: str) -> bytes:
    if not _PROFILE.fullmatch(profile):
        raise ValueError(f"a VICS profile is a plain name (US, UK, Default, ...), not {profile!r}")
    url = CONTEXT_URL.format(profile=profile, form=form)
    return b'{"@odata.context": ' + json.dumps(url).encode() + b', "value": ['


def _alternative_hashes(entry: BankEntry, md5: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"MD5": md5, "HashName": name, "HashValue": value}
        for name, value in (("PDQ", entry.pdq), ("SHA256", entry.sha256))
        if value
    ]
    # AlternativeHash's key is (MD5, HashName): one row per name.
    used = {row["HashName"].casefold() for row in rows}
    for row in _list(entry.extra.get("alternative_hashes")):
        name = _text(lookup(row, "HashName")) if isinstance(row, dict) else None
        if not name or name.casefold() in used:
            continue
        used.add(name.casefold())
        rows.append({"MD5": md5, "HashName": name, "HashValue": _text(lookup(row, "HashValue"))})
    return rows


def _exif_row(row: Any) -> dict[str, Any] | None:
    if not isinstance(row, dict):
        return None
    name = _text(lookup(row, "PropertyName"))
    if not name:
        return None  # PropertyName is part of the Exif key
    out: dict[str, Any] = {"PropertyName": name}
    for key in ("PropertyValue", "PropertyGroup"):
        if lookup(row, key) is not None:
            out[key] = _text(lookup(row, key))
    return out


def _media_files(entry: BankEntry) -> list[dict[str, Any]]:
    """MediaFiles rows for ``entry.file_paths``, with the times and flags an import kept."""
    kept = [row for row in _list(entry.extra.get("media_files")) if isinstance(row, dict)]
    kept_paths = [
        join_file_path(_text(lookup(row, "FilePath")), _text(lookup(row, "FileName")))
        for row in kept
    ]
    if kept and [path for path in kept_paths if path] == list(entry.file_paths):
        rows = []
        for row in kept:
            out: dict[str, Any] = {
                "FileName": _text(lookup(row, "FileName")),
                "FilePath": _text(lookup(row, "FilePath")),
            }
            out.update(_typed(row, MEDIA_FILE_EXTRA))
            rows.append(out)
        return rows
    rows = []
    for path in entry.file_paths:
        folder, name = split_file_path(path)
        rows.append({"FileName": name, "FilePath": folder})
    return rows


def _typed(values: dict[str, Any], schema: dict[str, _Writer]) -> dict[str, Any]:
    """The schema properties in ``values`` with a value of their type; others left out."""
    typed = {}
    for name, write in schema.items():
        value = lookup(values, name)
        if value is None:
            continue
        try:
            converted = write(value, name)
        except ValueError:
            continue
        if converted is not None:
            typed[name] = converted
    return typed


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
