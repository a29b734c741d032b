"""The tip form: its field names, what a submission holds, and what is wrong with one."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from vidtrace.portal.i18n import COUNTRY_CODES, N_
from vidtrace.portal.refusals import Problem
from vidtrace.portal.settings import PortalLimits

# The form's field names, as the page sends them (documented in the user guide).
TEXT = "text"
COUNTRY = "country"
PLACE = "place"
EMAIL = "email"
CONSENT = "consent"
HONEYPOT = "website"  # hidden from people; robots fill in anything called "website"
IDEMPOTENCY_KEY = "idempotency_key"
LANGUAGE = "language"
CSRF_TOKEN = "csrf_token"

IDEMPOTENCY_KEY_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Deliberately loose: one @, something on each side, no spaces; the moderator writes to it.
EMAIL_FORMAT = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def new_idempotency_key() -> str:
    """A fresh key for one form (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class TipForm:
    """What the form sent, as text, blanks stripped."""

    text: str = ""
    country: str = ""
    place: str = ""
    email: str = ""
    consent: bool = False
    honeypot: str = ""
    idempotency_key: str = ""
    language: str = ""
    csrf_token: str = ""

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> TipForm:
        def field(name: str) -> str:
            # Browsers send line breaks as CRLF but count them as one character (maxlength).
            return fields.get(name, "").replace("\r\n", "\n").strip()

        return cls(
            text=field(TEXT),
            country=field(COUNTRY).upper(),
            place=field(PLACE),
            email=field(EMAIL),
            consent=bool(field(CONSENT)),
            honeypot=field(HONEYPOT),
            idempotency_key=field(IDEMPOTENCY_KEY),
            language=field(LANGUAGE),
            csrf_token=field(CSRF_TOKEN),
        )

    def has_valid_key(self) -> bool:
        return IDEMPOTENCY_KEY_FORMAT.fullmatch(self.idempotency_key) is not None

    def problems(self, limits: PortalLimits) -> dict[str, Problem]:
        """What must be put right before the tip can be stored, by field name."""
        found: dict[str, Problem] = {}
        if not self.text:
            found[TEXT] = Problem(N_("Please write your tip."))
        elif len(self.text) > limits.tip_chars:
            found[TEXT] = Problem(
                N_("Your tip is too long: at most %(most)s characters."),
                {"most": limits.tip_chars},
            )
        if self.country and self.country not in COUNTRY_CODES:
            found[COUNTRY] = Problem(N_("Please choose a country from the list."))
        if len(self.place) > limits.place_chars:
            found[PLACE] = Problem(
                N_("The place is too long: at most %(most)s characters."),
                {"most": limits.place_chars},
            )
        if self.email and (
            len(self.email) > limits.email_chars or not EMAIL_FORMAT.fullmatch(self.email)
        ):
            found[EMAIL] = Problem(N_("This e-mail address does not look right."))
        if not self.consent:
            found[CONSENT] = Problem(N_("Please tick the box to agree before sending."))
        return found
