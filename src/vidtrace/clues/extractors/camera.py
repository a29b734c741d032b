"""Region-specific camera models: some phones are made for one market, and their model number or
firmware says which (a Samsung SM-G991U is the US model, an SO-51A a docomo phone in Japan).

The table (``clues/reference/camera_models.csv``) holds only long-standing, documented naming
conventions, each row with its source. A phone is often taken abroad or sold on, which the kind's
error rate in ``clues.kinds`` allows for; the confidence here is only that the row read the
model right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vidtrace.clues.extractors.base import ClueExtractor, ClueSubject, extractors
from vidtrace.clues.reference.table_files import country_weights_text, reference_table
from vidtrace.domain.media import CameraExif

TABLE = "camera_models.csv"


@dataclass(frozen=True)
class RegionalModel:
    """One row of the table: the EXIF fields it matches and the countries it points to."""

    make: re.Pattern[str] | None
    model: re.Pattern[str] | None
    software: re.Pattern[str] | None
    countries: dict[str, float]
    note: str
    source: str

    def matches(self, camera: CameraExif) -> bool:
        fields = (
            (self.make, camera.make),
            (self.model, camera.model),
            (self.software, camera.software),
        )
        return all(
            pattern is None or (text is not None and pattern.search(text) is not None)
            for pattern, text in fields
        )


def _pattern(text: str, flags: int = 0) -> re.Pattern[str] | None:
    return re.compile(text, flags) if text else None


@cache
def regional_models() -> tuple[RegionalModel, ...]:
    """The table, in file order (the first matching row wins)."""
    return tuple(
        RegionalModel(
            make=_pattern(row["make"], re.IGNORECASE),
            model=_pattern(row["model"]),
            software=_pattern(row["software"]),
            countries=country_weights_text(row["countries"]),
            note=row["note"],
            source=row["source"],
        )
        for row in reference_table(TABLE).rows
    )


class CameraRegionExtractor(ClueExtractor):
    name = "camera"
    version = 1
    kind = "camera"
    confidence = 0.7  # the model string is read exactly; a pattern can still catch a stranger

    def able_to_run(self, subject: ClueSubject) -> bool:
        return bool(subject.camera.model or subject.camera.software)

    def run(self, subject: ClueSubject) -> None:
        camera = subject.camera
        row = next((row for row in regional_models() if row.matches(camera)), None)
        if row is None:
            return  # most cameras are sold everywhere: nothing to say, and no skip either
        named = " ".join(part for part in (camera.make, camera.model) if part)
        value = camera.software if row.model is None and camera.software else named
        detail = f"{value}: {row.note} (source: {row.source})"
        self.clue(subject, value, row.countries, self.confidence, detail)


extractors.register(CameraRegionExtractor)
