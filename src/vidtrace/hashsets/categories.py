"""What a hash set's category code means, per jurisdiction profile.

The same VICS ``Category`` code means different things in different jurisdictions: code 2 is
"Child Exploitive / Age Difficult" in the Project VIC US scheme and "Category B" (illegal) in
the UK CAID scheme. The table lives in ``categories.json`` beside this module. It follows
public vendor and project documentation and is data: a label or verdict can be corrected, or a
profile added, without changing code.

Each code has a label and a verdict: "illegal", "of-interest", "non-pertinent", or None. A
profile names one code as "uncategorised" (VICS 0): that code, like a blank one, means the
record carries no verdict. A code the table does not list is still a verdict from whoever
issued the file, so it is kept, labelled "Category <code> (unmapped)" with verdict None:
dropping it would hide a hash another agency flagged, and the label shows the analyst (and
whoever maintains the table) exactly which code needs mapping. Unknown profiles, and "CUSTOM",
read as "Default".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, cast

Verdict = Literal["illegal", "of-interest", "non-pertinent"]
VERDICTS: tuple[Verdict, ...] = ("illegal", "of-interest", "non-pertinent")
DEFAULT_PROFILE = "Default"


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    label: str
    verdict: Verdict | None
    mapped: bool = True  # False: the profile's table does not list this code


@dataclass(frozen=True)
class CategoryProfile:
    name: str
    description: str
    uncategorised: str | None
    codes: dict[str, CategoryInfo]


def normalise_code(code: str) -> str:
    """A code as the table keys it: trimmed, numbers without leading zeros ("01" -> "1")."""
    text = code.strip()
    return str(int(text)) if text.isdigit() else text


def category_profile(name: str | None) -> CategoryProfile:
    """The table for ``name`` (case-insensitive); aliases followed; unknown -> Default."""
    by_folded = _profiles_by_folded_name()
    return by_folded.get(
        (name or DEFAULT_PROFILE).casefold(), by_folded[DEFAULT_PROFILE.casefold()]
    )


def profile_names() -> list[str]:
    """Every profile the table defines, aliases included."""
    return list(_raw_table()["profiles"])


def is_no_verdict(profile: str | None, code: str | None) -> bool:
    """Whether ``code`` says "no verdict": blank, or the profile's uncategorised code."""
    if code is None or not code.strip():
        return True
    table = category_profile(profile)
    return table.uncategorised is not None and normalise_code(code) == table.uncategorised


def category_info(profile: str | None, code: str) -> CategoryInfo:
    """Label and verdict of ``code`` in ``profile``; an unlisted code is kept, unmapped."""
    table = category_profile(profile)
    key = normalise_code(code)
    found = table.codes.get(key)
    if found is None:
        folded = {name.casefold(): info for name, info in table.codes.items()}
        found = folded.get(key.casefold())
    if found is not None:
        return found
    return CategoryInfo(code=key, label=f"Category {key} (unmapped)", verdict=None, mapped=False)


@cache
def _raw_table() -> dict[str, Any]:
    text = resources.files("vidtrace.hashsets").joinpath("categories.json").read_text("utf-8")
    return cast(dict[str, Any], json.loads(text))


@cache
def _profiles() -> dict[str, CategoryProfile]:
    raw = _raw_table()["profiles"]
    profiles: dict[str, CategoryProfile] = {}
    for name, spec in raw.items():
        if "same_as" not in spec:
            profiles[name] = _read_profile(name, spec)
    for name, spec in raw.items():
        if "same_as" in spec:
            profiles[name] = profiles[spec["same_as"]]
    if DEFAULT_PROFILE not in profiles:
        raise ValueError(f"categories.json: no {DEFAULT_PROFILE!r} profile")
    return profiles


@cache
def _profiles_by_folded_name() -> dict[str, CategoryProfile]:
    return {key.casefold(): value for key, value in _profiles().items()}


def _read_profile(name: str, spec: dict[str, Any]) -> CategoryProfile:
    codes: dict[str, CategoryInfo] = {}
    for code, entry in spec["codes"].items():
        verdict = entry.get("verdict")
        if verdict is not None and verdict not in VERDICTS:
            raise ValueError(f"categories.json: {name} {code}: unknown verdict {verdict!r}")
        key = normalise_code(code)
        codes[key] = CategoryInfo(code=key, label=entry["label"], verdict=verdict)
    uncategorised = spec.get("uncategorised")
    if uncategorised is not None and normalise_code(uncategorised) not in codes:
        raise ValueError(f"categories.json: {name}: uncategorised code {uncategorised!r} unlisted")
    return CategoryProfile(
        name=name,
        description=spec.get("description", ""),
        uncategorised=None if uncategorised is None else normalise_code(uncategorised),
        codes=codes,
    )
