"""The demo's hash-set bank: a VICS 2.0 file of material "already known" from another country.

It exercises every kind of match on the demo evidence: series S01 is known by the MD5 of every
member (exact matches), series S02 only by the PDQ of its camera original (so its resized,
re-encoded, colour-shifted and mirrored copies are found perceptually, the mirror through the
dihedral variants), and the wallpaper distractor is known as non-pertinent (category 5).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
from PIL import Image

from vidtrace.demo.evidence_tree import EvidenceTree
from vidtrace.demo.ground_truth import GroundTruth
from vidtrace.demo.variants import Edit
from vidtrace.hashsets.base import BankEntry
from vidtrace.hashsets.vics_writer import VicsCase, write_vics_cases
from vidtrace.signals.pdq import pdq_hash

BANK_FILE = "banks/demo-known-series.vics.json"
BANK_NAME = "Demo VICS (known series)"
KNOWN_BY_MD5 = "S01"
KNOWN_BY_PDQ = "S02"
NON_PERTINENT = "wallpaper_gradient.jpg"


def write_demo_bank(out_dir: Path, tree: EvidenceTree, truth: GroundTruth) -> Path:
    entries: list[BankEntry] = []
    by_id = {s.id: s for s in truth.series}
    for path in sorted(by_id[KNOWN_BY_MD5].members):
        entries.append(_entry(len(entries) + 1, tree.data(path), "1", "Demo series A", path))
    s02 = by_id[KNOWN_BY_PDQ]
    original = next(p for p in sorted(s02.members) if s02.edits[p] == Edit.ORIGINAL)
    image = Image.open(io.BytesIO(tree.data(original))).convert("RGB")
    pdq = pdq_hash(np.asarray(image), image.width, image.height).hex
    other_copy = hashlib.md5(b"a copy seized elsewhere, never in this evidence").hexdigest()
    entries.append(
        BankEntry(
            record=len(entries) + 1,
            md5=other_copy,
            pdq=pdq,
            category="1",
            series="Demo series B",
            victim_identified=True,
            file_paths=("elsewhere/IMG_0001.JPG",),
        )
    )
    wallpaper = next(p for p in sorted(truth.distractors) if p.endswith(NON_PERTINENT))
    entries.append(_entry(len(entries) + 1, tree.data(wallpaper), "5", None, wallpaper))
    target = out_dir / BANK_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    case = VicsCase(
        case_id="00000000-0000-4000-8000-000000000001",
        case_number="DEMO-KNOWN-1",
        contact_organization="Demo partner agency",
        contact_name=None,
        seizure_date=None,
        source_application_name="vidtrace demo",
        source_application_version=None,
    )
    with open(target, "wb") as out:
        write_vics_cases(out, case, entries, profile="Default")
    return target


def _entry(record: int, data: bytes, category: str, series: str | None, path: str) -> BankEntry:
    return BankEntry(
        record=record,
        md5=hashlib.md5(data).hexdigest(),
        sha1=hashlib.sha1(data).hexdigest(),
        category=category,
        series=series,
        media_size=len(data),
        file_paths=(path.rsplit("/", 1)[-1],),
    )
