"""Everything around the series: exact duplicates, a misnamed file, corrupt files, distractors."""

from __future__ import annotations

import numpy as np

from vidtrace.demo.cases import B_USB, C_DESKTOP, C_MESSENGER, L_HOME, L_PHONE
from vidtrace.demo.corrupt import (
    image_loads,
    jpeg_with_garbage,
    text_posing_as_image,
    truncated,
)
from vidtrace.demo.distractors import distractor_images, expenses_csv, minimal_pdf, shopping_list
from vidtrace.demo.evidence_tree import EvidenceTree
from vidtrace.demo.ground_truth import GroundTruth
from vidtrace.demo.image_files import ImageFormat, encode_image
from vidtrace.demo.scenes import load_bundled_photo
from vidtrace.demo.series_writer import WrittenSeries
from vidtrace.demo.variants import Edit, resize

# (series, which member, folder of the byte-identical copy); all but the last cross a case line.
DUPLICATES = (
    ("S01", Edit.MESSENGER, C_DESKTOP + "/Downloads"),
    ("S03", Edit.MESSENGER, B_USB + "/WhatsApp Images"),
    ("S04", Edit.ORIGINAL, B_USB + "/Backup/Nikon"),
    ("S09", Edit.FORMAT_COPY, L_HOME + "/Downloads"),
    ("S05", Edit.CROP, B_USB + "/Fotos/neu"),
)
# Where each image distractor goes; the first one is also copied into a second case.
DISTRACTOR_FOLDERS = (
    L_HOME + "/Pictures/Wallpapers",
    L_PHONE + "/Pictures",
    B_USB,
    C_DESKTOP + "/Pictures",
)
DISTRACTOR_COPY_FOLDER = C_MESSENGER + "/Telegram/Telegram Images"


def write_clutter(
    series: dict[str, WrittenSeries], seed: int, tree: EvidenceTree, truth: GroundTruth
) -> None:
    rng = np.random.default_rng([seed, 1000])
    for series_id, edit, folder in DUPLICATES:
        source = series[series_id].first(edit)
        target = tree.free_path(folder, source.rsplit("/", 1)[-1])
        tree.copy(source, target)
        truth.record_copy(source, target)

    # A PNG saved under a .jpg name: still a member of its series, recognisable by its magic.
    grid_room = series["S06"]
    misnamed = tree.free_path(C_DESKTOP + "/Downloads", "IMG_0412.jpg")
    tree.add(misnamed, encode_image(resize(grid_room.base, 960), ImageFormat.PNG))
    grid_room.add(misnamed, Edit.FORMAT_COPY)
    truth.misnamed.append({"path": misnamed, "extension": "jpg", "actual": "png"})

    _write_corrupt(series, rng, tree, truth)
    _write_distractors(rng, tree, truth)


def _corrupt(tree: EvidenceTree, truth: GroundTruth, path: str, data: bytes, why: str) -> None:
    if image_loads(data):  # pragma: no cover - guards the ground truth, never taken
        raise RuntimeError(f"{path} was meant to be corrupt but decodes")
    tree.add(path, data)
    truth.corrupt.append({"path": path, "why": why})


def _write_corrupt(
    series: dict[str, WrittenSeries],
    rng: np.random.Generator,
    tree: EvidenceTree,
    truth: GroundTruth,
) -> None:
    chequered = series["S03"].first(Edit.OTHER_SHOT)
    _corrupt(
        tree,
        truth,
        tree.free_path(L_HOME + "/Pictures/recovered", chequered.rsplit("/", 1)[-1]),
        truncated(tree.data(chequered), 0.4),
        "truncated JPEG (the first 40% of the bytes)",
    )
    motorcycle = series["S10"].first(Edit.OTHER_SHOT)
    _corrupt(
        tree,
        truth,
        tree.free_path(B_USB + "/Fotos/alt", motorcycle.rsplit("/", 1)[-1]),
        jpeg_with_garbage(tree.data(motorcycle), rng),
        "JPEG with 4096 random bytes over the middle of the scan data",
    )
    _corrupt(
        tree,
        truth,
        tree.free_path(C_DESKTOP + "/Downloads", "IMG_20230704_0001.jpg"),
        b"",
        "zero-byte file",
    )
    _corrupt(
        tree,
        truth,
        L_PHONE + "/Download/not_a_photo.jpg",
        text_posing_as_image("Reminder: renew the bicycle insurance before August.\n"),
        "text file with a .jpg extension",
    )


def _write_distractors(rng: np.random.Generator, tree: EvidenceTree, truth: GroundTruth) -> None:
    images = distractor_images(rng)
    for (name, data), folder in zip(images, DISTRACTOR_FOLDERS, strict=True):
        truth.distractors.append(tree.add(f"{folder}/{name}", data))
    first = f"{DISTRACTOR_FOLDERS[0]}/{images[0][0]}"
    copy = tree.copy(first, f"{DISTRACTOR_COPY_FOLDER}/{images[0][0]}")
    truth.record_copy(first, copy)
    scan = encode_image(load_bundled_photo("page.png"), ImageFormat.PNG)
    documents = (
        (C_DESKTOP + "/Documents/scan_page.png", scan),
        (L_HOME + "/Documents/expenses.csv", expenses_csv()),
        (L_HOME + "/Documents/shopping_list.txt", shopping_list()),
        (
            B_USB + "/Dokumente/rechnung.pdf",
            minimal_pdf("Rechnung 2023-114", "Vielen Dank fuer Ihren Einkauf."),
        ),
        (
            C_DESKTOP + "/Documents/facture.pdf",
            minimal_pdf("Facture 2023-0457", "Merci pour votre achat."),
        ),
    )
    for path, data in documents:
        truth.distractors.append(tree.add(path, data))
