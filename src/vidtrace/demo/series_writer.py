"""Writes one series: three camera originals of a scene (its sign hung first), then its edited
and shared copies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from PIL import Image

from vidtrace.demo.evidence_tree import EvidenceTree
from vidtrace.demo.exif_writer import ExifRecord, posix_time, utc_timestamp
from vidtrace.demo.ground_truth import GroundTruth, SeriesTruth
from vidtrace.demo.image_files import ImageFormat, encode_image
from vidtrace.demo.planted_clues import PlantedClues
from vidtrace.demo.series_plan import Drop, NameStyle, SeriesPlan
from vidtrace.demo.series_scene import SeriesScene, render_series_scene
from vidtrace.demo.variants import Edit, apply_edit, resize, store_sideways

EDITOR_SOFTWARE = "GIMP 2.10.34"
_SEASON_START = datetime(2023, 6, 1, 8, 0, 0)


@dataclass
class WrittenSeries:
    """What later steps (videos, duplicates, corrupt copies) reuse from a written series."""

    plan: SeriesPlan
    world: Image.Image
    base: Image.Image
    start: datetime  # local time of the first original
    lat: float
    lon: float
    next_counter: int
    truth: SeriesTruth
    paths: dict[Edit, list[str]] = field(default_factory=dict)

    def first(self, edit: Edit) -> str:
        return self.paths[edit][0]

    def add(self, path: str, edit: Edit) -> None:
        """Record a member already written to the tree."""
        self.truth.add(path, edit.value)
        self.paths.setdefault(edit, []).append(path)


def _copy_name(
    drop: Drop, rng: np.random.Generator, original: str, when: datetime, fmt: ImageFormat
) -> str:
    ext = fmt.value
    if drop.style is NameStyle.EDITED:
        return f"{original.rsplit('.', 1)[0]}_edit.{ext}"
    if drop.style is NameStyle.WHATSAPP:
        return f"IMG-{when:%Y%m%d}-WA{int(rng.integers(1, 80)):04d}.{ext}"
    if drop.style is NameStyle.TELEGRAM:
        return f"photo_{when:%Y-%m-%d_%H-%M-%S}.{ext}"
    stems = (
        "image",
        "download",
        "photo",
        "unnamed",
        f"{int(rng.integers(16**7, 16**8)):08x}",
        f"IMG_{int(rng.integers(1000, 9999))}",
    )
    return f"{stems[int(rng.integers(len(stems)))]}.{ext}"


def write_series(
    plan: SeriesPlan, seed: int, index: int, tree: EvidenceTree, truth: GroundTruth
) -> WrittenSeries:
    """Render the scene, write every member into ``tree`` and record it in ``truth``."""
    rng = np.random.default_rng([seed, index])
    # The sign draws from its own generator, so the rooms stay as they were before signs.
    scene = render_series_scene(plan, rng, np.random.default_rng([seed, index, 1]))
    start = _SEASON_START + timedelta(
        days=int(rng.integers(0, 90)), minutes=int(rng.integers(0, 600))
    )
    # The room is somewhere in the city (within ~1 km); each shot adds metres of GPS noise.
    lat = plan.place.lat + float(rng.uniform(-0.01, 0.01))
    lon = plan.place.lon + float(rng.uniform(-0.01, 0.01))
    camera = plan.camera
    series_truth = SeriesTruth(
        plan.id,
        plan.name,
        plan.scene.label,
        plan.place.country,
        plan.place.city,
        {"make": camera.make, "model": camera.model, "serial": camera.serial},
        conflict=plan.conflict and scene.sign is not None,  # a sign no font printed tells nothing
        planted=PlantedClues(
            plan.place,
            gps=camera.writes_gps,
            sign=plan.sign,
            printed=scene.sign.lines if scene.sign else (),
            sign_box=scene.sign_box,
            barcode=plan.barcode,
        ),
    )
    truth.series.append(series_truth)
    counter = int(rng.integers(100, 900))
    written = WrittenSeries(plan, scene.world, scene.base, start, lat, lon, counter, series_truth)
    base_record = _write_originals(written, scene, rng, tree, truth)
    _write_copies(written, base_record, rng, tree, truth)
    return written


def _write_originals(
    written: WrittenSeries,
    scene: SeriesScene,
    rng: np.random.Generator,
    tree: EvidenceTree,
    truth: GroundTruth,
) -> ExifRecord:
    """Three shots a few minutes apart, named by the camera's counter; returns the first's EXIF."""
    plan = written.plan
    taken = written.start
    records = []
    originals = (
        (Edit.ORIGINAL, scene.base),
        (Edit.OTHER_SHOT, scene.other),
        (Edit.PORTRAIT_SHOT, scene.portrait),
    )
    for edit, display in originals:
        portrait = edit is Edit.PORTRAIT_SHOT
        record = ExifRecord(
            plan.camera,
            plan.place,
            taken,
            round(written.lat + float(rng.normal(0, 0.00008)), 6),
            round(written.lon + float(rng.normal(0, 0.00008)), 6),
            orientation=6 if portrait else 1,
            with_gps=plan.camera.writes_gps,
        )
        heic = plan.camera.writes_heic and edit is Edit.ORIGINAL
        fmt = ImageFormat.HEIC if heic else ImageFormat.JPEG
        name = plan.camera.file_name(written.next_counter, taken, "HEIC" if heic else None)
        pixels = store_sideways(display) if portrait else display
        data = encode_image(pixels, fmt, 88 if heic else 92, record.to_bytes())
        path = tree.add(tree.free_path(plan.origin, name), data, utc_timestamp(record))
        written.add(path, edit)
        truth.exif[path] = record.ground_truth()
        records.append(record)
        written.next_counter += 1
        taken += timedelta(minutes=int(rng.integers(2, 8)), seconds=int(rng.integers(0, 60)))
    return records[0]


def _write_copies(
    written: WrittenSeries,
    base_record: ExifRecord,
    rng: np.random.Generator,
    tree: EvidenceTree,
    truth: GroundTruth,
) -> None:
    """The base shot cropped in an editor (EXIF kept), sent by messenger, downloaded, edited."""
    plan = written.plan
    original_name = written.first(Edit.ORIGINAL).rsplit("/", 1)[-1]
    received = written.start + timedelta(
        days=int(rng.integers(1, 20)), hours=int(rng.integers(0, 12))
    )
    # An editor keeps the camera's EXIF and only rewrites Software.
    edited = ExifRecord(
        plan.camera,
        plan.place,
        base_record.taken,
        base_record.lat,
        base_record.lon,
        software=EDITOR_SOFTWARE,
        with_gps=plan.camera.writes_gps,
    )
    copies: list[tuple[Edit, Drop, ImageFormat, int]] = [
        (Edit.CROP, plan.edited, ImageFormat.JPEG, 90),
        (Edit.MESSENGER, plan.messenger, ImageFormat.JPEG, 70),
        (Edit.FORMAT_COPY, plan.download, plan.copy_format, 85),
        (plan.extras[0], plan.download, ImageFormat.JPEG, 84),
        (plan.extras[1], plan.messenger, ImageFormat.JPEG, 80),
    ]
    for edit, drop, fmt, quality in copies:
        if edit is Edit.FORMAT_COPY:
            image = resize(written.base, 1024)
        else:
            image = apply_edit(written.base, edit, rng, caption=plan.place.caption)
        if edit is Edit.REENCODE:
            quality = int(rng.integers(45, 60))
        exif = edited.to_bytes() if edit is Edit.CROP else None
        received += timedelta(minutes=int(rng.integers(5, 300)))
        name = _copy_name(drop, rng, original_name, received, fmt)
        data = encode_image(image, fmt, quality, exif)
        path = tree.add(
            tree.free_path(drop.folder, name), data, posix_time(received, plan.place.utc_offset)
        )
        written.add(path, edit)
        if exif is not None:
            truth.exif[path] = edited.ground_truth()
        if edit is Edit.TEXT:
            truth.overlay_text[path] = plan.place.caption
