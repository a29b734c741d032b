"""Known material end to end on both databases: import banks, match on ingest and on demand,
pre-categorise, hide known-good files, control false positives, export and re-import."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.kit.evidence import write_jpeg, write_png, write_video
from tests.kit.hashset_files import write_vics
from tests.kit.icse_files import write_icse_csv
from tests.kit.nsrl_files import NsrlRow, build_rds_v3
from vidtrace.bootstrap import App, bootstrap
from vidtrace.config import Settings
from vidtrace.domain.known import BankType
from vidtrace.hashsets.base import HashSetFormatError
from vidtrace.matching.bank_import import BankExistsError
from vidtrace.signals.pdq import hamming


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def _by_path(app: App) -> dict[str, dict[str, Any]]:
    return {Path(m["occurrences"][0]["path"]).name: m for m in app.media().list()}


def _vics_media(md5: str, pdq: str | None = None, category: Any = 1, **more: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"MD5": md5, "Category": category, "MediaID": 1, **more}
    if pdq:
        record["AlternativeHashes"] = [{"MD5": md5, "HashName": "PDQ", "HashValue": pdq}]
    return record


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    root = tmp_path / "evidence"
    for seed in range(1, 5):
        write_jpeg(root / f"photo-{seed}.jpg", seed)
    write_png(root / "screen.png", 7)
    (root / "system" / "kernel32.dll").parent.mkdir(parents=True)
    (root / "system" / "kernel32.dll").write_bytes(b"MZ" + bytes(range(256)) * 40)
    (root / "system" / "readme.txt").write_text("an application's benign readme\n")
    write_video(root / "clip.mp4", 9, seconds=3)
    return root


def test_vics_bank_precategorises_on_ingest_and_is_reported(
    settings: Settings, evidence: Path, tmp_path: Path
) -> None:
    app = bootstrap(settings)
    bank = tmp_path / "vics.json"
    write_vics(
        bank,
        [
            _vics_media(
                _md5(evidence / "photo-1.jpg"), Series="Series Alpha", VictimIdentified="true"
            ),
            _vics_media("0" * 32, category="5"),  # non-pertinent, matches nothing here
        ],
        profile="US",
    )
    imported = app.importer().run(bank, "VICS US")
    assert (imported.records_read, imported.imported, imported.rejected) == (2, 2, 0)

    summary = app.ingest_runner().run([evidence], "Case A")
    assert summary.banks == 1 and summary.precategorised == 1
    assert "1 of 8 media (12.5%)" in summary.to_text()
    media = _by_path(app)
    photo = media["photo-1.jpg"]
    assert photo["known"] is True
    [match] = photo["matches"]
    assert match["bank"] == "VICS US" and match["kind"] == "md5" and match["distance"] == 0
    assert match["category"] == "1" and match["series"] == "Series Alpha"
    assert match["victim_identified"] is True
    assert not any(m["known"] for name, m in media.items() if name != "photo-1.jpg")
    review = {m["sha256"] for m in app.media().list(review=True)}
    assert photo["sha256"] not in review and len(review) == 7


def test_pdq_matches_within_the_bank_threshold_and_rematch_applies_policy(
    settings: Settings, evidence: Path, tmp_path: Path
) -> None:
    app = bootstrap(settings)
    app.ingest_runner().run([evidence], "Case A")
    media = _by_path(app)
    target = media["photo-2.jpg"]
    near = _flip(target["pdq"], 12)  # a near-duplicate known elsewhere, different bytes
    write_vics(tmp_path / "near.json", [_vics_media("1" * 32, pdq=near)])
    app.importer().run(tmp_path / "near.json", "Near")
    result = app.matcher().run()
    assert result.to_json()["precategorised"] == 1
    [match] = _by_path(app)["photo-2.jpg"]["matches"]
    assert (match["kind"], match["distance"], match["dihedral"]) == ("pdq", 12, "original")

    assert app.banks().set_policy("Near", pdq_threshold=10)
    app.matcher().run(pending_only=True)  # the policy change makes every media pending
    assert _by_path(app)["photo-2.jpg"]["known"] is False


def test_ignore_bank_suppresses_perceptual_matches_but_not_exact_ones(
    settings: Settings, evidence: Path, tmp_path: Path
) -> None:
    app = bootstrap(settings)
    app.ingest_runner().run([evidence], "Case A")
    media = _by_path(app)
    logo, exact = media["photo-3.jpg"], media["photo-4.jpg"]
    write_vics(
        tmp_path / "known.json",
        [
            _vics_media("2" * 32, pdq=_flip(logo["pdq"], 4)),
            _vics_media(exact["md5"], pdq=_flip(exact["pdq"], 4)),
        ],
    )
    write_vics(
        tmp_path / "ignore.json",
        [_vics_media("3" * 32, pdq=logo["pdq"]), _vics_media("4" * 32, pdq=exact["pdq"])],
    )
    app.importer().run(tmp_path / "known.json", "Known")
    app.importer().run(tmp_path / "ignore.json", "False positives", bank_type=BankType.IGNORE)
    app.matcher().run()
    media = _by_path(app)
    assert media["photo-3.jpg"]["known"] is False
    assert {m["bank"] for m in media["photo-3.jpg"]["matches"]} == {"False positives"}
    assert media["photo-4.jpg"]["known"] is True
    kinds = {(m["bank"], m["kind"]) for m in media["photo-4.jpg"]["matches"]}
    assert ("Known", "md5") in kinds and ("Known", "pdq") not in kinds


def test_video_frames_match_through_their_pdq(
    settings: Settings, evidence: Path, tmp_path: Path
) -> None:
    app = bootstrap(settings)
    app.ingest_runner().run([evidence], "Case A")
    clip = app.media().get(_by_path(app)["clip.mp4"]["sha256"])
    assert clip is not None
    frame = next(f for f in clip["frames"] if f["quality"] >= 50)
    write_vics(tmp_path / "frames.json", [_vics_media("5" * 32, pdq=_flip(frame["pdq"], 3))])
    app.importer().run(tmp_path / "frames.json", "Frames")
    app.matcher().run()
    clip = _by_path(app)["clip.mp4"]
    assert clip["known"] is True
    kinds = {(m["kind"], m["frame"] is not None) for m in clip["matches"]}
    assert ("video-pdq", True) in kinds


def test_nsrl_marks_operating_system_files_known_good(
    settings: Settings, evidence: Path, tmp_path: Path
) -> None:
    app = bootstrap(settings)
    app.ingest_runner().run([evidence], "Case A")
    dll = evidence / "system" / "kernel32.dll"
    data = dll.read_bytes()
    build_rds_v3(
        tmp_path / "rds.db",
        [
            NsrlRow(
                sha256=hashlib.sha256(data).hexdigest().upper(),
                sha1=hashlib.sha1(data).hexdigest().upper(),
                md5=hashlib.md5(data).hexdigest().upper(),
                file_name="kernel32.dll",
                file_size=len(data),
            ),
            NsrlRow(sha256="A" * 64, sha1="B" * 40, md5="C" * 32, file_name="x.dll"),
        ],
    )
    imported = app.importer().run(tmp_path / "rds.db", "NSRL")
    assert imported.format == "nsrl" and imported.bank_type == "known-good"
    summary = app.matcher().run().to_json()
    assert summary["known_good"] == 1 and summary["precategorised"] == 0
    media = _by_path(app)
    assert media["kernel32.dll"]["known_good"] is True
    assert {m["kind"] for m in media["kernel32.dll"]["matches"]} == {"md5", "sha1", "sha256"}
    review = {m["sha256"] for m in app.media().list(review=True)}
    assert media["kernel32.dll"]["sha256"] not in review
    assert media["readme.txt"]["sha256"] in review


def test_a_broken_import_stores_nothing_and_keeps_the_bank_it_would_replace(
    settings: Settings, tmp_path: Path
) -> None:
    app = bootstrap(settings)
    good = tmp_path / "good.json"
    write_vics(good, [_vics_media("6" * 32), _vics_media("7" * 32)])
    app.importer().run(good, "Bank")
    with pytest.raises(BankExistsError):
        app.importer().run(good, "Bank")
    broken = tmp_path / "broken.json"
    broken.write_bytes(good.read_bytes()[:-40])
    with pytest.raises(HashSetFormatError) as error:
        app.importer().run(broken, "Bank", replace=True)
    assert "record" in str(error.value)
    [bank] = app.banks().listing()
    assert bank["entries"] == 2
    with pytest.raises(HashSetFormatError):
        app.importer().run(broken, "Other")
    assert [b["name"] for b in app.banks().listing()] == ["Bank"]


def test_rejected_records_are_counted_with_numbers_and_reasons(
    settings: Settings, tmp_path: Path
) -> None:
    app = bootstrap(settings)
    path = tmp_path / "mixed.json"
    write_vics(path, [_vics_media("8" * 32), {"MD5": "not-hex", "Category": 1}, {"Category": 2}])
    summary = app.importer().run(path, "Mixed")
    data = summary.to_json()
    assert (data["records_read"], data["imported"], data["rejected"]) == (3, 1, 2)
    assert [r["record"] for r in data["rejections"]] == [2, 3]
    with pytest.raises(HashSetFormatError) as error:
        app.importer().run(path, "Strict", strict=True)
    assert error.value.record == 2


def test_vics_and_icse_exports_reimport_to_the_same_data(
    settings: Settings, evidence: Path, tmp_path: Path
) -> None:
    app = bootstrap(settings)
    app.ingest_runner().run([evidence], "Case A")
    photo = _by_path(app)["photo-1.jpg"]
    write_vics(
        tmp_path / "bank.json",
        [_vics_media(photo["md5"], Series="S1", VictimIdentified=True, PhotoDNA="A" * 192)],
        profile="UK",
    )
    app.importer().run(tmp_path / "bank.json", "CAID")
    app.matcher().run()
    for name, exporter in (("vics.json", "vics"), ("icse.csv", "icse")):
        from vidtrace.export import exporters

        summary = exporters.get(exporter)(app.engine).export("Case A", tmp_path / name)
        assert summary.records == 8
        app.importer().run(tmp_path / name, f"Re-{exporter}")
        entries = {e.md5: e for e in app.banks().entries(f"Re-{exporter}")}
        assert set(entries) == {m["md5"] for m in app.media().list()}
        again = entries[photo["md5"]]
        assert again.sha1 == photo["sha1"] and again.series == "S1"
        assert again.victim_identified is True and again.photodna == "A" * 192
        if exporter == "vics":
            assert again.sha256 == photo["sha256"] and again.pdq == photo["pdq"]
            assert again.category == "1" and again.media_size == photo["size"]
            assert again.file_paths == (photo["occurrences"][0]["path"],)
    document = json.loads((tmp_path / "vics.json").read_text())
    assert document["@odata.context"].endswith("/UK/$metadata#Cases")


def _flip(hex_hash: str, bits: int) -> str:
    value = int(hex_hash, 16)
    for bit in range(bits):
        value ^= 1 << (bit * 19 % 256)
    flipped = f"{value:064x}"
    assert hamming(hex_hash, flipped) == bits
    return flipped


def test_icse_bank_imports_and_matches(settings: Settings, evidence: Path, tmp_path: Path) -> None:
    app = bootstrap(settings)
    app.ingest_runner().run([evidence], "Case A")
    photo = _by_path(app)["photo-2.jpg"]
    write_icse_csv(
        tmp_path / "icse.csv",
        [{"MD5": photo["md5"], "SHA1": photo["sha1"], "Baseline": "Yes", "Series name": "B"}],
    )
    summary = app.importer().run(tmp_path / "icse.csv", "ICSE")
    assert summary.format == "icse" and summary.imported == 1
    app.matcher().run()
    photo = _by_path(app)["photo-2.jpg"]
    assert photo["known"] is True
    assert {(m["kind"], m["category"]) for m in photo["matches"]} == {
        ("md5", "baseline"),
        ("sha1", "baseline"),
    }
    json.dumps(photo)  # JSON-ready
