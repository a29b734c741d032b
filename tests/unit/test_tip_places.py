"""What country a tip names: its country field first, else its place read against country
names in many languages, region names and the cities of the offline GeoNames table."""

from __future__ import annotations

import pytest

from vidtrace.publish.tip_places import countries_in_place, fold, named_place


def test_folding_ignores_case_accents_punctuation_and_spacing() -> None:
    assert fold("  Saint-Étienne!! ") == "saint etienne"
    assert fold("KRAKÓW,\tPolska") == fold("krakow polska") == "krakow polska"


@pytest.mark.parametrize(
    ("place", "country"),
    [
        ("Bruxelles", "BE"),  # French for Brussels: a CLDR city name
        ("Allemagne", "DE"),  # French for Germany
        ("Deutschland", "DE"),
        ("Varsovie", "PL"),
        ("Kraków, Polska", "PL"),
        ("Holland", "NL"),
        ("Zürich", "CH"),
        ("in der Nähe von München", "DE"),
        ("Rue de la Loi 16, 1000 Bruxelles", "BE"),  # the longest name wins over "Rue"
        ("Lyon, France", "FR"),  # a country named wins over a city
        ("Paris, Texas", "US"),  # the countries both names share
    ],
)
def test_a_place_in_any_language_names_its_country(place: str, country: str) -> None:
    assert countries_in_place(place) == {country: 1.0}


def test_a_city_in_several_countries_gives_each_a_share() -> None:
    shares = countries_in_place("Paris")
    assert {"FR", "US", "CA"} <= shares.keys()
    assert len(set(shares.values())) == 1
    assert sum(shares.values()) == pytest.approx(1.0)


def test_unknown_or_empty_places_name_nothing() -> None:
    assert countries_in_place("somewhere behind the sofa") == {}
    assert countries_in_place(" ,; ") == {}
    assert named_place(None, None) is None
    assert named_place(None, "   ") is None
    assert named_place("XX", "nowhere I know") is None


def test_the_country_field_comes_first() -> None:
    named = named_place("be", None)
    assert named is not None and named.countries == {"BE": 1.0} and named.name == "Belgium"
    with_place = named_place("NL", "Paris")
    assert with_place is not None and with_place.countries == {"NL": 1.0}
    assert with_place.name == "Paris"
    french = named_place(None, " Allemagne ")
    assert french is not None and french.countries == {"DE": 1.0} and french.name == "Allemagne"
