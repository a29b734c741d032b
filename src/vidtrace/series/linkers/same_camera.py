"""Same camera: one body serial number joins media for sure; one camera model nearby in time hints.

Two rules, each over groups of media that may be huge (one camera, 50,000 photos):

* **Serial (strong).** The EXIF body serial number names one camera body. It is compared
  stripped and case-folded, keyed with the case-folded make when the make is known, because
  serials of different makers can collide. Serials that name no body (``junk_serial``) are
  ignored.
* **Model (weak).** For media whose camera wrote no usable serial: the same make, model and
  firmware, taken ``window_seconds`` or less apart, found in one evidence item (source). Many
  people own the same model, so this rule is never strong. A usable serial settles identity
  either way (same serial: the strong rule; different serials: different bodies), so media with
  one are left to the serial rule and a pair never gets both.

A group is never linked pair by pair: its media are put in capture-time order (undated ones
last, by SHA-256) and each is linked to its neighbours, so a group of n gives at most n - 1
links, and a new item is linked to its nearest predecessor and successor among old and new
alike: two runs join the same media as one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from vidtrace.domain.series import Link, LinkStrength, symmetric_link
from vidtrace.series.linkers.base import CameraFacts, Ints, LinkCorpus, Linker, linkers
from vidtrace.series.linkers.chains import group_ids, neighbours, sha_rank

# Placeholders that cameras, phones and editing software write where a real serial belongs,
# compared on the letters and digits only. Junk too: a serial shorter than MIN_SERIAL_LENGTH,
# one of a single repeated character ("0", "0000000", "xxxx"), or one whose digits, four or
# more, are all zero ("SN0000000", "0000-0000"): a strong link on a placeholder would join
# every camera that writes it.
JUNK_SERIALS = frozenset(
    {
        "unknown",
        "none",
        "null",
        "notavailable",
        "default",
        "serial",
        "serialnumber",
        "1234",
        "12345",
        "123456",
        "1234567",
        "12345678",
        "123456789",
        "1234567890",
        "0123456789",
    }
)
MIN_SERIAL_LENGTH = 4

_FIRMWARE_WORDS = re.compile(r"^\s*firmware(\s+version)?\s*", re.IGNORECASE)


def normalised(text: str | None) -> str:
    """``text`` as compared: blanks collapsed, case-folded; "" when unknown."""
    return " ".join(text.split()).casefold() if text else ""


def junk_serial(serial: str) -> bool:
    """True when ``serial`` (normalised) is a placeholder rather than one body's number."""
    core = "".join(ch for ch in serial if ch.isalnum())
    digits = "".join(ch for ch in core if ch.isdigit())
    return (
        len(core) < MIN_SERIAL_LENGTH
        or len(set(core)) == 1
        or core in JUNK_SERIALS
        or (len(digits) >= 4 and set(digits) == {"0"})
    )


def serial_key(facts: CameraFacts | None) -> tuple[str, str] | None:
    """(make, serial) as compared, or None when the camera wrote no usable serial."""
    if facts is None or facts.serial is None:
        return None
    serial = facts.serial.strip().casefold()
    return None if junk_serial(serial) else (normalised(facts.make), serial)


def model_key(facts: CameraFacts | None) -> tuple[str, str, str] | None:
    """(make, model, firmware) as compared, or None when the make or model is unknown."""
    if facts is None or not normalised(facts.make) or not normalised(facts.model):
        return None
    return (normalised(facts.make), normalised(facts.model), normalised(facts.software))


def camera_name(facts: CameraFacts) -> str:
    """The camera as analysts name it ("Canon EOS 80D"): make and model, the make said once."""
    make = " ".join((facts.make or "").split())
    model = " ".join((facts.model or "").split())
    brand = make.split()[0].casefold() if make else ""
    if model and (not brand or model.casefold().startswith(brand)):
        return model
    return " ".join(part for part in (make, model) if part)


def firmware_name(facts: CameraFacts) -> str:
    version = _FIRMWARE_WORDS.sub("", facts.software or "").strip()
    return f"firmware {version}" if version else "firmware unknown"


def time_apart(seconds: float) -> str:
    """A gap between capture times as an analyst reads it: "3 min apart"."""
    if seconds < 60:
        return f"{seconds:.0f} s apart"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min apart"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.0f} h apart"
    return f"{seconds / 86400:.0f} days apart"


@dataclass(frozen=True)
class _Camera:
    """One distinct camera of the corpus as both rules compare it and evidence names it."""

    serial: tuple[str, str] | None
    model: tuple[str, str, str] | None  # only for cameras without a usable serial
    words: str  # "serial 083021004517 (Canon EOS 80D)" or "Canon EOS 80D, firmware 1.0.2"


def _describe(facts: CameraFacts) -> _Camera:
    name = camera_name(facts)
    serial = serial_key(facts)
    if serial is not None:
        assert facts.serial is not None
        return _Camera(serial, None, f"serial {facts.serial.strip()}{f' ({name})' if name else ''}")
    return _Camera(None, model_key(facts), f"{name}, {firmware_name(facts)}")


_NO_CAMERA = _Camera(None, None, "")


def _cameras(camera: Sequence[CameraFacts | None]) -> list[_Camera]:
    """Each media item's camera, described once per distinct camera (many share one)."""
    seen: dict[CameraFacts, _Camera] = {}
    described: list[_Camera] = []
    for facts in camera:
        if facts is None:
            described.append(_NO_CAMERA)
        elif (known := seen.get(facts)) is not None:
            described.append(known)
        else:
            described.append(seen.setdefault(facts, _describe(facts)))
    return described


@linkers.register
class SameCameraLinker(Linker):
    name = "same-camera"
    version: ClassVar[int] = 1
    description: ClassVar[str] = (
        "Same camera body serial (strong); same make, model and firmware within minutes in one "
        "evidence item (weak)"
    )
    window_seconds: ClassVar[float] = 30 * 60  # the model rule's widest gap between captures

    def propose(self, corpus: LinkCorpus) -> Iterator[Link]:
        if len(corpus) < 2 or not corpus.new.any():
            return
        rank = sha_rank(corpus.sha256)
        cameras = _cameras(corpus.camera)
        yield from self._by_serial(corpus, cameras, rank)
        yield from self._by_model(corpus, cameras, rank)

    def _by_serial(self, corpus: LinkCorpus, cameras: list[_Camera], rank: Ints) -> Iterator[Link]:
        media = np.array([i for i, c in enumerate(cameras) if c.serial], np.int64)
        if len(media) < 2:
            return
        group = group_ids([cameras[i].serial for i in media.tolist()])
        taken = corpus.taken_at[media]
        when = np.where(np.isnan(taken), np.inf, taken)
        a, b = neighbours(group, when, rank[media], corpus.new[media], None)
        taken_at, sha = corpus.taken_at.tolist(), corpus.sha256
        for x, y in _one_per_pair(media[a], media[b], rank):
            gap = abs(taken_at[x] - taken_at[y])
            apart = "capture times unknown" if math.isnan(gap) else time_apart(gap)
            evidence = f"same camera {cameras[x].words}, {apart}"
            yield symmetric_link(
                sha[x], sha[y], self.name, 1.0, evidence, LinkStrength.STRONG, self.version
            )

    def _by_model(self, corpus: LinkCorpus, cameras: list[_Camera], rank: Ints) -> Iterator[Link]:
        eligible = np.array([c.model is not None for c in cameras], bool)
        eligible &= np.isfinite(corpus.taken_at)
        occ = corpus.occurrences
        rows = np.flatnonzero(eligible[occ.media]) if len(occ.media) else np.empty(0, np.int64)
        if len(rows) < 2:
            return
        media = occ.media[rows]
        # one group per camera model and evidence item: media found in two sources are in two
        model = group_ids([c.model for c in cameras])
        _, source = np.unique(occ.source[rows], return_inverse=True)
        group = model[media] * (int(source.max()) + 1) + source
        when = corpus.taken_at[media]
        a, b = neighbours(group, when, rank[media], corpus.new[media], self.window_seconds)
        taken_at, sha = corpus.taken_at.tolist(), corpus.sha256
        for x, y in _one_per_pair(media[a], media[b], rank):
            gap = abs(taken_at[x] - taken_at[y])
            evidence = f"same {cameras[x].words}, {time_apart(gap)}, same evidence item"
            score = 0.3 + 0.4 * (1.0 - gap / self.window_seconds)
            yield symmetric_link(
                sha[x], sha[y], self.name, score, evidence, LinkStrength.WEAK, self.version
            )


def _one_per_pair(a: Ints, b: Ints, rank: Ints) -> Iterator[tuple[int, int]]:
    """Distinct pairs of different media, (smaller SHA-256, larger), in SHA-256 order."""
    lo = np.where(rank[a] < rank[b], a, b)
    hi = np.where(rank[a] < rank[b], b, a)
    keep = lo != hi
    lo, hi = lo[keep], hi[keep]
    _, first = np.unique(rank[lo] * len(rank) + rank[hi], return_index=True)
    return zip(lo[first].tolist(), hi[first].tolist(), strict=True)
