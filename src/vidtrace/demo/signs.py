"""The shop signs and the product barcode the demo series show: its clues to the country.

Each series' scene carries one sign from a local business (a bakery's poster, a workshop's
board) in the local language, often with a phone number in international format and a web or
e-mail domain under the country's code, the text the clue extractors read. DejaVu Sans has no
Thai glyphs, so the Bangkok sign is in English and its country rests on the phone number and
the ``.co.th`` domain. The Salzburg sign belongs to a shop across the border in Bavaria: that
series' GPS and its sign disagree (the demo's conflict scene).

Phone numbers are valid for their country (``phonenumbers``) and use the 555 ranges where the
numbering plan has them; the shops and their domains are made up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sign:
    """The text of one sign, line by line (the shop's name first), and what it tells."""

    country: str  # where the shop is (ISO 3166-1 alpha-2): what its phone and domain point at
    language: str  # ISO 639-1 of the text
    script: str  # Tesseract's script model that reads it: "Latin", "Cyrillic", "Greek"
    lines: tuple[str, ...]
    phone: str | None = None  # exactly as printed on one of the lines
    domain: str | None = None  # a web or e-mail domain printed on one of the lines

    def __post_init__(self) -> None:
        text = "\n".join(self.lines)
        for printed in (self.phone, self.domain):
            if printed is not None and printed not in text:
                raise ValueError(f"{printed!r} is not on the sign {self.lines[0]!r}")

    @property
    def name(self) -> str:
        return self.lines[0]

    @property
    def tld(self) -> str | None:
        """The country-code suffix of the domain, e.g. ``"nl"`` (``"co.th"`` gives ``"th"``)."""
        return self.domain.rsplit(".", 1)[-1] if self.domain else None


@dataclass(frozen=True)
class ProductBarcode:
    """An EAN-13 on a product in the scene; the first three digits name the GS1 office that
    issued the company prefix (800-839: Italy), which says where the brand registered, not
    where the picture was taken."""

    digits: str  # 13 digits, the last one the check digit
    country: str  # the GS1 office's country (ISO 3166-1 alpha-2)
    product: str


def ean13(first12: str) -> str:
    """The 13 digits of an EAN-13: ``first12`` and its check digit (weights 1, 3, 1, 3, ...)."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError(f"an EAN-13 needs 12 digits before its check digit, not {first12!r}")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


BAKKERIJ = Sign(
    "NL",
    "nl",
    "Latin",
    ("Bakkerij Jansen", "Vers brood elke dag", "+31 20 555 0142", "www.bakkerijjansen.nl"),
    phone="+31 20 555 0142",
    domain="bakkerijjansen.nl",
)
BAECKEREI = Sign(
    "DE",
    "de",
    "Latin",
    (
        "Bäckerei Müller",
        "Frische Brötchen täglich",
        "Tel. +49 30 5550 1234",
        "baeckerei-mueller.de",
    ),
    phone="+49 30 5550 1234",
    domain="baeckerei-mueller.de",
)
PANADERIA = Sign(
    "ES",
    "es",
    "Latin",
    ("Panadería La Espiga", "Pan recién hecho cada día", "info@laespiga.es"),
    domain="laespiga.es",
)
PADARIA = Sign(
    "BR",
    "pt",
    "Latin",
    ("Padaria Pão Quente", "Pão fresquinho todo dia", "+55 11 3555 0123", "www.paoquente.com.br"),
    phone="+55 11 3555 0123",
    domain="paoquente.com.br",
)
NOODLE_HOUSE = Sign(
    "TH",
    "en",
    "Latin",
    ("Siam Noodle House", "Fresh noodles every day", "+66 2 555 0123", "www.siamnoodle.co.th"),
    phone="+66 2 555 0123",
    domain="siamnoodle.co.th",
)
HARDWARE = Sign(
    "CA",
    "en",
    "Latin",
    ("Maple Leaf Hardware", "Tools, paint and keys", "+1 416 555 0199"),
    phone="+1 416 555 0199",
)
BOULANGERIE = Sign(
    "FR",
    "fr",
    "Latin",
    (
        "Boulangerie du Parc",
        "Pain frais tous les jours",
        "+33 4 78 55 01 23",
        "www.boulangerieduparc.fr",
    ),
    phone="+33 4 78 55 01 23",
    domain="boulangerieduparc.fr",
)
CAFFE = Sign(
    "IT",
    "it",
    "Latin",
    ("Caffè del Duomo", "Colazione e pasticceria", "+39 02 5550 1234", "caffedelduomo.it"),
    phone="+39 02 5550 1234",
    domain="caffedelduomo.it",
)
MUSEO = Sign(
    "MX",
    "es",
    "Latin",
    ("Museo del Espacio", "Entrada libre los domingos", "+52 55 5555 0123", "museoespacio.com.mx"),
    phone="+52 55 5555 0123",
    domain="museoespacio.com.mx",
)
WARSZTAT = Sign(
    "PL",
    "pl",
    "Latin",
    ("Warsztat Motocyklowy", "Naprawa i części", "+48 12 555 01 23", "www.moto-krakow.pl"),
    phone="+48 12 555 01 23",
    domain="moto-krakow.pl",
)
PEKARA = Sign(
    "RS",
    "sr",
    "Cyrillic",
    ("Пекара Јовановић", "Свеж хлеб сваког дана", "+381 11 555 0123", "pekara-jovanovic.rs"),
    phone="+381 11 555 0123",
    domain="pekara-jovanovic.rs",
)
FOURNOS = Sign(
    "GR",
    "el",
    "Greek",
    ("Φούρνος Η Αθηνά", "Φρέσκο ψωμί κάθε μέρα", "www.fournos-athina.gr"),
    domain="fournos-athina.gr",
)
METZGEREI = Sign(
    "DE",
    "de",
    "Latin",
    ("Metzgerei Huber", "Hausgemachte Wurst", "Tel. +49 8651 555 012", "metzgerei-huber.de"),
    phone="+49 8651 555 012",
    domain="metzgerei-huber.de",
)

COFFEE_BEANS = ProductBarcode(ean13("805432100017"), "IT", "coffee beans, 250 g")
