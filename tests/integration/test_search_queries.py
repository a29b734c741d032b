"""The workbench's search on both databases: each kind finds the right item, another agency's
items (and places) are never returned, known material is flagged, bad input is refused with
the reason, and the substring indexes follow inserts, updates and deletes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.kit.evidence import exif_bytes, write_jpeg
from vidtrace.bootstrap import App, bootstrap
from vidtrace.clues.analyst_clues import analyst_clue
from vidtrace.clues.results import ExtractionResult
from vidtrace.config import Settings
from vidtrace.domain.clue import RecognisedText
from vidtrace.domain.search import SearchHit, SearchKind, SearchResult
from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import visible_cases
from vidtrace.store.clue_reviews import ClueReviews
from vidtrace.store.clue_store import ClueStore
from vidtrace.store.models import Agency, Media, Occurrence
from vidtrace.store.search_predicates import OCCURRENCE_PATH, containing
from vidtrace.store.search_queries import SearchQueries

ADMIN = Viewer(user_id=1, name="root", role=Role.ADMIN, agency_id=None)


@dataclass
class World:
    app: App
    search: SearchQueries
    alice: Viewer  # Agency A: Case A
    bob: Viewer  # Agency B: Case B
    media: dict[str, str]  # "beach-1" -> sha256

    def find(self, viewer: Viewer, text: str, kind: str = "auto", **options: int) -> SearchResult:
        return self.search.search(viewer, text, kind, **options)

    def found(self, viewer: Viewer, text: str, kind: str = "auto", **options: int) -> set[str]:
        """The stems of the items found."""
        by_sha = {sha: stem for stem, sha in self.media.items()}
        return {by_sha[hit.media] for hit in self.find(viewer, text, kind, **options).hits}


@pytest.fixture
def world(settings: Settings, tmp_path: Path) -> Iterator[World]:
    """Case A (Agency A): holiday-2019/beach-1.jpg (a Canon with a serial, text read off it and
    a clue) and beach-2.jpg. Case B (Agency B): secret-b/beach-3.jpg (a Nikon, and a clue)."""
    app = bootstrap(settings)
    canon = exif_bytes(make="Canon", model="Canon EOS 80D", serial="SN-A-4711")
    nikon = exif_bytes(make="NIKON", model="NIKON D750", serial="SN-B-0815")
    write_jpeg(tmp_path / "a" / "holiday-2019" / "beach-1.jpg", 11, exif=canon)
    write_jpeg(tmp_path / "a" / "holiday-2019" / "beach-2.jpg", 12)
    write_jpeg(tmp_path / "b" / "secret-b" / "beach-3.jpg", 13, exif=nikon)
    app.ingest_runner().run([tmp_path / "a"], "Case A", "Agency A", "NL")
    app.ingest_runner().run([tmp_path / "b"], "Case B", "Agency B", "DE")
    with app.engine.connect() as conn:
        agencies = {name: key for name, key in conn.execute(select(Agency.name, Agency.id))}
        places = conn.execute(select(Occurrence.path, Occurrence.media_sha256)).all()
        media = {Path(path).stem: sha for path, sha in places}
    alice = Viewer(user_id=2, name="alice", role=Role.ANALYST, agency_id=agencies["Agency A"])
    bob = Viewer(user_id=3, name="bob", role=Role.ANALYST, agency_id=agencies["Agency B"])
    store = ClueStore(app.engine, app.vault)
    text = RecognisedText("Bakkerij Jansen, Prinsengracht 12 Amsterdam", "Latin", 91.0)
    store.save([ExtractionResult(media["beach-1"], ran={"text": 1}, texts=[text])])
    ClueReviews(app.engine).add(
        analyst_clue(media["beach-1"], "sign", "Bakkerij Jansen 100%", "alice", {"NL": 1.0})
    )
    ClueReviews(app.engine).add(
        analyst_clue(media["beach-3"], "sign", "Konditorei Jansen", "bob", {"DE": 1.0})
    )
    yield World(app, SearchQueries(app.engine), alice, bob, media)
    app.close()


def row_of(world: World, stem: str) -> Media:
    with world.app.engine.connect() as conn:
        found: Media = conn.execute(select(Media).where(Media.sha256 == world.media[stem])).one()
    return found


def flipped(pdq: str, bits: list[int]) -> str:
    """``pdq`` with the given bits (0 = the most significant) inverted."""
    value = int(pdq, 16)
    for bit in bits:
        value ^= 1 << (255 - bit)
    return f"{value:064x}"


def test_hashes_find_the_item_exactly(world: World) -> None:
    one = row_of(world, "beach-1")
    for digest, field in ((one.md5, "md5"), (one.sha1, "sha1"), (one.sha256, "sha256")):
        result = world.find(world.alice, digest.upper())
        assert [(h.media, h.match, h.where) for h in result.hits if h.match == "hash"] == [
            (one.sha256, SearchKind.HASH, field)
        ]
        assert world.found(world.alice, digest, "hash") == {"beach-1"}
        assert world.find(world.bob, digest, "hash").hits == ()
    three = row_of(world, "beach-3")
    assert world.find(world.alice, three.md5).hits == ()
    assert world.found(world.bob, three.md5) == {"beach-3"}


def test_a_64_hex_query_is_searched_as_sha256_and_as_pdq(world: World) -> None:
    one = row_of(world, "beach-1")
    result = world.find(world.alice, one.sha256)
    assert result.kinds == (SearchKind.HASH, SearchKind.PDQ)
    assert "SHA-256 and as a PDQ" in result.note
    assert one.pdq is not None
    as_pdq = world.find(world.alice, one.pdq)
    pdq_hits = [h for h in as_pdq.hits if h.match == SearchKind.PDQ]
    assert pdq_hits[0] == SearchHit(
        media=one.sha256,
        media_kind="image",
        match=SearchKind.PDQ,
        where="pdq",
        value=one.pdq,
        series=None,
        known=False,
        known_good=False,
        distance=0,
    )


def test_pdq_finds_hashes_within_the_distance_and_no_farther(world: World) -> None:
    one = row_of(world, "beach-1")
    assert one.pdq is not None
    # One bit off in every 16-bit chunk: no chunk equals the query's, so only the one-bit
    # probes can find it.
    every_chunk = flipped(one.pdq, [16 * chunk + 3 for chunk in range(16)])
    for distance, expected in ((15, set()), (16, {"beach-1"}), (31, {"beach-1"})):
        found = world.found(world.alice, every_chunk, "pdq", distance=distance)
        assert found == expected, distance
    distances = [h.distance for h in world.find(world.alice, every_chunk, "pdq").hits]
    assert distances[0] == 16 and distances == sorted(distances)
    # 31 bits: two in fifteen chunks, one in the last.
    far = flipped(one.pdq, [16 * c + b for c in range(15) for b in (1, 9)] + [16 * 15 + 5])
    hit = next(
        h for h in world.find(world.alice, far, "pdq", distance=31).hits if h.media == one.sha256
    )
    assert hit.distance == 31
    assert one.sha256 not in {
        h.media for h in world.find(world.alice, far, "pdq", distance=30).hits
    }
    three = row_of(world, "beach-3")
    assert three.pdq is not None
    assert three.sha256 not in {h.media for h in world.find(world.alice, three.pdq, "pdq").hits}
    assert three.sha256 in {h.media for h in world.find(world.bob, three.pdq, "pdq").hits}


def test_paths_match_a_part_of_the_name_or_folder_any_case(world: World) -> None:
    assert world.found(world.alice, "HOLIDAY-2019", "path") == {"beach-1", "beach-2"}
    assert world.found(world.alice, "each-2.jp", "path") == {"beach-2"}
    hit = world.find(world.alice, "beach-1", "path").hits[0]
    assert (hit.where, hit.value, hit.case) == ("path", "holiday-2019/beach-1.jpg", "Case A")
    assert world.found(world.bob, "holiday", "path") == set()
    assert world.found(world.bob, "secret-b", "path") == {"beach-3"}
    assert world.found(ADMIN, "beach", "path") == {"beach-1", "beach-2", "beach-3"}


def test_a_place_in_another_agencys_case_is_not_shown(world: World, tmp_path: Path) -> None:
    """A copy of beach-1 found in Case B: Alice sees beach-1 (Case A) but not that place,
    and Bob now sees beach-1, by that place only."""
    one = tmp_path / "a" / "holiday-2019" / "beach-1.jpg"
    (tmp_path / "copy").mkdir()
    shutil.copy(one, tmp_path / "copy" / "copy-of-one.jpg")
    world.app.ingest_runner().run([tmp_path / "copy"], "Case B", "Agency B", "DE")
    assert world.find(world.alice, "copy-of-one").hits == ()
    assert [h.value for h in world.find(world.alice, "beach-1", "path").hits] == [
        "holiday-2019/beach-1.jpg"
    ]
    bobs = world.find(world.bob, "beach-1.jpg")
    assert [(h.match, h.media) for h in bobs.hits] == []
    assert [(h.value, h.case) for h in world.find(world.bob, "copy-of", "path").hits] == [
        ("copy-of-one.jpg", "Case B")
    ]
    assert world.found(world.bob, "prinsengracht", "text") == {"beach-1"}, "the item is his now"
    hits = world.find(ADMIN, ".jpg", "path").hits
    places = {h.value for h in hits if h.media == world.media["beach-1"]}
    assert places == {"holiday-2019/beach-1.jpg", "copy-of-one.jpg"}


def test_a_viewer_without_cases_finds_nothing(world: World) -> None:
    nobody = Viewer(user_id=4, name="nobody", role=Role.ANALYST, agency_id=None)
    one = row_of(world, "beach-1")
    assert one.pdq is not None
    for query in ("beach", "canon", "jansen", one.md5, one.pdq):
        result = world.find(nobody, query)
        assert result.hits == () and result.more == (), query


def test_cameras_match_the_start_of_make_model_or_serial(world: World) -> None:
    hits = world.find(world.alice, "canon", "camera").hits
    assert [(h.where, h.value) for h in hits] == [
        ("camera make, model", "Canon · Canon EOS 80D · serial SN-A-4711")
    ]
    assert world.found(world.alice, "sn-a-47", "camera") == {"beach-1"}
    assert world.found(world.alice, "EOS 80D", "camera") == set(), "starts with, not contains"
    assert world.found(world.alice, "nikon") == set()
    assert world.found(world.bob, "Nikon D7", "camera") == {"beach-3"}


def test_recognised_text_and_clue_values_are_searched(world: World) -> None:
    text_hit = world.find(world.alice, "prinsengracht", "text").hits[0]
    assert text_hit.media == world.media["beach-1"] and text_hit.where == "ocr text"
    assert text_hit.value == "Bakkerij Jansen, Prinsengracht 12 Amsterdam"
    clue_hit = world.find(world.alice, "jansen 100%", "clue").hits[0]
    assert (clue_hit.where, clue_hit.value) == ("sign clue (confirmed)", "Bakkerij Jansen 100%")
    assert world.found(world.alice, "jansen", "clue") == {"beach-1"}
    assert world.found(world.bob, "jansen", "clue") == {"beach-3"}
    assert world.found(world.bob, "prinsengracht") == set()
    everything = world.find(world.alice, "Jansen")
    assert {(h.match, h.media) for h in everything.hits} == {
        (SearchKind.TEXT, world.media["beach-1"]),
        (SearchKind.CLUE, world.media["beach-1"]),
    }
    assert world.find(world.alice, "n 1_0%").hits == (), "LIKE wildcards are plain characters"


def test_a_long_text_is_shown_around_the_match(world: World) -> None:
    words = "lorem ipsum " * 20 + "Bakkerij de Vries" + " dolor sit amet" * 20
    save_text(world, "beach-2", words)
    hit = world.find(world.alice, "de vries", "text").hits[0]
    assert hit.value.startswith("…") and hit.value.endswith("…") and "de Vries" in hit.value
    assert len(hit.value) < 150


def save_text(world: World, stem: str, words: str) -> None:
    text = RecognisedText(words, "Latin", 90.0)
    store = ClueStore(world.app.engine, world.app.vault)
    store.save([ExtractionResult(world.media[stem], ran={"text": 1}, texts=[text])])


def test_known_material_is_shown_and_flagged(world: World) -> None:
    with world.app.engine.begin() as conn:
        conn.execute(
            update(Media).where(Media.sha256 == world.media["beach-2"]).values(precategorised=True)
        )
    hits = {h.media: h for h in world.find(world.alice, "holiday", "path").hits}
    assert hits[world.media["beach-2"]].known and not hits[world.media["beach-1"]].known


def test_a_page_says_there_are_more(world: World) -> None:
    result = world.find(ADMIN, "beach", "path", limit=2)
    assert len(result.hits) == 2 and result.more == (SearchKind.PATH,)
    assert world.find(ADMIN, "beach", "path", limit=4).more == ()


def test_matches_are_read_among_visible_rows_only(world: World) -> None:
    """The substring match itself is limited to the viewer's cases: neither the ids read nor
    their number depend on other agencies' rows."""
    bobs_cases = Occurrence.case_id.in_(visible_cases(world.bob))
    with world.app.engine.connect() as conn:
        assert len(containing(conn, OCCURRENCE_PATH, "BEACH", None)) == 3
        assert len(containing(conn, OCCURRENCE_PATH, "beach", None, most=2)) == 2
        assert len(containing(conn, OCCURRENCE_PATH, "beach", bobs_cases)) == 1
        assert containing(conn, OCCURRENCE_PATH, "b_ach", None) == []


def test_the_indexes_follow_changes(world: World) -> None:
    """Text read again replaces the old text (delete trigger); a moved path is found by its
    new name only (update trigger)."""
    save_text(world, "beach-1", "Slagerij Pietersen")
    assert world.found(world.alice, "prinsengracht", "text") == set()
    assert world.found(world.alice, "pietersen", "text") == {"beach-1"}
    with world.app.engine.begin() as conn:
        conn.execute(
            update(Occurrence)
            .where(Occurrence.path == "holiday-2019/beach-2.jpg")
            .values(path="holiday-2019/renamed.jpg")
        )
    assert world.found(world.alice, "renamed", "path") == {"beach-2"}
    assert world.found(world.alice, "beach-2", "path") == set()


BAD_INPUT: list[tuple[str, dict[str, str | int], str]] = [
    ("", {}, "type something to search for"),
    ("   ", {}, "type something to search for"),
    ("ab", {}, "type at least 3 characters"),
    ("abc", {"kind": "hash"}, "32 (MD5), 40 (SHA-1) or 64 (SHA-256) hexadecimal characters"),
    ("0" * 31, {"kind": "hash"}, "not 31"),
    ("xyz" * 11, {"kind": "hash"}, "a hash is hexadecimal"),
    ("0" * 63, {"kind": "pdq"}, "a PDQ hash is 64 hexadecimal characters, not 63"),
    ("0" * 64, {"kind": "pdq", "distance": 32}, "between 0 and 31 bits"),
    ("0" * 64, {"distance": -1}, "between 0 and 31 bits"),
    ("holiday", {"limit": 0}, "the limit must be between 1 and 200"),
    ("holiday", {"kind": "colour"}, "unknown search kind 'colour'"),
    ("holi\x00day", {}, "cannot contain control characters"),
    ("x" * 501, {}, "at most 500 characters"),
]


def test_bad_input_is_refused_with_the_reason(world: World) -> None:
    for text, options, message in BAD_INPUT:
        kind = str(options.get("kind", "auto"))
        numbers = {k: int(v) for k, v in options.items() if k != "kind"}
        with pytest.raises(ValueError) as refused:
            world.search.search(world.alice, text, kind, **numbers)
        assert message in str(refused.value), (text, options)
