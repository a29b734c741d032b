"""The categories an object is published under: the one list both sides agree on.

The workbench sends the code; the portal refuses any other. Labels are English source strings,
translated when a page is rendered.
"""

from __future__ import annotations

from vidtrace.portal.i18n import N_

CATEGORIES: dict[str, str] = {
    "clothing": N_("Clothing"),
    "packaging": N_("Packaging"),
    "furniture": N_("Furniture"),
    "toys": N_("Toys"),
    "logos": N_("Logos"),
    "places": N_("Places"),
    "vehicles": N_("Vehicles"),
    "other": N_("Other"),
}
