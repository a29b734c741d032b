"""Signs that a tip may be spam. They flag, never decide: every tip is kept, and a moderator
in the workbench reads the signs beside it.

- ``honeypot``: the hidden field only robots fill in was filled in;
- ``links``: the text carries web addresses;
- ``repeat``: the same client sent the same text before;
- ``many_objects``: the same text was sent about another object;
- ``short``: the text is very short.
"""

from __future__ import annotations

import hashlib
import re

HONEYPOT = "honeypot"
LINKS = "links"
REPEAT = "repeat"
MANY_OBJECTS = "many_objects"
SHORT = "short"
SHORTEST_TEXT = 8  # characters after spaces are squeezed; "in Lyon" is short, still kept

LINK = re.compile(r"(?i)\b(?:https?://|www\.)|\[url|<a\s")
SPACES = re.compile(r"\s+")


def normalised(text: str) -> str:
    """The text as compared for repeats: case and runs of spaces do not count."""
    return SPACES.sub(" ", text).strip().casefold()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalised(text).encode()).hexdigest()


def signs_of_text(text: str) -> list[str]:
    """The signs readable from the text alone."""
    signs = []
    if LINK.search(text):
        signs.append(LINKS)
    if len(normalised(text)) < SHORTEST_TEXT:
        signs.append(SHORT)
    return signs
