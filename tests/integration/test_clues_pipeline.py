"""Clue extraction end to end on both databases: ingest, group, extract, rank, review, decide."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select, update

from tests.kit.evidence import exif_bytes, scene
from vidtrace.bootstrap import App, bootstrap
from vidtrace.clues.analyst_clues import analyst_clue
from vidtrace.clues.extractors import ClueExtractor, ClueSubject, extractors
from vidtrace.clues.kinds import ClueError
from vidtrace.config import Settings
from vidtrace.domain.clue import ClueStatus
from vidtrace.store.models import AuditEvent, ClueExtraction, CountryNotification, Media

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
AMSTERDAM = (52.3676, 4.9041)


def _sign(seed: int, lines: list[str], size: tuple[int, int] = (1200, 900)) -> Image.Image:
    """A generated room with a light sign board carrying ``lines`` of dark text."""
    image = scene(seed, *size)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU), 56) if DEJAVU.exists() else ImageFont.load_default(56)
    draw.rectangle((80, 120, 1120, 150 + 90 * len(lines)), fill=(245, 242, 230))
    for row, line in enumerate(lines):
        draw.text((110, 140 + 90 * row), line, fill=(20, 20, 30), font=font)
    return image


def _evidence(root: Path) -> Path:
    folder = root / "evidence"
    folder.mkdir(parents=True)
    gps_nl = exif_bytes(gps=AMSTERDAM, offset="+02:00", taken_at="2023:06:14 10:00:00")
    room = scene(7, 1024, 768)
    room.save(folder / "IMG_0001.JPG", "JPEG", quality=92, exif=gps_nl)
    room.resize((800, 600)).save(folder / "IMG_0001_small.JPG", "JPEG", quality=80, exif=gps_nl)
    _sign(11, ["Bakkerij Jansen", "Tel. +31 20 555 0134", "www.bakkerij-jansen.nl"]).save(
        folder / "shop.png"
    )
    return folder


@pytest.fixture
def app(settings: Settings, tmp_path: Path) -> App:
    made = bootstrap(settings)
    made.ingest_runner().run([_evidence(tmp_path)], "case-nl", "Politie", "NL")
    made.grouper().run()
    return made


def _series_of(app: App, name: str) -> int:
    located = app.media().located()
    sha256 = next(k for path, k in located.items() if path.endswith(name))
    return app.series().series_of_media()[sha256]


def test_extraction_ranks_the_series_and_resumes(app: App, tesseract: str) -> None:
    summary = app.clue_runner(1).run()
    assert summary.media == 3
    assert summary.clues["gps"] == 2
    assert summary.clues["phone"] == 1
    assert summary.clues["domain"] == 1
    ranking = app.country_assessor().rank_series(_series_of(app, "IMG_0001.JPG"))
    assert ranking.ranking[0].country == "NL"
    assert not ranking.conflict
    shop_sha256 = next(k for p, k in app.media().located().items() if p.endswith("shop.png"))
    shop = app.country_assessor().rank_media(shop_sha256)  # alone: no series of its own
    assert shop.ranking[0].country == "NL"
    assert {e.kind for e in shop.ranking[0].supporting} >= {"phone", "domain", "language"}
    assert any("Bakkerij" in t.text for t in app.clue_queries().texts_of_media(shop_sha256))
    hits = app.clue_queries().search_text("bakkerij")  # analysts search what was read
    assert hits and {hit["media"] for hit in hits} == {shop_sha256}
    assert app.clue_queries().search_text("100%_") == []
    # everything was read once: a second run has nothing to do
    again = app.clue_runner(1).run()
    assert again.media == 0
    with app.engine.connect() as conn:
        done = conn.scalar(select(func.count()).select_from(ClueExtraction))
    assert done == 3 * len(extractors)


class _CountingExtractor(ClueExtractor):
    """A stand-in extractor, registered only inside the test below."""

    name = "counting-test"
    kind = "other"
    version = 1

    def run(self, subject: ClueSubject) -> None:
        self.clue(subject, "seen", {"BE": 1.0}, 0.5)


def test_a_new_extractor_version_reads_everything_again(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extractors, "_entries", {"counting-test": _CountingExtractor})
    assert app.clue_runner(1).run().clues["other"] == 3
    assert app.clue_runner(1).run().media == 0
    monkeypatch.setattr(_CountingExtractor, "version", 2)
    rerun = app.clue_runner(1).run()
    assert rerun.media == 3
    listing = app.clue_queries().find(kind="other")
    assert len(listing) == 3  # replaced, not added
    assert {c["extractor_version"] for c in listing} == {2}


def test_analyst_clues_reviews_and_decisions_are_audited(app: App) -> None:
    series_id = _series_of(app, "IMG_0001.JPG")
    sha256 = next(k for p, k in app.media().located().items() if p.endswith("IMG_0001.JPG"))
    reviews = app.clue_reviews()
    plug = reviews.add(analyst_clue(sha256, "plug", "F", "dana"))
    stored = app.clue_queries().of_media(sha256)
    assert {"DE", "NL"} <= set(next(c for c in stored if c.id == plug).countries)
    currency = reviews.add(analyst_clue(sha256, "currency", "EUR", "dana", confirmed=False))
    reviews.review(currency, ClueStatus.REJECTED, "erik", "a poster, not a banknote")
    ranking = app.country_assessor().rank_series(series_id)
    assert all(e.clue_id != currency for r in ranking.ranking for e in r.supporting)

    decided = app.country_assessor().decide(series_id, "nl", "dana", note="plug and GPS")
    assert decided["country"] == "NL"
    assert plug in decided["clues"]
    history = app.country_decisions().history(series_id)
    assert history[0]["country"] == "NL" and history[0]["analyst"] == "dana"
    assert app.country_decisions().notifications("pending")[0]["country"] == "NL"
    with app.engine.connect() as conn:
        actions = set(conn.scalars(select(AuditEvent.action)))
        notifications = conn.scalar(select(func.count()).select_from(CountryNotification))
    assert {"add-clue", "rejected-clue", "decide-country"} <= actions
    assert notifications == 1
    assert app.series().show(series_id) is not None


def test_bad_clues_are_refused_with_a_clear_error(app: App) -> None:
    sha256 = next(iter(app.media().located().values()))
    with pytest.raises(ClueError, match="unknown clue kind"):
        analyst_clue(sha256, "horoscope", "Leo", "dana", {"NL": 1})
    with pytest.raises(ClueError, match="not an ISO 3166-1 alpha-2"):
        analyst_clue(sha256, "sign", "Bakkerij", "dana", {"UK": 1})
    with pytest.raises(ClueError, match="name the countries"):
        analyst_clue(sha256, "sign", "Bakkerij", "dana")
    with pytest.raises(ClueError, match="no media item"):
        app.clue_reviews().add(analyst_clue("0" * 64, "plug", "G", "dana"))
    with pytest.raises(ClueError, match="no series"):
        app.country_assessor().decide(99_999, "NL", "dana")
    with pytest.raises(ClueError, match="not an ISO"):
        app.country_assessor().decide(1, "XX", "dana")


def test_known_material_is_read_only_when_asked(app: App) -> None:
    shop = next(k for p, k in app.media().located().items() if p.endswith("shop.png"))
    with app.engine.begin() as conn:  # as matching a bank marks it
        conn.execute(update(Media).where(Media.sha256 == shop).values(precategorised=True))
    assert app.clue_runner(1).run().media == 2
    assert app.clue_queries().of_media(shop) == []
    again = app.clue_runner(1, include_known=True).run()
    assert again.media == 1
    assert {c.kind for c in app.clue_queries().of_media(shop)} >= {"phone", "domain"}
