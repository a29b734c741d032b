"""The demo evidence generator: deterministic, complete, and its ground truth is exact."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from pathlib import Path
from typing import Any

import av
import numpy as np
import pdqhash
import phonenumbers
import piexif
import pytesseract
import pytest
import zxingcpp
from PIL import Image, ImageOps

from tests.conftest import require
from vidtrace.demo import DemoManifest, build_demo_evidence, sign_board, signs
from vidtrace.demo.sign_board import DEJAVU, draw_sign, sign_font
from vidtrace.demo.signs import ean13
from vidtrace.domain.provenance import ARCHIVE_SEPARATOR

SEED = 7
PDQ_MATCH_DISTANCE = 31


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return build_demo_evidence(tmp_path_factory.mktemp("demo") / "evidence", seed=SEED)


@pytest.fixture(scope="module")
def truth(demo: DemoManifest) -> dict[str, Any]:
    return json.loads(demo.ground_truth.read_text(encoding="utf-8"))


def read_evidence(out_dir: Path, path: str) -> bytes:
    """The bytes of a ground-truth path: a file, or a member of a .zip or .tar.gz archive."""
    archive, separator, member = path.partition(ARCHIVE_SEPARATOR)
    if not separator:
        return (out_dir / path).read_bytes()
    if archive.endswith(".zip"):
        with zipfile.ZipFile(out_dir / archive) as zipped:
            return zipped.read(member)
    with tarfile.open(out_dir / archive) as tarred:
        extracted = tarred.extractfile(member)
        assert extracted is not None
        return extracted.read()


def all_evidence(out_dir: Path) -> dict[str, bytes]:
    """Every evidence file under ``out_dir`` (not the ground truth, not the demo bank), archives
    opened into members."""
    found: dict[str, bytes] = {}
    for file in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        rel = file.relative_to(out_dir).as_posix()
        if rel == "ground-truth.json" or rel.startswith("banks/"):
            continue
        if rel.endswith(".zip"):
            with zipfile.ZipFile(file) as zipped:
                for name in zipped.namelist():
                    found[f"{rel}{ARCHIVE_SEPARATOR}{name}"] = zipped.read(name)
        elif rel.endswith(".tar.gz"):
            with tarfile.open(file) as tarred:
                for info in tarred.getmembers():
                    if info.isfile():
                        data = tarred.extractfile(info)
                        assert data is not None
                        found[f"{rel}{ARCHIVE_SEPARATOR}{info.name}"] = data.read()
        else:
            found[rel] = file.read_bytes()
    return found


def tree_digests(out_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(out_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in out_dir.rglob("*")
        if p.is_file()
    }


def decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def test_the_same_seed_gives_the_same_bytes(demo: DemoManifest, tmp_path: Path) -> None:
    again = build_demo_evidence(tmp_path / "again", seed=SEED)
    assert tree_digests(again.out_dir) == tree_digests(demo.out_dir)


def test_output_is_modest_and_counted(demo: DemoManifest, truth: dict[str, Any]) -> None:
    assert demo.counts.total_bytes < 60 * 1024 * 1024
    assert demo.counts.series == len(truth["series"])
    assert demo.counts.corrupt == len(truth["corrupt"])
    assert demo.counts.videos == len(truth["videos"])
    assert demo.counts.files == len(all_evidence(demo.out_dir))


def test_three_cases_each_with_evidence_on_disk(demo: DemoManifest, truth: dict[str, Any]) -> None:
    assert len(demo.cases) >= 3
    assert [c["name"] for c in truth["cases"]] == [c.name for c in demo.cases]
    assert len({c.agency for c in demo.cases}) == len(demo.cases)
    for case in demo.cases:
        assert case.evidence and all(item.exists() for item in case.evidence)
        assert all(item.parent == case.folder for item in case.evidence)
    items = [item.name for case in demo.cases for item in case.evidence]
    assert any(name.endswith(".zip") for name in items)
    assert any(name.endswith(".tar.gz") for name in items)


def test_about_a_dozen_series_of_three_or_more(truth: dict[str, Any]) -> None:
    series = truth["series"]
    assert 8 <= len(series) <= 14
    assert len({s["id"] for s in series}) == len(series)
    assert all(len(s["members"]) >= 3 for s in series)
    assert all(set(s["edits"]) == set(s["members"]) for s in series)
    assert {"NL", "DE", "ES", "BR", "TH", "CA", "RS", "GR", "AT"} <= {s["country"] for s in series}
    members = [m for s in series for m in s["members"]]
    assert len(members) == len(set(members)), "a file belongs to one series at most"
    spanning = [s for s in series if len(s["cases"]) > 1]
    assert len(spanning) >= 5


def test_every_ground_truth_path_exists(demo: DemoManifest, truth: dict[str, Any]) -> None:
    paths = {m for s in truth["series"] for m in s["members"]}
    paths |= {p for group in truth["duplicates"] for p in group}
    paths |= {c["path"] for c in truth["corrupt"]} | {m["path"] for m in truth["misnamed"]}
    paths |= set(truth["distractors"]) | {v["path"] for v in truth["videos"]}
    paths |= set(truth["exif"]) | set(truth["overlay_text"])
    assert any(ARCHIVE_SEPARATOR in p for p in paths)
    for path in paths:
        read_evidence(demo.out_dir, path)  # raises if missing


def test_every_file_is_accounted_for(demo: DemoManifest, truth: dict[str, Any]) -> None:
    members = {m for s in truth["series"] for m in s["members"]}
    corrupt = {c["path"] for c in truth["corrupt"]}
    distractors = set(truth["distractors"])
    assert not members & corrupt and not members & distractors and not corrupt & distractors
    assert set(all_evidence(demo.out_dir)) == members | corrupt | distractors


def test_exif_reads_back_as_the_ground_truth_says(
    demo: DemoManifest, truth: dict[str, Any]
) -> None:
    jpegs = [p for p in truth["exif"] if p.lower().endswith((".jpg", ".jpeg"))]
    assert len(jpegs) >= 20
    assert any(t["serial"] for t in truth["exif"].values())
    for path in jpegs:
        expected = truth["exif"][path]
        exif = piexif.load(read_evidence(demo.out_dir, path))
        zeroth, sub, gps = exif["0th"], exif["Exif"], exif["GPS"]
        assert zeroth[piexif.ImageIFD.Make].decode() == expected["make"]
        assert zeroth[piexif.ImageIFD.Model].decode() == expected["model"]
        assert zeroth[piexif.ImageIFD.Orientation] == expected["orientation"]
        serial = sub.get(piexif.ExifIFD.BodySerialNumber)
        assert (serial.decode() if serial else None) == expected["serial"]
        stamp = sub[piexif.ExifIFD.DateTimeOriginal].decode()
        offset = sub[piexif.ExifIFD.OffsetTimeOriginal].decode()
        date, time = stamp.split(" ")
        assert f"{date.replace(':', '-')}T{time}{offset}" == expected["taken_at"]
        if expected["gps"] is None:  # a camera without a GPS receiver
            assert piexif.GPSIFD.GPSLatitude not in gps
            continue
        assert _degrees(gps[piexif.GPSIFD.GPSLatitude], gps[piexif.GPSIFD.GPSLatitudeRef]) == (
            pytest.approx(expected["gps"]["lat"], abs=1e-6)
        )
        assert _degrees(gps[piexif.GPSIFD.GPSLongitude], gps[piexif.GPSIFD.GPSLongitudeRef]) == (
            pytest.approx(expected["gps"]["lon"], abs=1e-6)
        )


def _degrees(dms: tuple[tuple[int, int], ...], ref: bytes) -> float:
    degrees, minutes, seconds = (n / d for n, d in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if ref in (b"S", b"W") else value


def test_originals_are_sequential_shots_minutes_apart(truth: dict[str, Any]) -> None:
    for series in truth["series"]:
        shots = sorted(
            p
            for p, e in series["edits"].items()
            if e in ("original", "other_shot", "portrait_shot") and "/Backup/" not in p
        )
        times = [truth["exif"][p]["taken_at"] for p in shots]
        assert times == sorted(times) and len(set(times)) == 3, series["id"]
        assert {truth["exif"][p]["model"] for p in shots} == {series["camera"]["model"]}


def test_portrait_shots_are_stored_sideways_with_orientation_6(
    demo: DemoManifest, truth: dict[str, Any]
) -> None:
    for series in truth["series"]:
        path = next(p for p, e in series["edits"].items() if e == "portrait_shot")
        data = read_evidence(demo.out_dir, path)
        assert truth["exif"][path]["orientation"] == 6
        with Image.open(io.BytesIO(data)) as stored:
            assert stored.width > stored.height
        upright = decoded(data)
        assert upright.height > upright.width


def test_duplicates_are_byte_identical_and_cross_cases(
    demo: DemoManifest, truth: dict[str, Any]
) -> None:
    folders = [c["folder"] for c in truth["cases"]]
    crossing = 0
    for group in truth["duplicates"]:
        blobs = {read_evidence(demo.out_dir, p) for p in group}
        assert len(blobs) == 1
        cases = {f for f in folders for p in group if p.startswith(f + "/")}
        crossing += len(cases) > 1
    assert crossing >= 3


def test_videos_decode_with_the_expected_duration(
    demo: DemoManifest, truth: dict[str, Any]
) -> None:
    containers = {v["container"] for v in truth["videos"]}
    assert {"mp4", "mkv"} <= containers and containers & {"webm", "mov"}
    for video in truth["videos"]:
        data = read_evidence(demo.out_dir, video["path"])
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.video[0]
            assert stream.codec_context.name == video["codec"]
            assert (stream.width, stream.height) == (video["width"], video["height"])
            assert container.duration is not None
            assert container.duration / av.time_base == pytest.approx(video["duration"], abs=0.1)
            assert 3.0 <= video["duration"] <= 6.0
            assert sum(1 for _ in container.decode(video=0)) == video["frames"]
            metadata = {k.lower(): v for k, v in container.metadata.items()}
        if video["created_at"]:
            assert metadata["creation_time"].startswith(video["created_at"].rstrip("Z"))
        if video["location_iso6709"]:
            assert metadata["location"] == video["location_iso6709"]


def test_the_clip_shows_frames_of_its_source(demo: DemoManifest, truth: dict[str, Any]) -> None:
    clip = next(v for v in truth["videos"] if v["clip_of"])
    source = clip["clip_of"]
    first = round(source["start"] * clip["fps"])

    def frame(path: str, index: int) -> np.ndarray:
        with av.open(io.BytesIO(read_evidence(demo.out_dir, path))) as container:
            for number, decoded_frame in enumerate(container.decode(video=0)):
                if number == index:
                    return decoded_frame.to_ndarray(format="rgb24").astype(np.float64)
        raise AssertionError("frame not found")

    difference = np.abs(frame(clip["path"], 0) - frame(source["path"], first)).mean()
    assert difference < 8.0


def test_corrupt_files_are_really_broken(demo: DemoManifest, truth: dict[str, Any]) -> None:
    assert len(truth["corrupt"]) >= 5
    for entry in truth["corrupt"]:
        data = read_evidence(demo.out_dir, entry["path"])
        if entry["path"].endswith(".mp4"):
            with pytest.raises(av.FFmpegError), av.open(io.BytesIO(data)) as container:
                for _ in container.decode(video=0):
                    pass
        else:
            # Any failure to decode will do: Pillow raises OSError or UnidentifiedImageError.
            with pytest.raises(OSError), Image.open(io.BytesIO(data)) as image:
                image.load()


def test_a_misnamed_png_is_still_a_png(demo: DemoManifest, truth: dict[str, Any]) -> None:
    (entry,) = truth["misnamed"]
    data = read_evidence(demo.out_dir, entry["path"])
    assert entry["path"].endswith(".jpg") and data.startswith(b"\x89PNG\r\n\x1a\n")
    assert decoded(data).width > 0


def test_distractors_exist_outside_every_series(demo: DemoManifest, truth: dict[str, Any]) -> None:
    assert len(truth["distractors"]) >= 5
    kinds = {Path(p).suffix for p in truth["distractors"]}
    assert {".pdf", ".csv"} <= kinds
    for path in truth["distractors"]:
        assert read_evidence(demo.out_dir, path)


def _pdq(image: Image.Image) -> list[np.ndarray]:
    hashes, _ = pdqhash.compute_dihedral(np.asarray(image))
    return [h.astype(bool) for h in hashes]


def test_series_differ_and_near_duplicates_stay_near(
    demo: DemoManifest, truth: dict[str, Any]
) -> None:
    bases = {}
    near = ("messenger", "format_copy", "reencode", "colour_shift", "resize", "hflip", "rotate90")
    for series in truth["series"]:
        originals = sorted(p for p, e in series["edits"].items() if e == "original")
        base = _pdq(decoded(read_evidence(demo.out_dir, originals[0])))
        bases[series["id"]] = base
        for path, edit in series["edits"].items():
            if edit in near:
                copy = _pdq(decoded(read_evidence(demo.out_dir, path)))
                distance = min(int(np.count_nonzero(base[0] != h)) for h in copy)
                assert distance <= PDQ_MATCH_DISTANCE, (path, edit, distance)
    for a, b in combinations(bases, 2):
        distance = min(int(np.count_nonzero(bases[a][0] != h)) for h in bases[b])
        assert distance > 2 * PDQ_MATCH_DISTANCE, (a, b, distance)


def test_an_existing_demo_is_not_overwritten_by_accident(demo: DemoManifest) -> None:
    with pytest.raises(FileExistsError):
        build_demo_evidence(demo.out_dir, seed=SEED)


# Clues to the country of production: what each series carries, and that it can be read back.

ORIGINAL_SHOTS = ("original", "other_shot", "portrait_shot")


@pytest.fixture(scope="session")
def dejavu() -> Path:
    """DejaVu Sans, which prints the demo's Cyrillic and Greek signs (fonts-dejavu-core)."""
    require((DEJAVU / "DejaVuSans.ttf").is_file(), f"DejaVu fonts not found in {DEJAVU}")
    return DEJAVU


def camera_original(series: dict[str, Any]) -> str:
    return min(p for p, e in series["edits"].items() if e == "original" and "/Backup/" not in p)


def test_every_series_carries_clues_to_its_country(truth: dict[str, Any], dejavu: Path) -> None:
    without_gps = []
    for series in truth["series"]:
        notes = series["clues"]
        assert any(n.startswith(("gps ", "phone ", "domain ", "sign ")) for n in notes), notes
        gps = [n.split()[1] for n in notes if n.startswith("gps ")]
        assert gps in ([], [series["country"]])
        shots = [p for p, e in series["edits"].items() if e in ORIGINAL_SHOTS]
        assert {truth["exif"][p]["gps"] is not None for p in shots} == {bool(gps)}
        if not gps:
            without_gps.append(series["id"])
        sign = series["sign"]
        if sign is not None:
            assert sign["lines"][0] in " ".join(notes)
            assert (sign["country"] != series["country"]) == series["conflict"]
    assert len(without_gps) >= 2, "some cameras write no GPS: their text must carry the country"


def test_one_conflict_scene_gps_against_phone_and_domain(truth: dict[str, Any]) -> None:
    (conflict,) = [s for s in truth["series"] if s["conflict"]]
    notes = conflict["clues"]
    assert f"gps {conflict['country']} ({conflict['city']})" in notes
    sign = conflict["sign"]
    assert sign["country"] != conflict["country"]
    assert f"phone {sign['phone']} ({sign['country']})" in notes
    assert f"domain .{sign['country'].lower()} ({sign['domain']})" in notes


def test_signs_in_several_languages_and_scripts(truth: dict[str, Any], dejavu: Path) -> None:
    signs = [s["sign"] for s in truth["series"]]
    assert all(signs), "with DejaVu installed every planned sign is printed"
    assert len({sign["lines"][0] for sign in signs}) == len(signs), "every series' sign differs"
    assert len({sign["language"] for sign in signs}) >= 8
    assert {"Cyrillic", "Greek"} <= {sign["script"] for sign in signs}
    for series in truth["series"]:
        if series["sign"]["script"] != "Latin":
            assert any(not line.isascii() for line in series["sign"]["lines"])
    # where the camera wrote no GPS, the sign names the country by phone or domain
    for series in truth["series"]:
        if not any(n.startswith("gps ") for n in series["clues"]):
            assert series["sign"]["phone"] or series["sign"]["domain"], series["id"]


def test_phone_numbers_and_domains_name_the_shop_country(truth: dict[str, Any]) -> None:
    phones = 0
    for series in truth["series"]:
        sign = series["sign"]
        if sign is None:
            continue
        text = "\n".join(sign["lines"])
        if sign["phone"]:
            phones += 1
            assert sign["phone"] in text and sign["phone"].startswith("+")
            number = phonenumbers.parse(sign["phone"], None)
            assert phonenumbers.is_valid_number(number), sign["phone"]
            assert phonenumbers.region_code_for_number(number) == sign["country"]
        if sign["domain"]:
            assert sign["domain"] in text
            assert sign["domain"].rsplit(".", 1)[-1] == sign["country"].lower()
    assert phones >= 8


def test_ean13_check_digit() -> None:
    assert ean13("400638133393") == "4006381333931"
    assert ean13("871234567890") == "8712345678906"
    with pytest.raises(ValueError):
        ean13("12345")


def test_the_barcode_reads_on_the_camera_original(
    demo: DemoManifest, truth: dict[str, Any]
) -> None:
    (series,) = [s for s in truth["series"] if s["barcode"]]
    digits = series["barcode"]["ean13"]
    assert ean13(digits[:12]) == digits
    assert 800 <= int(digits[:3]) <= 839  # GS1 Italy
    assert series["barcode"]["gs1_country"] == series["country"] == "IT"
    assert f"barcode {digits} (GS1 {digits[:3]}: IT)" in series["clues"]
    image = decoded(read_evidence(demo.out_dir, camera_original(series)))
    found = [(b.text, b.format) for b in zxingcpp.read_barcodes(image)]
    assert found == [(digits, zxingcpp.BarcodeFormat.EAN13)]


def _read(job: tuple[Image.Image, str]) -> str:
    image, lang = job
    return " ".join(pytesseract.image_to_string(image, lang=lang).split())


def _model(line: str, script: str) -> str:
    return "Latin" if line.isascii() else script


def _stacked(pictures: list[Image.Image]) -> Image.Image:
    """The pictures one under the other on white, so that one Tesseract run reads them all."""
    gap = 60
    width = max(p.width for p in pictures) + 2 * gap
    height = sum(p.height + gap for p in pictures) + gap
    sheet = Image.new("RGB", (width, height), (255, 255, 255))
    y = gap
    for picture in pictures:
        sheet.paste(picture, (gap, y))
        y += picture.height + gap
    return sheet


def test_signs_read_back_with_tesseract(
    demo: DemoManifest,
    truth: dict[str, Any],
    tesseract: str,
    dejavu: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On each camera original cut to its sign, phone numbers and domains read exactly and the
    other lines nearly so (an accent may go astray); a line in plain ASCII, like a web address
    on a Cyrillic sign, is read through the Latin model. Where text must carry the country (no
    GPS, or the conflict), the name and phone number also read on the whole picture."""
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")  # two tesseract processes share two cores
    cuts: dict[str, list[Image.Image]] = {}
    jobs: dict[str, tuple[Image.Image, str]] = {}
    for series in truth["series"]:
        sign = series["sign"]
        image = decoded(read_evidence(demo.out_dir, camera_original(series)))
        assert image.width >= 1000
        x, y, w, h = sign["box"]
        assert h * image.height >= 40 * len(sign["lines"])  # lines well over 40 px apart
        margin = 0.02
        cut = image.crop(
            (
                round((x - margin) * image.width),
                round((y - margin) * image.height),
                round((x + w + margin) * image.width),
                round((y + h + margin) * image.height),
            )
        )
        for model in {_model(line, sign["script"]) for line in sign["lines"]}:
            cuts.setdefault(model, []).append(cut)
        if series["conflict"] or not any(n.startswith("gps ") for n in series["clues"]):
            lang = "Latin" if sign["script"] == "Latin" else f"{sign['script']}+Latin"
            jobs[series["id"]] = (image, lang)
    jobs |= {model: (_stacked(pictures), model) for model, pictures in cuts.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:  # each call runs one tesseract process
        read = dict(zip(jobs, pool.map(_read, jobs.values()), strict=True))
    words = found = 0
    for series in truth["series"]:
        sign = series["sign"]
        for line in sign["lines"]:
            text = read[_model(line, sign["script"])]
            if any(clue and clue in line for clue in (sign["phone"], sign["domain"])):
                assert line in text, (series["id"], line)
            line_words = line.split()
            line_found = sum(word in text.split() for word in line_words)
            assert line_found >= len(line_words) / 2, (series["id"], line, text)
            words, found = words + len(line_words), found + line_found
        whole = read.get(series["id"])
        if whole is not None:
            assert sign["lines"][0] in whole and sign["phone"] in whole, (series["id"], whole)
    assert found >= 0.9 * words


def test_without_dejavu_latin_signs_lose_their_accents_and_others_are_left_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sign_board, "DEJAVU", tmp_path / "no-fonts")
    sign_font.cache_clear()
    try:
        board = draw_sign(signs.BAECKEREI, 40, (250, 250, 250), (0, 0, 0))
        assert board is not None
        assert board.lines[:2] == ("Backerei Muller", "Frische Brotchen taglich")
        assert draw_sign(signs.PEKARA, 40, (250, 250, 250), (0, 0, 0)) is None
        assert draw_sign(signs.FOURNOS, 40, (250, 250, 250), (0, 0, 0)) is None
    finally:
        sign_font.cache_clear()
