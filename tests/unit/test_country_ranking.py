"""The country ranking: a pure function of the clues (no database, no I/O)."""

from __future__ import annotations

import json
import math
import random
import re
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from vidtrace.clues.kinds import CLUE_KINDS
from vidtrace.clues.ranking import rank_countries, ranking_to_json, ranking_to_text
from vidtrace.domain.clue import Clue, ClueStatus, CountryRanking, RankedCountry

SERIES = "5e" * 32

# Speakers per country (rounded): the shape a language extractor proposes.
GERMAN = {"DE": 76.0, "AT": 8.5, "CH": 5.5, "LU": 0.4, "BE": 0.07, "LI": 0.04}
SERBIAN = {"RS": 6.3, "BA": 1.1, "ME": 0.25, "HR": 0.2}
TAMIL = {"IN": 69.0, "LK": 4.6, "SG": 0.2, "MY": 0.2}
ENGLISH = {"US": 300.0, "GB": 60.0, "CA": 20.0, "AU": 18.0, "IE": 4.5, "NZ": 4.5}
# A UTC offset names every country using it; the worst case for the Netherlands leaves it out.
AT_PLUS_TWO = "DE AT CH PL CZ SK HU SI HR IT FR ES BE DK SE NO FI EE LV LT"
PLUS_TWO_WITHOUT_NL = dict.fromkeys(AT_PLUS_TWO.split(), 1.0)
AT_PLUS_ONE = "RS BA ME HR SI HU AT DE CZ SK PL IT FR ES BE NL LU CH DK SE NO AL MK MT"
PLUS_ONE = dict.fromkeys(AT_PLUS_ONE.split(), 1.0)
PLUG_G = {"GB": 67.0, "IE": 5.0, "MT": 0.5, "CY": 1.2, "MY": 32.0, "SG": 5.7, "HK": 7.5}


def clue(
    kind: str,
    value: str,
    countries: Mapping[str, float],
    confidence: float = 0.9,
    status: ClueStatus = ClueStatus.PROPOSED,
    id: int | None = None,
) -> Clue:
    return Clue(
        SERIES,
        kind,
        value,
        countries,
        confidence,
        extractor=None if status is ClueStatus.CONFIRMED else kind,
        extractor_version=1,
        analyst="alice" if status is ClueStatus.CONFIRMED else None,
        status=status,
        id=id,
    )


GPS_NL = clue("gps", "52.3702 N 4.8952 E", {"NL": 1.0}, 0.95, id=1)
PHONE_DE = clue("phone", "+49 30 1234567", {"DE": 1.0}, 0.9, id=2)


def german_photos(count: int, first_id: int = 100) -> list[Clue]:
    """What the extractors find on ``count`` photos of a German-looking room: German text on
    each, the same UTC offset, and a different .de web site on each screen."""
    found = []
    for n in range(count):
        found.append(clue("language", "de", GERMAN, 0.8, id=first_id + 3 * n))
        found.append(clue("timezone", "+02:00", PLUS_TWO_WITHOUT_NL, 0.9, id=first_id + 3 * n + 1))
        found.append(clue("domain", f"shop{n}.de", {"DE": 1.0}, 0.9, id=first_id + 3 * n + 2))
    return found


def entry(ranking: CountryRanking, country: str) -> RankedCountry:
    return next(e for e in ranking.ranking if e.country == country)


def codes(ranking: CountryRanking) -> list[str]:
    return [e.country for e in ranking.ranking]


def test_no_clues_give_an_empty_ranking_with_a_note() -> None:
    ranking = rank_countries([])
    assert ranking.ranking == ()
    assert ranking.conflict is False
    assert ranking.conflict_sides == ()
    assert ranking.clue_count == 0
    assert ranking.notes == ("no clues yet",)


def test_one_gps_fix_puts_its_country_on_top() -> None:
    ranking = rank_countries([GPS_NL])
    assert codes(ranking) == ["NL"]
    assert ranking.ranking[0].probability > 0.9
    assert ranking.conflict is False


def test_repeats_of_one_clue_count_once() -> None:
    once = rank_countries([GPS_NL, clue("language", "de", GERMAN, 0.8, id=10)])
    repeated = [clue("language", "de", GERMAN, 0.8, id=10 + n) for n in range(30)]
    thirty = rank_countries([GPS_NL, *repeated])
    assert codes(thirty)[0] == "NL"
    assert [(e.country, e.probability) for e in thirty.ranking] == [
        (e.country, e.probability) for e in once.ranking
    ]
    assert thirty.clue_count == 31
    assert "31 clues are 2 distinct observations" in " ".join(thirty.notes)
    # One evidence item, referred to by its lowest clue id.
    assert [e.clue_id for e in entry(thirty, "DE").supporting] == [10]


def test_a_number_read_in_part_is_the_same_number() -> None:
    whole = clue("phone", "+498651555012", {"DE": 1.0}, 0.9, id=20)
    cut_short = clue("phone", "+498651555", {"DE": 1.0}, 0.9, id=21)  # its end hidden on a copy
    other = clue("phone", "+4930123456", {"DE": 1.0}, 0.9, id=22)
    both = rank_countries([GPS_NL, whole, cut_short])
    assert [e.clue_ids for e in entry(both, "DE").supporting] == [(20, 21)]
    assert "3 clues are 2 distinct observations" in " ".join(both.notes)
    assert entry(both, "DE").probability == entry(rank_countries([GPS_NL, whole]), "DE").probability
    two = rank_countries([GPS_NL, whole, other])  # two different numbers stay two
    assert len(entry(two, "DE").supporting) == 2


@pytest.mark.parametrize(
    "strong",
    [
        GPS_NL,
        clue("phone", "+31 20 555 0100", {"NL": 1.0}, 0.9, id=1),
        clue("vehicle-plate", "NL yellow plate 12-ABC-3", {"NL": 1.0}, 0.9, id=1),
    ],
    ids=lambda c: c.kind,
)
def test_one_strong_clue_outweighs_a_series_of_weak_ones(strong: Clue) -> None:
    """The requirement "a strong, specific clue must dominate many weak ones", made exact:
    one strong clue (read with confidence 0.9) stays on top against 30 photos that each carry
    German text, a UTC offset that leaves its country out, and a different .de web site."""
    weak = german_photos(30)
    assert codes(rank_countries(weak))[0] == "DE"
    ranking = rank_countries([strong, *weak])
    assert codes(ranking)[0] == "NL"
    assert ranking.ranking[0].probability > 0.9
    assert entry(ranking, "DE").probability < 0.1
    assert ranking.conflict is False  # weak clues disagreeing are no conflict...
    against_nl = {e.kind for e in entry(ranking, "NL").against}
    assert against_nl == {"language", "timezone", "domain"}  # ...but they are shown


def test_distinct_values_of_one_kind_have_diminishing_returns() -> None:
    one = rank_countries([clue("domain", "shop0.de", {"DE": 1.0}, 0.9)])
    many = rank_countries([clue("domain", f"shop{n}.de", {"DE": 1.0}, 0.9) for n in range(30)])
    single = entry(one, "DE").supporting[0].effect
    total = math.fsum(e.effect for e in entry(many, "DE").supporting)
    assert len(entry(many, "DE").supporting) == 30
    assert single < total < 2 * single  # 30 sites count as less than two independent ones


def test_two_strong_clues_that_disagree_are_a_conflict() -> None:
    ranking = rank_countries([GPS_NL, PHONE_DE])
    assert ranking.conflict is True
    assert [side.countries for side in ranking.conflict_sides] == [("NL",), ("DE",)]
    assert [[c.clue_id for c in side.clues] for side in ranking.conflict_sides] == [[1], [2]]
    assert codes(ranking) == ["NL", "DE"]
    assert "conflicting evidence: GPS position says NL, phone number says DE" in ranking.notes


def test_a_strong_clue_read_with_low_confidence_is_no_conflict() -> None:
    unsure = clue("phone", "+49 30 1234567", {"DE": 1.0}, 0.3, id=2)
    ranking = rank_countries([GPS_NL, unsure])
    assert ranking.conflict is False
    assert codes(ranking) == ["NL", "DE"]


def test_a_conflicting_country_is_listed_beyond_top() -> None:
    ranking = rank_countries([GPS_NL, PHONE_DE], top=1)
    assert ranking.conflict is True
    assert codes(ranking) == ["NL", "DE"]


def test_strong_clues_that_agree_are_no_conflict() -> None:
    amsterdam = clue("phone", "+31 20 555 0100", {"NL": 1.0}, 0.9, id=3)
    other_fix = clue("gps", "51.9244 N 4.4777 E", {"NL": 1.0}, 0.9, id=4)
    ranking = rank_countries([GPS_NL, amsterdam, other_fix])
    assert ranking.conflict is False
    # The two GPS fixes share their kind's weight; the phone number has its own.
    assert [e.clue_id for e in entry(ranking, "NL").supporting] == [3, 1, 4]


def test_a_confirmed_clue_can_conflict_and_a_proposed_weak_one_cannot() -> None:
    shop = {"DE": 1.0}
    proposed = rank_countries([GPS_NL, clue("sign", "Bäckerei Schmidt", shop, 0.9, id=5)])
    assert proposed.conflict is False
    assert [e.kind for e in entry(proposed, "NL").against] == ["sign"]
    confirmed = rank_countries(
        [GPS_NL, clue("sign", "Bäckerei Schmidt", shop, status=ClueStatus.CONFIRMED, id=5)]
    )
    assert confirmed.conflict is True
    assert {side.countries for side in confirmed.conflict_sides} == {("NL",), ("DE",)}


def test_a_confirmed_language_is_no_conflict() -> None:
    language = clue("language", "en", ENGLISH, status=ClueStatus.CONFIRMED, id=6)
    ranking = rank_countries([GPS_NL, language])
    assert ranking.conflict is False
    assert [e.kind for e in entry(ranking, "NL").against] == ["language"]


def test_a_clue_naming_many_countries_is_not_specific_enough_to_conflict() -> None:
    # A confirmed plug type used in eight countries of similar size.
    eight = "GB IE MT CY MY SG HK KE"
    plug = dict.fromkeys(eight.split(), 1.0)
    confirmed = clue("plug", "type G", plug, status=ClueStatus.CONFIRMED, id=7)
    assert rank_countries([GPS_NL, confirmed]).conflict is False
    narrow = clue("plug", "type G", {"GB": 1.0, "IE": 1.0}, status=ClueStatus.CONFIRMED, id=7)
    assert rank_countries([GPS_NL, narrow]).conflict is True


def test_serbian_text_and_a_fitting_utc_offset_point_to_serbia() -> None:
    ranking = rank_countries(
        [clue("language", "sr", SERBIAN, 0.85), clue("timezone", "+01:00", PLUS_ONE, 0.9)]
    )
    assert codes(ranking)[:2] == ["RS", "BA"]
    assert ranking.ranking[0].probability > ranking.ranking[1].probability * 3


def test_a_language_of_two_countries_ranks_both() -> None:
    ranking = rank_countries([clue("language", "ta", TAMIL, 0.9)])
    assert codes(ranking)[:2] == ["IN", "LK"]
    assert set(codes(ranking)) == set(TAMIL)


def test_rejected_clues_are_ignored() -> None:
    rejected = clue("phone", "+49 30 1234567", {"DE": 1.0}, 0.9, ClueStatus.REJECTED, id=2)
    without = rank_countries([GPS_NL])
    ranking = rank_countries([GPS_NL, rejected])
    assert ranking.ranking == without.ranking
    assert ranking.conflict is False
    assert ranking.clue_count == 1
    assert "1 rejected clue ignored" in ranking.notes
    assert rank_countries([rejected]).ranking == ()


def test_a_confirmed_clue_moves_the_ranking_more_than_a_proposed_one() -> None:
    english = clue("language", "en", ENGLISH, 0.9, id=1)
    base = entry(rank_countries([english]), "GB").probability
    plug = clue("plug", "type G", PLUG_G, 0.7, id=2)
    proposed = entry(rank_countries([english, plug]), "GB").probability
    confirmed_plug = clue("plug", "type G", PLUG_G, status=ClueStatus.CONFIRMED, id=2)
    confirmed = rank_countries([english, confirmed_plug])
    assert base < proposed < entry(confirmed, "GB").probability
    assert codes(confirmed)[0] == "GB"
    # A repeat that an analyst confirmed makes the whole item confirmed.
    both = rank_countries([english, plug, confirmed_plug])
    assert entry(both, "GB").probability == entry(confirmed, "GB").probability


def test_each_country_lists_its_clues_for_and_against() -> None:
    ranking = rank_countries([GPS_NL, PHONE_DE, *german_photos(2)])
    for ranked in ranking.ranking:
        supporting = [e.effect for e in ranked.supporting]
        against = [e.effect for e in ranked.against]
        assert all(effect > 0 for effect in supporting)
        assert all(effect < 0 for effect in against)
        assert supporting == sorted(supporting, reverse=True)
        assert against == sorted(against)
    nl = entry(ranking, "NL")
    assert nl.supporting[0].kind == "gps"
    assert nl.against[0].kind == "phone"


def test_the_worked_example_of_the_user_guide() -> None:
    """docs/user-guide/country-ranking.md works these numbers out by hand."""
    ranking = rank_countries(
        [
            clue("language", "de", {"DE": 85, "AT": 10, "CH": 5}, 0.8, id=1),
            clue("domain", "shop.example.at", {"AT": 1}, 0.9, id=2),
        ]
    )
    document = ranking_to_json(ranking)
    assert [(r["country"], r["probability"]) for r in document["ranking"]] == [
        ("AT", 0.9056),
        ("DE", 0.0425),
        ("CH", 0.0045),
    ]
    austria = document["ranking"][0]
    assert [(c["id"], c["effect"]) for c in austria["clues"]] == [(2, 3.766), (1, 2.401)]
    assert [(c["id"], c["effect"]) for c in document["ranking"][1]["against"]] == [(2, -0.998)]
    n = 249
    assert math.isclose(
        austria["clues"][0]["effect"], 0.8 * 0.9 * math.log(0.75 * n + 0.25), abs_tol=5e-4
    )


def test_json_shape() -> None:
    ranking = rank_countries(
        [GPS_NL, PHONE_DE, clue("barcode", "4006381333931", {"DE": 1.0}, 1.0, id=9)]
    )
    document = json.loads(json.dumps(ranking_to_json(ranking)))
    assert set(document) == {"ranking", "conflict", "conflict_sides", "clue_count", "notes"}
    assert document["conflict"] is True
    assert document["clue_count"] == 3
    first = document["ranking"][0]
    assert set(first) == {"country", "name", "probability", "clues", "against"}
    assert (first["country"], first["name"]) == ("NL", "Netherlands")
    assert set(first["clues"][0]) == {"id", "ids", "kind", "value", "effect"}
    assert first["clues"][0] == {
        "id": 1,
        "ids": [1],
        "kind": "gps",
        "value": "52.3702 N 4.8952 E",
        "effect": round(entry(ranking, "NL").supporting[0].effect, 3),
    }
    probabilities = [r["probability"] for r in document["ranking"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(p == round(p, 4) for p in probabilities)
    assert [side["countries"] for side in document["conflict_sides"]] == [["NL"], ["DE"]]
    assert {c["kind"] for c in document["conflict_sides"][1]["clues"]} == {"phone"}
    assert (
        "barcode: the GS1 office that issued the number, not the country of origin"
        in document["notes"]
    )


def test_equal_probabilities_are_ordered_by_country_code() -> None:
    ranking = rank_countries([clue("plug", "type C", {"FR": 1.0, "BE": 1.0, "AT": 1.0})])
    assert codes(ranking) == ["AT", "BE", "FR"]


def test_the_same_clues_in_any_order_give_the_same_ranking() -> None:
    clues = [GPS_NL, PHONE_DE, *german_photos(10), clue("language", "sr", SERBIAN, 0.6, id=90)]
    expected = rank_countries(clues)
    shuffler = random.Random(5)
    for _ in range(5):
        shuffled = list(clues)
        shuffler.shuffle(shuffled)
        assert rank_countries(shuffled) == expected


def test_codes_outside_iso_3166_are_ignored_with_a_note() -> None:
    ranking = rank_countries([clue("language", "sr", {**SERBIAN, "XK": 1.5}, 0.85)])
    assert "XK" not in codes(ranking)
    assert codes(ranking)[0] == "RS"
    assert "not ISO 3166-1 country codes, ignored: XK" in ranking.notes


def test_the_text_report_names_countries_conflict_and_notes() -> None:
    text = ranking_to_text(rank_countries([GPS_NL, PHONE_DE]))
    assert "Netherlands (NL)" in text
    assert "Germany (DE)" in text
    assert "CONFLICT" in text
    assert "gps '52.3702 N 4.8952 E' (clue 1)" in text
    assert ranking_to_text(rank_countries([])).endswith("  - no clues yet\n")


def test_every_clue_kind_can_be_ranked() -> None:
    clues = [clue(kind, f"{kind} seen", {"FR": 1.0}, 0.7) for kind in CLUE_KINDS]
    ranking = rank_countries(clues)
    assert codes(ranking) == ["FR"]
    assert len(entry(ranking, "FR").supporting) == len(CLUE_KINDS)


def test_top_limits_the_ranking() -> None:
    ranking = rank_countries([clue("language", "en", ENGLISH, 0.9)], top=2)
    assert codes(ranking) == ["US", "GB"]
    with pytest.raises(ValueError):
        rank_countries([], top=0)


def test_ranking_a_series_of_a_thousand_clues_is_fast() -> None:
    clues = [clue("gps", f"52.{n:04d} N 4.8952 E", {"NL": 1.0}, 0.95, id=n) for n in range(200)]
    clues += german_photos(250, first_id=1000)
    clues += [clue("language", "nl", {"NL": 17.0, "BE": 6.5, "SR": 0.4}, 0.7) for _ in range(50)]
    assert len(clues) == 1000
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        ranking = rank_countries(clues)
        best = min(best, time.perf_counter() - started)
    assert codes(ranking)[0] == "NL"
    assert best < 0.1


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide" / "country-ranking.md"


def test_the_user_guide_kinds_table_matches_the_code() -> None:
    rows = re.findall(
        r"^\| `([\w-]+)` \| [^|]+ \| ([\d.]+) \| ([\d.]+) \| (yes)? *\|", GUIDE.read_text(), re.M
    )
    assert {name for name, *_ in rows} == set(CLUE_KINDS)
    for name, reliability, error_rate, strong in rows:
        kind = CLUE_KINDS[name]
        assert (float(reliability), float(error_rate), bool(strong)) == (
            kind.reliability,
            kind.error_rate,
            kind.strong,
        ), name


def test_the_user_guide_conflict_example_is_what_the_ranking_gives() -> None:
    blocks = re.findall(r"```json\n(.*?)```", GUIDE.read_text(), re.S)
    documented = json.loads(blocks[-1])
    assert ranking_to_json(rank_countries([GPS_NL, PHONE_DE])) == documented
