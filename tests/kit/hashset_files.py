"""Builders for synthetic VICS JSON files (random hex hashes, made-up names), raw dicts in.

The dicts are written as given, so a test can put any spelling a real exporter might use
(string booleans, numbers as strings, .NET dates, odata annotations) into a file.

Usage::

    records = [vics_media(1, Category=1), vics_media(2, VictimIdentified="true")]
    write_vics(tmp_path / "bank.json", records, form="Cases", profile="UK", bom=True)
    write_vics_stream(tmp_path / "big.json", 200_000)   # generated record by record
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

BOM = b"\xef\xbb\xbf"
CONTEXT_2_0 = (
    "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/{profile}/$metadata#{form}"
)
METADATA_1_X = "http://github.com/ICMEC/ProjectVic/DataModels/{version}.xml#{form}"


def envelope(version: str = "2.0", form: str = "Media", profile: str = "US") -> dict[str, str]:
    """The context key and URL of a VICS file (1.x: ``odata.metadata``, no profile)."""
    if version.startswith("1."):
        return {"odata.metadata": METADATA_1_X.format(version=version, form=form)}
    return {"@odata.context": CONTEXT_2_0.format(profile=profile, form=form)}


def vics_media(seed: int = 0, **fields: Any) -> dict[str, Any]:
    """A plausible VICS Media record with random hashes from ``seed``; ``fields`` win.

    A field given as None is left out of the record (to build records missing a field).
    """
    rng = random.Random(seed)
    md5 = f"{rng.getrandbits(128):032x}"
    record: dict[str, Any] = {
        "MD5": md5,
        "MediaID": seed,
        "SHA1": f"{rng.getrandbits(160):040x}",
        "Category": 1,
        "VictimIdentified": False,
        "OffenderIdentified": False,
        "IsDistributed": True,
        "Series": f"Series {seed % 7}",
        "Tags": None,
        "Comments": None,
        "MediaSize": rng.randrange(1_000, 5_000_000),
        "MimeType": "image/jpeg",
        "IsPrecategorized": True,
        "PhotoDNA": None,
        "AlternativeHashes": [
            {"MD5": md5, "HashName": "PDQ", "HashValue": f"{rng.getrandbits(256):064x}"}
        ],
        "Exifs": [],
        "MediaFiles": [
            {
                "MD5": md5,
                "MediaFileID": 1,
                "FileName": f"img_{seed}.jpg",
                "FilePath": "pics/holiday",
            }
        ],
    }
    for key, value in fields.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def vics_case(seed: int = 0, **fields: Any) -> dict[str, Any]:
    """A made-up VICS Case (without Media); ``fields`` win."""
    rng = random.Random(seed)
    case: dict[str, Any] = {
        "CaseID": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "CaseNumber": f"TEST-{seed:04d}",
        "ContactOrganization": "Example Police Unit",
        "ContactName": "A. Tester",
        "SeizureDate": "2024-03-01T10:00:00+01:00",
        "SourceApplicationName": "synthetic-exporter",
        "SourceApplicationVersion": "1.0",
    }
    case.update(fields)
    return case


def write_vics(
    path: Path,
    entries: Iterable[Mapping[str, Any]],
    version: str = "2.0",
    form: str = "Media",
    profile: str = "US",
    bom: bool = False,
    case: Mapping[str, Any] | None = None,
    cases: Iterable[Mapping[str, Any]] | None = None,
) -> Path:
    """Write a VICS file from raw dicts.

    ``form="Media"``: ``entries`` go straight under ``value``. ``form="Cases"``: they become
    the ``Media`` of one case (``case``, default ``vics_case()``), unless ``cases`` is given:
    whole case dicts, each with its own ``Media``, written as they are.
    """
    document: dict[str, Any] = dict(envelope(version, form, profile))
    if form == "Cases":
        if cases is None:
            cases = [{**(case if case is not None else vics_case()), "Media": list(entries)}]
        document["value"] = list(cases)
    else:
        document["value"] = list(entries)
    return write_vics_text(path, json.dumps(document, indent=1), bom=bom)


def write_vics_text(path: Path, text: str, bom: bool = False) -> Path:
    """Write ``text`` as UTF-8 (with a byte-order mark when ``bom``): for hand-made faults."""
    path.write_bytes((BOM if bom else b"") + text.encode("utf-8"))
    return path


def write_vics_stream(
    path: Path, count: int, form: str = "Media", profile: str = "US", seed: int = 0
) -> Path:
    """A large VICS file of ``count`` generated records, written one record at a time."""
    rng = random.Random(seed)
    head = dict(envelope("2.0", form, profile))
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(head)[:-1] + ', "value": [')
        if form == "Cases":
            out.write(json.dumps(vics_case(seed))[:-1] + ', "Media": [')
        for number in range(count):
            md5 = f"{rng.getrandbits(128):032x}"
            record = {
                "MD5": md5,
                "MediaID": number + 1,
                "SHA1": f"{rng.getrandbits(160):040x}",
                "Category": number % 6,
                "IsDistributed": "true",
                "MediaSize": str(rng.randrange(1_000, 5_000_000)),
                "AlternativeHashes": [
                    {"MD5": md5, "HashName": "PDQ", "HashValue": f"{rng.getrandbits(256):064x}"}
                ],
                "MediaFiles": [{"MD5": md5, "MediaFileID": 1, "FileName": f"{number}.jpg"}],
            }
            out.write(("," if number else "") + "\n" + json.dumps(record))
        out.write("\n]}]}\n" if form == "Cases" else "\n]}\n")
    return path
