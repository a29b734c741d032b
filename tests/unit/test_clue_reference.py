"""The reference tables that turn a clue's value into countries."""

from __future__ import annotations

from collections.abc import Iterator

import pycountry
import pytest
from babel.core import get_global

from vidtrace.clues.kinds import CLUE_KINDS, ClueError, country_code
from vidtrace.clues.reference import (
    DRIVING_SIDES,
    PLUG_TYPES,
    TABLE_FILES,
    TABLE_SOURCES,
    analyst_clue_countries,
    currency_countries,
    current_currencies,
    driving_side_countries,
    language_countries,
    plug_countries,
    plug_letter,
    territory_populations,
)
from vidtrace.clues.reference.table_files import country_weights_text, reference_table


@pytest.fixture(scope="module")
def langid_languages() -> tuple[str, ...]:
    """Every language langid can return: the text extractor's vocabulary."""
    from langid.langid import LanguageIdentifier, model

    return tuple(LanguageIdentifier.from_modelstring(model).nb_classes)


def top(countries: dict[str, float], n: int) -> list[str]:
    return sorted(countries, key=lambda code: -countries[code])[:n]


def every_table(languages: tuple[str, ...]) -> Iterator[tuple[str, dict[str, float]]]:
    in_cldr = {code for spoken in get_global("territory_languages").values() for code in spoken}
    for language in sorted(set(languages) | in_cldr):
        yield f"language {language}", language_countries(language)
    for letter in PLUG_TYPES:
        yield f"plug {letter}", plug_countries(letter)
    for side in DRIVING_SIDES:
        yield f"driving {side}", driving_side_countries(side)
    for currency in current_currencies():
        yield f"currency {currency}", currency_countries(currency)


# Languages: where they are spoken, by speakers


def test_serbian_points_at_serbia_first() -> None:
    countries = language_countries("sr")
    assert top(countries, 1) == ["RS"]
    assert {"ME", "BA"} <= set(countries)


def test_a_script_or_region_suffix_counts_for_the_base_language() -> None:
    assert language_countries("sr_Latn") == language_countries("sr")
    assert language_countries("pt-BR") == language_countries("pt")
    assert language_countries(" SR ") == language_countries("sr")


def test_script_variants_are_not_counted_twice() -> None:
    # CLDR gives Serbia 99 % "sr" and 99 % "sr_Latn": the same people.
    assert language_countries("sr")["RS"] <= territory_populations()["RS"]


def test_indian_languages() -> None:
    assert top(language_countries("hi"), 1) == ["IN"]
    assert top(language_countries("te"), 1) == ["IN"]
    tamil = language_countries("ta")
    assert top(tamil, 1) == ["IN"]
    assert "LK" in tamil


def test_persian_points_at_iran_first_then_afghanistan() -> None:
    assert top(language_countries("fa"), 2) == ["IR", "AF"]


def test_greek_thai_and_chinese() -> None:
    assert {"GR", "CY"} <= set(language_countries("el"))
    assert top(language_countries("el"), 1) == ["GR"]
    assert top(language_countries("th"), 1) == ["TH"]
    assert {"CN", "TW", "HK", "SG"} <= set(language_countries("zh"))


def test_english_is_led_by_big_english_speaking_countries() -> None:
    leaders = top(language_countries("en"), 8)
    assert {"US", "GB", "IN"} <= set(leaders)
    assert leaders[0] == "US"


def test_portuguese_weights_by_speakers_not_by_country() -> None:
    countries = language_countries("pt")
    assert top(countries, 1) == ["BR"]
    assert "PT" in countries
    assert countries["BR"] > 10 * countries["PT"]


def test_weights_are_speakers() -> None:
    population = territory_populations()["TH"]
    assert 0.5 * population < language_countries("th")["TH"] <= population


def test_negligible_shares_are_dropped_unless_the_language_is_official_there() -> None:
    english = language_countries("en")
    total = sum(english.values())
    statuses = get_global("territory_languages")
    for code, speakers in english.items():
        if speakers < 0.005 * total:
            assert statuses[code]["en"]["official_status"], code
    assert "BI" in english  # official in Burundi, spoken by 0.05 %
    assert "CN" not in english  # 0.0045 % of China: noise


def test_langid_codes_that_cldr_spells_differently() -> None:
    assert top(language_countries("no"), 1) == ["NO"]
    assert top(language_countries("tl"), 1) == ["PH"]
    assert "IQ" in language_countries("ku")


def test_an_unknown_language_names_no_country() -> None:
    assert language_countries("xx") == {}
    assert language_countries("") == {}
    assert language_countries("la") == {"VA": pytest.approx(820.0)}  # only the Vatican


def test_every_langid_language_but_volapuk_gives_countries(
    langid_languages: tuple[str, ...],
) -> None:
    unplaced = {language for language in langid_languages if not language_countries(language)}
    assert unplaced == {"vo"}  # Volapük: spoken nowhere in particular


def test_callers_cannot_change_the_cached_table() -> None:
    language_countries("sr").clear()
    plug_countries("F").clear()
    driving_side_countries("left").clear()
    currency_countries("EUR").clear()
    assert language_countries("sr") and plug_countries("F")
    assert driving_side_countries("left") and currency_countries("EUR")


# Plugs


def test_plug_types_by_country() -> None:
    assert {"DE", "NL"} <= set(plug_countries("F"))
    assert "GB" in plug_countries("G")
    assert "AU" in plug_countries("type i")
    assert {"FR", "BE", "PL", "CZ", "SK"} <= set(plug_countries("E"))
    assert "FR" not in plug_countries("F")
    assert {"CH", "LI"} <= set(plug_countries("J"))
    assert "IT" in plug_countries("L")
    assert {"BR", "ZA"} <= set(plug_countries("N"))
    assert plug_countries("H") == {"IL": 1.0, "PS": 1.0}
    assert "DK" in plug_countries("K")
    assert set(plug_countries("F").values()) == {1.0}


def test_plug_letters_as_analysts_write_them() -> None:
    assert plug_letter("F") == plug_letter(" f ") == plug_letter("Type F") == "F"
    assert plug_letter("type-g") == "G"
    assert plug_letter("Z") is None
    assert plug_letter("FF") is None
    assert plug_countries("Z") == {}


def test_plug_table_covers_the_eu_eea_and_g20() -> None:
    tabled = {row["country"] for row in reference_table("plugs.csv").rows}
    eu = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"}
    eu |= {"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
    eu_eea = eu | {"IS", "LI", "NO", "CH"}
    g20 = {"AR", "AU", "BR", "CA", "CN", "FR", "DE", "IN", "ID", "IT", "JP", "KR", "MX", "RU"}
    g20 |= {"SA", "ZA", "TR", "GB", "US"}
    assert eu_eea | g20 <= tabled
    assert len(tabled) >= 100
    for row in reference_table("plugs.csv").rows:
        assert row["types"].split(), row
        assert set(row["types"].split()) <= set(PLUG_TYPES), row


# Driving side


def test_driving_side() -> None:
    left = driving_side_countries("left")
    right = driving_side_countries("Right")
    assert {"GB", "JP", "IN", "TH", "AU", "ZA", "IE"} <= set(left)
    assert "DE" not in left
    assert {"DE", "US", "FR", "CN"} <= set(right)
    assert not set(left) & set(right)
    assert set(left) | set(right) == {country.alpha_2 for country in pycountry.countries}
    assert driving_side_countries("middle") == {}


# Currency


def test_currency() -> None:
    euro = currency_countries("EUR")
    assert {"DE", "FR", "NL"} <= set(euro)
    assert "GB" not in euro
    assert currency_countries("RSD") == {"RS": 1.0}
    assert currency_countries("rsd") == {"RS": 1.0}
    assert {"US", "EC", "SV"} <= set(currency_countries("USD"))


def test_withdrawn_currencies_name_no_country() -> None:
    assert currency_countries("DEM") == {}
    assert "HR" in currency_countries("EUR")
    assert currency_countries("HRK") == {}


# Analyst clue kinds


def test_analyst_clue_countries_for_tabled_kinds() -> None:
    assert analyst_clue_countries("plug", "Type G") == plug_countries("G")
    assert analyst_clue_countries("driving-side", "left") == driving_side_countries("left")
    assert analyst_clue_countries("currency", "EUR") == currency_countries("EUR")
    for kind in ("plug", "driving-side", "currency"):
        assert kind in CLUE_KINDS


def test_an_unknown_value_of_a_tabled_kind_is_refused_with_the_valid_values() -> None:
    with pytest.raises(ClueError, match=r"'Z'.*valid values: A, B, C"):
        analyst_clue_countries("plug", "Z")
    with pytest.raises(ClueError, match=r"left, right"):
        analyst_clue_countries("driving-side", "centre")
    with pytest.raises(ClueError, match=r"'DEM'.*EUR"):
        analyst_clue_countries("currency", "DEM")


def test_other_kinds_are_not_tabled() -> None:
    assert analyst_clue_countries("sign", "Konzum") is None
    assert analyst_clue_countries("no-such-kind", "x") is None


# Every table


def test_every_code_in_every_table_is_an_iso_country_with_a_positive_weight(
    langid_languages: tuple[str, ...],
) -> None:
    for table, countries in every_table(langid_languages):
        for code, weight in countries.items():
            assert country_code(code) == code, f"{table}: {code}"
            assert weight > 0, f"{table}: {code}"


def test_every_csv_row_names_an_iso_country() -> None:
    for file_name in TABLE_FILES.values():
        for row in reference_table(file_name).rows:
            if "country" in row:
                assert country_code(row["country"]) == row["country"], f"{file_name}: {row}"
            else:  # a list of weighted countries, checked as it is read
                assert country_weights_text(row["countries"]) or not row["countries"].strip()


def test_every_iso_country_has_a_population() -> None:
    populations = territory_populations()
    assert set(populations) == {country.alpha_2 for country in pycountry.countries}
    assert populations["IN"] > 1_000_000_000
    assert 5_000_000 < populations["RS"] < 10_000_000


@pytest.mark.parametrize("table", sorted(TABLE_FILES))
def test_every_csv_names_its_source_version_and_licence(table: str) -> None:
    notes = reference_table(TABLE_FILES[table]).notes
    assert notes["source"] == TABLE_SOURCES[table]
    assert notes["retrieved/version"]
    assert notes["licence"]


def test_every_table_has_a_source() -> None:
    assert set(TABLE_SOURCES) == {
        "barcode-gs1-prefix",
        "camera-model",
        "language",
        "territory-population",
        "plug",
        "driving-side",
        "currency",
    }
    assert all(TABLE_SOURCES.values())
