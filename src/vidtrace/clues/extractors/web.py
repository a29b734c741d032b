"""Web addresses, e-mail addresses and bare domains in the text read off the pictures.

A country-code domain (.nl, .de, .co.uk, .com.br) points at the country that runs it. Generic
domains (.com, .org, .shop) say nothing, and neither do the country codes sold world-wide for
their looks (.tv, .io, .me, .co...): those give no clue at all rather than a weak one, because a
clue's confidence means "read right", and these are read right yet point nowhere.

The public-suffix list is the copy inside tldextract; nothing is fetched.
"""

from __future__ import annotations

import re
from functools import cache

import tldextract

from vidtrace.clues.extractors.base import ClueExtractor, ClueSubject, extractors
from vidtrace.clues.kinds import ClueError, country_code, country_name
from vidtrace.domain.clue import RecognisedText

# Google's "generic ccTLDs" (Search Central: treated as generic, not as a country target), plus
# .ai, .gg, .ly, .to and .vc, sold the same way. Their second levels (com.co, co.me) stay national.
GENERIC_CCTLDS = frozenset(
    {"ad", "ai", "as", "bz", "cc", "cd", "co", "dj", "fm", "gg", "io", "la"}
    | {"ly", "me", "ms", "nu", "sc", "sr", "tk", "to", "tv", "vc", "ws"}
)
# A bare "setup.py" or "README.md" in a screenshot is a file name, not Paraguay or Moldova.
FILE_NAME_SUFFIXES = frozenset({"md", "py", "so"})
CONFIDENCE = {"e-mail": 0.85, "web address": 0.85, "domain": 0.7}

_HOST = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
_ADDRESS = re.compile(
    rf"(?P<email>[\w.+-]+@(?P<mail_host>{_HOST}))"
    rf"|(?P<url>(?:https?://|(?=www\.))(?P<web_host>{_HOST})[^\s\"'<>]*)"
    rf"|(?<![\w@./-])(?P<bare>{_HOST})(?![\w@-])",
    re.IGNORECASE,
)


@cache
def _public_suffixes() -> tldextract.TLDExtract:
    # suffix_list_urls=() keeps to the bundled list; cache_dir=None writes nothing to disk.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def addresses(text: str) -> list[tuple[str, str, str]]:
    """(form, as written, host) for each address in ``text``: form is "e-mail", "web address"
    or "domain" (a bare one, held to stricter rules against OCR noise and sentence ends)."""
    found = []
    for match in _ADDRESS.finditer(text):
        if match["email"]:
            found.append(("e-mail", match["email"], match["mail_host"]))
        elif match["url"]:
            found.append(("web address", match["url"].rstrip(".,;:!?)]"), match["web_host"]))
        elif _plausible_bare(match["bare"]):
            found.append(("domain", match["bare"], match["bare"]))
    return found


def _plausible_bare(host: str) -> bool:
    """Whether a bare host reads as a domain: "bakkerij-jansen.nl" yes; "end.It" (a missing
    space after a full stop) and "setup.py" (a file name) no."""
    top = host.rsplit(".", 1)[1]
    written_as_domain = top.islower() or host.isupper()
    return written_as_domain and top.lower() not in FILE_NAME_SUFFIXES


def country_of(host: str) -> tuple[str, str, str] | None:
    """(registered domain, public suffix, country) for a host under a country's own domain;
    None for generic and generic-use domains, and for hosts with no known suffix."""
    parts = _public_suffixes()(host.lower())
    name = parts.domain
    if not parts.suffix or len(name) < 2 or not any(ch.isalpha() for ch in name):
        return None
    top = parts.suffix.rsplit(".", 1)[-1]
    if parts.suffix == top and top in GENERIC_CCTLDS:
        return None
    try:
        country = country_code("GB" if top == "uk" else top)
    except ClueError:  # .com, .shop, .eu, .asia...
        return None
    return parts.top_domain_under_public_suffix, parts.suffix, country


_WITH_THE = ("Netherlands", "Philippines", "Bahamas", "Comoros", "Maldives", "Seychelles", "Gambia")


def _the(name: str) -> str:
    """The name as a sentence uses it: "the Netherlands", "the United Kingdom"; "Germany"."""
    with_the = name.startswith("United ") or name.endswith(("Islands", "Republic", *_WITH_THE))
    return f"the {name}" if with_the else name


class WebAddressExtractor(ClueExtractor):
    name = "web"
    version = 1
    kind = "domain"
    needs_text = True

    def able_to_run(self, subject: ClueSubject) -> bool:
        return any("." in text.text for text in subject.texts)

    def run(self, subject: ClueSubject) -> None:
        seen: set[str] = set()
        for text in subject.texts:
            for form, written, host in addresses(text.text):
                placed = country_of(host)
                if placed is not None and placed[0] not in seen:
                    seen.add(placed[0])
                    self._propose(subject, text, form, written, *placed)

    def _propose(
        self,
        subject: ClueSubject,
        text: RecognisedText,
        form: str,
        written: str,
        domain: str,
        suffix: str,
        country: str,
    ) -> None:
        top = suffix.rsplit(".", 1)[-1]
        under = f".{suffix} is under .{top}, " if suffix != top else f".{top} is "
        detail = (
            f"{form} {written}: {under}the country-code domain of {_the(country_name(country))}"
        )
        confidence = CONFIDENCE[form]
        self.clue(subject, domain, {country: 1.0}, confidence, detail, text.box, text.seconds)


extractors.register(WebAddressExtractor)
