"""Server-rendered pages in the visitor's language: one Jinja2 environment per language
(autoescaped, gettext installed), the language switcher's links and the portal's cookies."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from starlette.requests import Request
from starlette.responses import HTMLResponse

from vidtrace.portal.categories import CATEGORIES
from vidtrace.portal.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    choose_language,
    countries,
    load_translations,
)
from vidtrace.portal.refusals import Problem
from vidtrace.portal.security import FORM_COOKIE, FormTokens

TEMPLATES = Path(__file__).with_name("templates")
YEAR_S = 365 * 24 * 3600


def _environment(language: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # titles, descriptions and tips are text from outside
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    translations = load_translations(language)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]

    def number(value: int) -> str:
        return format_decimal(value, locale=language)

    def date(value: datetime) -> str:
        return format_date(value, format="long", locale=language)

    def say(problem: Problem) -> str:
        """A problem in this language, its numbers written the reader's way."""
        said = translations.gettext(problem.text)
        if not problem.values:
            return said
        return said % {k: number(v) if isinstance(v, int) else v for k, v in problem.values.items()}

    env.filters["number"] = number
    env.filters["date"] = date
    env.globals["say"] = say
    env.globals["languages"] = LANGUAGES
    env.globals["categories"] = CATEGORIES
    env.globals["countries"] = countries(language)
    return env


class Pages:
    def __init__(self, form_tokens: FormTokens, secure_cookies: bool) -> None:
        self.form_tokens = form_tokens
        self.secure_cookies = secure_cookies
        self.environments = {language: _environment(language) for language in LANGUAGES}

    @staticmethod
    def language(request: Request) -> str:
        return choose_language(
            request.query_params.get("lang"),
            request.cookies.get(LANGUAGE_COOKIE),
            request.headers.get("accept-language", ""),
        )

    @staticmethod
    def switcher(request: Request, here: str | None) -> dict[str, str]:
        """Each language's link to this page (a GET page: ``here`` for answers to a POST)."""
        if here is None:
            here = request.url.path
            kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        else:
            kept = []
        return {code: f"{here}?{urlencode([*kept, ('lang', code)])}" for code in LANGUAGES}

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any],
        status: int = 200,
        language: str | None = None,
        here: str | None = None,
    ) -> HTMLResponse:
        """``template`` in ``language`` (default: the request's); sets the form cookie when
        the visitor has none, and remembers a language picked with ``?lang=``."""
        language = language or self.language(request)
        form_cookie = request.cookies.get(FORM_COOKIE)
        new_cookie = None if form_cookie else self.form_tokens.new_cookie()
        values = {
            "lang": language,
            "path": request.url.path,
            "switch": self.switcher(request, here),
            "csrf_token": self.form_tokens.token_for(form_cookie or new_cookie or ""),
            **context,
        }
        html = self.environments[language].get_template(template).render(values)
        response = HTMLResponse(html, status_code=status)
        response.headers["content-language"] = language
        if new_cookie:
            response.set_cookie(
                FORM_COOKIE,
                new_cookie,
                httponly=True,
                samesite="lax",
                secure=self.secure_cookies,
            )
        asked = request.query_params.get("lang")
        if asked in LANGUAGES and asked != request.cookies.get(LANGUAGE_COOKIE):
            response.set_cookie(
                LANGUAGE_COOKIE,
                asked,
                max_age=YEAR_S,
                httponly=True,
                samesite="lax",
                secure=self.secure_cookies,
            )
        return response
