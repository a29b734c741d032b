"""Every visible string is translated into each language: the catalogues hold exactly the
messages the templates and modules use, each one translated (not an English copy), with the
same placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from vidtrace.portal.i18n import LANGUAGES, SOURCE_LANGUAGE, catalogue_path

PORTAL = Path(__file__).resolve().parents[2] / "src" / "vidtrace" / "portal"
TEMPLATE_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
# Words that are the same in a language as in English.
SAME_IN_TRANSLATION = {"Site", "Cookies", "Logos", "Privacy", "Pages"}
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]


def used_messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for template in sorted((PORTAL / "templates").glob("*.html")):
        with template.open("rb") as source:
            for _, message, _, _ in extract(
                babel_extract, source, TEMPLATE_KEYWORDS, options={"trimmed": "true"}
            ):
                found.add(message)
    for module in sorted(PORTAL.glob("*.py")):
        with module.open("rb") as source:
            found.update(message for _, message, _, _ in extract("python", source, {"N_": None}))
    return found


def key(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


def catalogue(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as source:
        return read_po(source, locale=language)


def test_messages_are_found() -> None:
    used = {key(message) for message in used_messages()}
    assert {"Trace an Object", "Clothing", "Please write your tip.", "%(num)s object"} <= used


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_holds_exactly_the_messages_in_use(language: str) -> None:
    held = {message.id for message in catalogue(language) if message.id}
    used = set(used_messages())
    assert {key(m) for m in used} - {key(m) for m in held} == set(), "untranslated"
    assert {key(m) for m in held} - {key(m) for m in used} == set(), "no longer used"


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_message_is_really_translated(language: str) -> None:
    held = catalogue(language)
    assert held.num_plurals == 2
    for message in held:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: {message.id!r} has no translation"
        if ids[0] not in SAME_IN_TRANSLATION:
            assert strings[0] != ids[0], f"{language}: {message.id!r} is left in English"
    problems = [(message.id, errors) for message, errors in held.check() if errors]
    assert problems == []  # placeholders (%(num)s, %(most)s, ...) match the English
