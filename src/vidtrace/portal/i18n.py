"""Languages of the public site: gettext catalogues compiled in memory at start (no build step),
the choice of language for a request, and localised country names.

English is the source language; ``locale/<lang>/LC_MESSAGES/portal.po`` hold the others.
"""

from __future__ import annotations

import io
import unicodedata
from functools import cache
from pathlib import Path

import pycountry
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "portal"
SOURCE_LANGUAGE = "en"
# Each language named in itself, as a language switcher shows it.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "nl": "Nederlands",
}
LANGUAGE_COOKIE = "portal_lang"


def N_(message: str) -> str:
    """Marks a message for the catalogues; it is translated where it is shown."""
    return message


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(language: str) -> NullTranslations:
    """The compiled catalogue of ``language``; English needs none."""
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    with catalogue_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def accepted_languages(header: str) -> list[str]:
    """The portal's languages in ``header``'s (Accept-Language) order of preference."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = tag.strip().lower().replace("_", "-").split("-")[0]
        if language in LANGUAGES and quality > 0:
            ranked.append((-quality, position, language))
    return [language for _, _, language in sorted(ranked)]


def choose_language(asked: str | None, cookie: str | None, accept_language: str) -> str:
    """The switcher's choice (``?lang=``), then the remembered one, then the browser's."""
    for candidate in (asked, cookie):
        if candidate in LANGUAGES:
            return candidate
    preferred = accepted_languages(accept_language)
    return preferred[0] if preferred else SOURCE_LANGUAGE


def _sort_key(name: str) -> str:
    # Accents aside, so that "Égypte" sorts with the E's.
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


COUNTRY_CODES: frozenset[str] = frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """(ISO 3166-1 alpha-2 code, name in ``language``) for every country, sorted by name."""
    names = Locale.parse(language).territories
    found = []
    for code in COUNTRY_CODES:
        fallback = pycountry.countries.get(alpha_2=code)
        found.append((code, names.get(code) or (fallback.name if fallback else code)))
    return tuple(sorted(found, key=lambda pair: _sort_key(pair[1])))
