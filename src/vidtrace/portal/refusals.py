"""Refusals a visitor can read: an HTTP status, an English source message (translated on the
page) and the values it names."""

from __future__ import annotations

from dataclasses import dataclass, field

from vidtrace.portal.i18n import N_

TITLES: dict[int, str] = {
    400: N_("Bad request"),
    401: N_("Not allowed"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    405: N_("Not allowed"),
    413: N_("Too large"),
    415: N_("Not accepted"),
    422: N_("Please check what you sent"),
    429: N_("Too many tips"),
    500: N_("Something went wrong"),
}
MESSAGES: dict[int, str] = {
    400: N_("The request could not be read. Please go back and try again."),
    401: N_("This address cannot be used this way."),
    403: N_("This address cannot be used this way."),
    404: N_("There is nothing at this address. The object may have been withdrawn."),
    405: N_("This address cannot be used this way."),
    413: N_("What you sent is too large."),
    415: N_("Please send the form from the object's page."),
    422: N_("Some values could not be accepted. Please go back and check them."),
    429: N_("You have sent many tips in a short time. Please wait a minute and send again."),
    500: N_("Something went wrong on our side. Please try again later."),
}


@dataclass(frozen=True)
class Problem:
    """A message to show, in English (the catalogue key), and the values it names (numbers
    are written the reader's way when the page is rendered)."""

    text: str
    values: dict[str, str | int] = field(default_factory=dict)


class Refused(Exception):
    """Stops a request with ``status`` and a page saying ``problem``."""

    def __init__(self, status: int, problem: Problem | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.problem = problem or Problem(MESSAGES.get(status, MESSAGES[400]))
        self.headers: dict[str, str] = {}
