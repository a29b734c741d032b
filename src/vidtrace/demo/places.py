"""Real cities the demo series are "shot" in, with the UTC offset in force in summer 2023.

Every capture time in the demo falls between June and August 2023, so one offset per city is
exact: central Europe is on summer time (+02:00), Toronto on EDT (-04:00), Mexico City stopped
observing daylight saving time in October 2022 (-06:00), Brazil in 2019 (-03:00), Athens is on
eastern European summer time (+03:00).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    country: str  # ISO 3166-1 alpha-2
    city: str
    lat: float
    lon: float
    alt: float  # metres above sea level
    utc_offset: str  # "+02:00"
    caption: str  # a short holiday caption in the local language, for text overlays

    @property
    def iso6709(self) -> str:
        """The location as QuickTime/MP4 metadata writes it, e.g. "+52.3676+004.9041/"."""
        return f"{self.lat:+08.4f}{self.lon:+09.4f}/"


AMSTERDAM = Place("NL", "Amsterdam", 52.3676, 4.9041, 2.0, "+02:00", "Zomer in de stad")
BERLIN = Place("DE", "Berlin", 52.5200, 13.4050, 34.0, "+02:00", "Sommerferien zu Hause")
MADRID = Place("ES", "Madrid", 40.4168, -3.7038, 657.0, "+02:00", "Vacaciones de verano")
SAO_PAULO = Place("BR", "São Paulo", -23.5505, -46.6333, 760.0, "-03:00", "Férias de inverno")
BANGKOK = Place("TH", "Bangkok", 13.7563, 100.5018, 2.0, "+07:00", "Bangkok room tour")
TORONTO = Place("CA", "Toronto", 43.6532, -79.3832, 76.0, "-04:00", "Summer at the cottage")
LYON = Place("FR", "Lyon", 45.7640, 4.8357, 173.0, "+02:00", "Souvenirs de vacances")
MILAN = Place("IT", "Milan", 45.4642, 9.1900, 120.0, "+02:00", "Colazione al bar")
MEXICO_CITY = Place("MX", "Mexico City", 19.4326, -99.1332, 2240.0, "-06:00", "Fin de semana")
KRAKOW = Place("PL", "Kraków", 50.0647, 19.9450, 219.0, "+02:00", "Wakacje 2023")
BELGRADE = Place("RS", "Belgrade", 44.7866, 20.4489, 117.0, "+02:00", "Лето у Београду")
ATHENS = Place("GR", "Athens", 37.9838, 23.7275, 70.0, "+03:00", "Καλοκαίρι στην Αθήνα")
# A few kilometres from the German border: the conflict scene's shop is on the other side.
SALZBURG = Place("AT", "Salzburg", 47.8095, 13.0550, 424.0, "+02:00", "Sommer in Salzburg")
